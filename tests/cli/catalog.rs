//! The committed catalog: its invariants, and agreement with a catalog generated today from
//! the archive (README's test command writes one to target/catalog-fresh first).

use crate::common;
use std::collections::BTreeSet;
use whichbase::catalog::{Catalog, PlatformCatalog, Tier};

fn sonames(p: &PlatformCatalog, tier: Tier) -> BTreeSet<String> {
    let img = p.image(tier).expect("image exists");
    img.packages
        .iter()
        .filter_map(|n| p.package(n))
        .flat_map(|pkg| pkg.objects.iter().filter_map(|o| o.soname.clone()))
        .collect()
}

fn defined_versions(p: &PlatformCatalog, tier: Tier) -> BTreeSet<String> {
    let img = p.image(tier).expect("image exists");
    img.packages
        .iter()
        .filter_map(|n| p.package(n))
        .flat_map(|pkg| pkg.objects.iter().flat_map(|o| o.defines.clone()))
        .collect()
}

#[test]
fn the_embedded_catalog_has_provenance_and_every_published_platform() {
    let c = Catalog::embedded().expect("embedded catalog loads");
    assert!(!c.index.provenance.generated_at.is_empty());
    assert!(c.index.provenance.mirror.starts_with("http"));
    assert_eq!(c.index.default_release, "debian13");
    let names: Vec<&str> = c.index.releases.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["debian12", "debian13"]);
    let arches = |r: &str| -> Vec<String> {
        c.release(r)
            .unwrap()
            .arches
            .iter()
            .map(|a| a.platform.clone())
            .collect()
    };
    assert_eq!(
        arches("debian12"),
        [
            "linux/amd64",
            "linux/arm64",
            "linux/arm/v7",
            "linux/s390x",
            "linux/ppc64le"
        ]
    );
    assert_eq!(arches("debian13").len(), 6);
    assert_eq!(c.release("debian12").unwrap().glibc, "2.36");
    assert_eq!(c.release("debian13").unwrap().glibc, "2.41");
}

#[test]
fn each_larger_image_contains_the_smaller_ones() {
    let c = Catalog::embedded().unwrap();
    for r in &c.index.releases {
        for a in &r.arches {
            let p = c.platform(&r.name, &a.arch).unwrap().unwrap();
            let ladder = [Tier::Static, Tier::BaseNossl, Tier::Base, Tier::Cc];
            for pair in ladder.windows(2) {
                let (small, large) = (p.image(pair[0]).unwrap(), p.image(pair[1]).unwrap());
                let at = format!("{}/{}: {} vs {}", r.name, a.arch, small.name, large.name);
                let sp: BTreeSet<_> = small.packages.iter().collect();
                let lp: BTreeSet<_> = large.packages.iter().collect();
                assert!(sp.is_subset(&lp), "{at}: packages");
                assert!(
                    sonames(p, pair[0]).is_subset(&sonames(p, pair[1])),
                    "{at}: sonames"
                );
                assert!(
                    defined_versions(p, pair[0]).is_subset(&defined_versions(p, pair[1])),
                    "{at}: versions"
                );
                let sf: BTreeSet<_> = small.files.iter().collect();
                assert!(sf.is_subset(&large.files.iter().collect()), "{at}: files");
                assert!(
                    large.reference.ends_with(&format!("-{}", r.name)),
                    "{at}: reference"
                );
            }
            let st = p.image(Tier::Static).unwrap();
            for f in [
                "/etc/ssl/certs/ca-certificates.crt",
                "/usr/share/zoneinfo",
                "/etc/passwd",
                "/etc/nsswitch.conf",
                "/tmp",
            ] {
                assert!(
                    st.files.iter().any(|x| x == f),
                    "{}/{}: static lacks {f}",
                    r.name,
                    a.arch
                );
            }
            assert!(
                sonames(p, Tier::Static).is_empty(),
                "static has no shared objects"
            );
            let nossl = sonames(p, Tier::BaseNossl);
            assert!(nossl.contains("libc.so.6") && !nossl.contains("libssl.so.3"));
            assert!(sonames(p, Tier::Base).contains("libssl.so.3"));
            assert!(sonames(p, Tier::Cc).contains("libstdc++.so.6"));
            // No image has a shell.
            assert!(
                !p.images
                    .iter()
                    .any(|i| i.files.iter().any(|f| f.ends_with("/sh"))),
                "{}/{}: shell",
                r.name,
                a.arch
            );
        }
    }
}

