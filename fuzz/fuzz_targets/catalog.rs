//! The catalog loader (`--catalog FILE`): a combined JSON file is parsed and validated whole.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("catalog.json");
    std::fs::write(&path, data).expect("write");
    if let Ok(c) = whichbase::catalog::Catalog::load(&path) {
        for r in &c.index.releases {
            for a in &r.arches {
                let _ = c.platform(&r.name, &a.arch);
            }
            let _ = c.distro(&r.name);
        }
    }
});
