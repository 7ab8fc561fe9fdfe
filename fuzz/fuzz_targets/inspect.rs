//! Every file parser behind `inspect`: ELF (headers, dynamic and version tables, notes, Go
//! build information and function table, cargo-auditable data, the needs scans), scripts,
//! ZIP/JAR, PE/CLI metadata, Mach-O and WebAssembly. The first byte picks the file name, since
//! names steer recognition (`.py`, `.jar`, Python extension modules).
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::Path;

const NAMES: &[&str] = &[
    "app",
    "app.py",
    "app.js",
    "app.jar",
    "addon.node",
    "ext.cpython-311-x86_64-linux-gnu.so",
    "app.sh",
    "lib.dll",
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let name = NAMES[usize::from(pick) % NAMES.len()];
    let mode = if pick & 0x80 != 0 { 0o755 } else { 0o644 };
    if let Ok(facts) = whichbase::inspect::inspect_bytes(Path::new(name), rest.to_vec(), mode) {
        // Facts must always serialize (the JSON output path).
        let _ = serde_json_like(&facts);
    }
});

fn serde_json_like(f: &whichbase::Facts) -> usize {
    format!("{f:?}").len()
}