#[test]
fn the_distro_index_names_packages_for_common_libraries() {
    let c = Catalog::embedded().unwrap();
    for r in ["debian12", "debian13"] {
        let d = c.distro(r).unwrap().unwrap();
        assert!(
            d.packages_for("libpq.so.5").contains(&"libpq5".to_string()),
            "{r}"
        );
        assert!(d.packages_for("no-such-library.so.9").is_empty(), "{r}");
        // The first and last entries of the sorted table are found too.
        assert!(!d.packages_for("ld-linux-x86-64.so.2").is_empty(), "{r}");
        assert!(
            d.slim_packages.contains_key("libc6") && d.slim_packages.contains_key("apt"),
            "{r}"
        );
    }
}

/// Compares the committed catalog with one generated today: the same images, packages and
/// sonames. Version changes are expected as the archive moves; they are reported as a stale
/// catalog, not failed.
#[test]
fn the_committed_catalog_matches_one_generated_today() {
    let fresh_dir = common::root().join("target/catalog-fresh");
    assert!(
        fresh_dir.join("index.json").exists(),
        "run scripts/gen-catalog.sh --out target/catalog-fresh first (README's test command does)"
    );
    let fresh = Catalog::load(&fresh_dir).unwrap();
    let committed = Catalog::embedded().unwrap();
    let mut stale = Vec::new();
    for r in &committed.index.releases {
        for a in &r.arches {
            let old = committed.platform(&r.name, &a.arch).unwrap().unwrap();
            let new = fresh
                .platform(&r.name, &a.arch)
                .expect("same platforms")
                .unwrap();
            let names = |p: &PlatformCatalog| {
                p.images
                    .iter()
                    .map(|i| (i.name.clone(), i.packages.clone()))
                    .collect::<Vec<_>>()
            };
            assert_eq!(
                names(old),
                names(new),
                "{}/{}: images differ from today's",
                r.name,
                a.arch
            );
            for t in [Tier::BaseNossl, Tier::Base, Tier::Cc] {
                assert_eq!(
                    sonames(old, t),
                    sonames(new, t),
                    "{}/{} {t}: sonames",
                    r.name,
                    a.arch
                );
            }
            for name in old.packages.keys() {
                let (Some(was), Some(now)) = (old.package(name), new.package(name)) else {
                    panic!("{}/{} {name}: package does not parse", r.name, a.arch);
                };
                if was.version != now.version {
                    stale.push(format!(
                        "{}/{} {name}: {} -> {}",
                        r.name, a.arch, was.version, now.version
                    ));
                }
            }
        }
    }
    if !stale.is_empty() {
        eprintln!(
            "the committed catalog is stale (regenerate with scripts/gen-catalog.sh):\n{}",
            stale.join("\n")
        );
    }
}

/// build.rs re-cuts the committed files for speed; the answers must be exactly those of the
/// same files read with `--catalog DIR` (and of the combined single-file form).
#[test]
fn the_embedded_catalog_answers_exactly_like_the_files_it_was_built_from() {
    let data = common::root().join("src/catalog/data");
    let dir = tempfile::tempdir().unwrap();
    let combined = dir.path().join("catalog.json");
    // Write the combined form from the same files, through the library.
    let c = Catalog::load(&data).unwrap();
    let mut platforms = Vec::new();
    for r in &c.index.releases {
        for a in &r.arches {
            platforms.push(c.platform(&r.name, &a.arch).unwrap().unwrap().clone());
        }
    }
    let distros: Vec<_> = c
        .index
        .releases
        .iter()
        .map(|r| c.distro(&r.name).unwrap().unwrap().clone())
        .collect();
    let doc = whichbase::catalog::CombinedCatalog {
        index: c.index.clone(),
        platforms,
        distros,
    };
    std::fs::write(&combined, serde_json::to_string(&doc).unwrap()).unwrap();

    let programs: Vec<std::path::PathBuf> = [
        "c-dynamic",
        "c-libssl",
        "cxx-dynamic",
        "c-libpq",
        "c-zlib",
        "zig-glibc238",
        "zig-glibc-future",
        "musl-dynamic",
        "c-origin",
        "c-aarch64",
        "zig-riscv64",
    ]
    .iter()
    .map(|n| common::testdata(n))
    .chain(["/usr/bin/git", "/usr/bin/curl"].map(std::path::PathBuf::from))
    .collect();
    let run = |extra: &[&std::ffi::OsStr]| {
        let out = common::whichbase()
            .args(["--format", "json", "-v"])
            .args(extra)
            .args(&programs)
            .output()
            .unwrap();
        assert!(
            out.status.code().is_some_and(|c| c < 2),
            "{}",
            common::stderr(&out)
        );
        let mut doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        doc["catalog"] = serde_json::Value::Null;
        doc
    };
    let embedded = run(&[]);
    assert_eq!(embedded, run(&["--catalog".as_ref(), data.as_os_str()]));
    assert_eq!(embedded, run(&["--catalog".as_ref(), combined.as_os_str()]));
}
