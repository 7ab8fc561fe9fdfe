//! Image layers: the tar reader with whiteouts and opaque directories, then what a report reads
//! from the resulting root (os-release, dpkg and apk databases, ld.so.conf, symlink resolution).
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use whichbase::rootfs::layers::{LayerLimits, Overlay};
use whichbase::rootfs::{packages, view, RootFs};

fuzz_target!(|data: &[u8]| {
    let limits = LayerLimits {
        max_entries: 10_000,
        max_inspect: 1 << 20,
        max_kept: 1 << 20,
        max_path: 4096,
        max_layers: 8,
    };
    let mut overlay = Overlay::default();
    // Two layers from one input: the second may white out the first.
    let mid = data.len() / 2;
    let (a, b) = data.split_at(mid);
    let _ = overlay.apply(a, 0, &limits, "layer 1");
    let _ = overlay.apply(b, 1, &limits, "layer 2");
    let root = RootFs::from_nodes(Path::new("fuzz"), overlay.into_nodes());
    let own = packages::read(&root);
    let _ = own.base.packages.len();
    let dirs = view::search_dirs(&root, "x86_64-linux-gnu", &[]);
    let p = view::platform(
        &root,
        "linux/amd64",
        "x86_64-linux-gnu",
        dirs,
        &[],
        view::Follow::All,
    );
    let _ = p.images().len();
    for (path, _) in root.entries(10_000) {
        let _ = root.resolve(&path, true);
    }
});
