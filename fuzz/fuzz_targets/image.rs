//! Image archives: the outer tar (docker save, OCI archive), manifest.json, index.json with
//! nested indexes, configs and blob names, then the layers they name.
#![no_main]
use libfuzzer_sys::fuzz_target;
use whichbase::rootfs::image;
use whichbase::rootfs::layers::LayerLimits;

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("image.tar");
    std::fs::write(&path, data).expect("write");
    let limits = LayerLimits {
        max_entries: 10_000,
        max_inspect: 1 << 20,
        max_kept: 1 << 20,
        max_path: 4096,
        max_layers: 8,
    };
    if let Ok(images) = image::load(&path, &limits) {
        for i in images {
            let _ = whichbase::survey::entrypoint(&i.root, &i.config);
        }
    }
});
