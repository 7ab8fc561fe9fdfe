//! The committed catalog: its invariants, and agreement with a catalog generated today from
//! the archive (README's test command writes one to target/catalog-fresh first).

use crate::common;
use std::collections::BTreeSet;
use whichbase::catalog::{Catalog, DistroCatalog, PlatformCatalog, RuntimeInfo, Tier};

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
        .flat_map(|pkg| {
            pkg.objects
                .iter()
                .flat_map(|o| o.defines.iter().map(|d| d.to_string()))
        })
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
                !p.images()
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
            d.in_slim("libc6") && d.in_slim("apt") && !d.in_slim("no-such-package"),
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
                p.images()
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
    let combined = combined_catalog(dir.path(), |_| {});

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

#[test]
fn the_java_images_carry_their_runtime_on_java_base() {
    let c = Catalog::embedded().unwrap();
    let r = c.release("debian13").unwrap();
    for a in &r.arches {
        let p = c.platform("debian13", &a.arch).unwrap().unwrap();
        let Some(base) = p.images().iter().find(|i| i.name == "java-base") else {
            // java-base is not built for armhf; nor are its java images.
            assert!(
                !p.images().iter().any(|i| i.name.starts_with("java")),
                "{}: java image without java-base",
                a.arch
            );
            continue;
        };
        assert_eq!(base.runtime, None, "{}: java-base has no runtime", a.arch);
        for v in ["17", "21", "25"] {
            let name = format!("java{v}");
            let img = p
                .images()
                .iter()
                .find(|i| i.name == name)
                .unwrap_or_else(|| panic!("{}: no {name}", a.arch));
            assert_eq!(img.tier, Tier::Java);
            assert_eq!(
                img.reference,
                format!("gcr.io/distroless/{name}-debian13"),
                "{}",
                a.arch
            );
            assert_eq!(
                img.runtime,
                Some(RuntimeInfo {
                    language: "java".into(),
                    version: v.into(),
                    command: "/usr/bin/java".into(),
                }),
                "{}/{name}",
                a.arch
            );
            assert_eq!(img.packages, base.packages, "{}/{name}: packages", a.arch);
            assert!(
                img.files.iter().any(|f| f == "/usr/bin/java"),
                "{}/{name}: /usr/bin/java",
                a.arch
            );
            assert!(
                img.external_runtime
                    .as_deref()
                    .is_some_and(|t| t.contains(&format!("temurin-{v}-jre"))),
                "{}/{name}: {:?}",
                a.arch,
                img.external_runtime
            );
        }
        // The smallest java image is still java-base.
        assert_eq!(p.image(Tier::Java).unwrap().name, "java-base");
    }
    // debian12 publishes no java images.
    let p = c.platform("debian12", "amd64").unwrap().unwrap();
    assert!(!p.images().iter().any(|i| i.tier == Tier::Java));
}

#[test]
fn the_nodejs_and_python_images_name_their_interpreter() {
    let c = Catalog::embedded().unwrap();
    let mut pythons = 0;
    for a in &c.release("debian13").unwrap().arches {
        let p = c.platform("debian13", &a.arch).unwrap().unwrap();
        for img in p.images() {
            let Some(rt) = &img.runtime else {
                assert!(
                    img.tier < Tier::Java || img.name == "java-base",
                    "{}/{}: no runtime",
                    a.arch,
                    img.name
                );
                continue;
            };
            match img.tier {
                Tier::Nodejs => {
                    assert_eq!(rt.language, "nodejs");
                    assert_eq!(format!("nodejs{}", rt.version), img.name);
                    assert_eq!(rt.command, "/nodejs/bin/node");
                }
                Tier::Python3 => {
                    pythons += 1;
                    assert_eq!(rt.language, "python");
                    assert!(rt.version.starts_with("3.13"), "{}", rt.version);
                    assert!(
                        !rt.version.contains('-') && !rt.version.contains(':'),
                        "upstream version only: {}",
                        rt.version
                    );
                    assert_eq!(rt.command, "/usr/bin/python3.13");
                    // The command is a file of the package it was read from, and of the image.
                    let pkg = p.package("python3.13-minimal").unwrap();
                    assert!(pkg.files.contains(&rt.command), "{}: {pkg:?}", a.arch);
                    assert!(rt.version.starts_with(&upstream(&pkg.version)));
                    for f in [rt.command.as_str(), "/usr/bin/python3", "/usr/bin/python"] {
                        assert!(img.files.iter().any(|x| x == f), "{}: {f}", a.arch);
                    }
                }
                Tier::Java => assert_eq!(rt.language, "java"),
                t => panic!("{}/{}: runtime on tier {t}", a.arch, img.name),
            }
        }
    }
    assert_eq!(
        pythons, 3,
        "python3 is published for amd64, arm64 and riscv64"
    );
}

/// `3.13.5-2+deb13u5` -> `3.13.5`.
fn upstream(v: &str) -> String {
    let v = v.split_once(':').map_or(v, |(_, r)| r);
    v.rsplit_once('-').map_or(v, |(u, _)| u).to_string()
}

#[test]
fn the_distro_index_names_packages_for_interpreters() {
    let c = Catalog::embedded().unwrap();
    for r in ["debian12", "debian13"] {
        let d = c.distro(r).unwrap().unwrap();
        let perl = d.packages_for_command("perl");
        assert!(perl.contains(&"perl-base".to_string()), "{r}: {perl:?}");
        assert!(d.in_slim("perl-base"), "{r}: perl-base is in slim");
        let ruby = d.packages_for_command("ruby");
        assert!(
            !ruby.is_empty() && ruby.iter().all(|p| p.starts_with("ruby")),
            "{r}: {ruby:?}"
        );
        assert!(d.packages_for_command("sh").contains(&"dash".to_string()));
        assert!(d.packages_for_command("bash").contains(&"bash".to_string()));
        assert!(d
            .packages_for_command("python3")
            .contains(&"python3-minimal".to_string()));
        // Names only update-alternatives creates have no package; unknown names neither.
        assert!(d.packages_for_command("awk").is_empty(), "{r}");
        assert!(d.packages_for_command("java").is_empty(), "{r}");
        assert!(d.packages_for_command("no-such-interpreter").is_empty());
        for (name, pkgs) in d.interpreters.get() {
            let mut sorted = pkgs.clone();
            sorted.sort();
            sorted.dedup();
            assert_eq!(&sorted, pkgs, "{r} {name}: sorted, once each");
        }
        for name in [
            "sh", "bash", "dash", "zsh", "ksh", "perl", "ruby", "php", "python3", "python", "node",
            "nodejs", "java", "lua5.4", "tclsh", "Rscript", "gawk", "awk",
        ] {
            assert!(
                d.interpreters.get().contains_key(name),
                "{r}: {name} listed"
            );
        }
    }
}

/// build.rs re-cuts the files; the new fields must survive it.
#[test]
fn the_embedded_catalog_carries_runtimes_and_interpreters() {
    let embedded = Catalog::embedded().unwrap();
    let files = Catalog::load(&common::root().join("src/catalog/data")).unwrap();
    for r in &files.index.releases {
        let (e, f) = (
            embedded.distro(&r.name).unwrap().unwrap(),
            files.distro(&r.name).unwrap().unwrap(),
        );
        assert_eq!(e.interpreters.get(), f.interpreters.get(), "{}", r.name);
        // The slim list is a sorted table in the binary: every package must be found in it.
        assert!(f.slim_packages.len() > 50, "{}", r.name);
        for pkg in f.slim_packages.keys() {
            assert!(e.in_slim(pkg), "{}: {pkg} in slim", r.name);
        }
        for a in &r.arches {
            let runtimes = |c: &Catalog| -> Vec<(String, Option<RuntimeInfo>)> {
                c.platform(&r.name, &a.arch)
                    .unwrap()
                    .unwrap()
                    .images()
                    .iter()
                    .map(|i| (i.name.clone(), i.runtime.clone()))
                    .collect()
            };
            assert_eq!(
                runtimes(&embedded),
                runtimes(&files),
                "{}/{}",
                r.name,
                a.arch
            );
        }
    }
}

/// `runtime` and `interpreters` are optional: a catalog written without them (by hand, or
/// for a release without language images) still loads, and answers with nothing.
#[test]
fn a_catalog_without_the_optional_runtime_fields_still_loads() {
    let data = common::root().join("src/catalog/data");
    let dir = tempfile::tempdir().unwrap();
    let mut stripped = 0;
    for entry in std::fs::read_dir(&data).unwrap() {
        let path = entry.unwrap().path();
        let mut doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        if let Some(o) = doc.as_object_mut() {
            stripped += usize::from(o.remove("interpreters").is_some());
        }
        for img in doc
            .get_mut("images")
            .and_then(|i| i.as_array_mut())
            .into_iter()
            .flatten()
        {
            stripped += usize::from(img.as_object_mut().unwrap().remove("runtime").is_some());
        }
        std::fs::write(dir.path().join(path.file_name().unwrap()), doc.to_string()).unwrap();
    }
    assert!(
        stripped > 2,
        "the committed catalog has the fields to strip"
    );
    let c = Catalog::load(dir.path()).expect("loads without the optional fields");
    let d = c.distro("debian13").unwrap().unwrap();
    assert!(d.interpreters.get().is_empty());
    assert!(d.packages_for_command("perl").is_empty());
    assert!(d.packages_for("libpq.so.5").contains(&"libpq5".to_string()));
    let p = c.platform("debian13", "amd64").unwrap().unwrap();
    assert!(p.images().iter().all(|i| i.runtime.is_none()));
    assert!(p.images().iter().any(|i| i.name == "java21"));
}

/// The Debian packages a verdict names for libraries outside distroless are the ones that ship
/// them, with `dpkg -S` on this machine as the oracle: an unversioned soname in the default
/// directories (binutils' libbfd-2.40-system.so) and libraries in a private directory the
/// program's RUNPATH names (man-db's /usr/lib/man-db/libman-2.11.2.so). Both were `none`
/// ("no Debian package") before the archive index kept such names.
#[test]
fn packages_for_libraries_outside_distroless_are_the_ones_dpkg_says_ship_them() {
    for program in ["/usr/bin/x86_64-linux-gnu-ar", "/usr/bin/man"] {
        let path = std::path::Path::new(program);
        assert!(path.exists(), "{program} is missing: .ci/run installs it");
        // Where this machine's loader finds each library: RUNPATH, then the default directory.
        let dynamic = std::process::Command::new("readelf")
            .args(["-dW", program])
            .output()
            .unwrap();
        let text = common::stdout(&dynamic);
        let bracketed = |tag: &str| -> Vec<String> {
            text.lines()
                .filter(|l| l.contains(tag))
                .filter_map(|l| Some(l.split_once('[')?.1.split_once(']')?.0.to_string()))
                .collect()
        };
        let runpath: Vec<String> = bracketed("(RUNPATH)")
            .iter()
            .flat_map(|r| r.split(':').map(str::to_string).collect::<Vec<_>>())
            .collect();
        let owner = |lib: &str| -> Option<String> {
            let found = runpath
                .iter()
                .map(|d| format!("{d}/{lib}"))
                .chain([format!("/usr/lib/x86_64-linux-gnu/{lib}")])
                .find(|p| std::path::Path::new(p).exists())?;
            let out = std::process::Command::new("dpkg")
                .args(["-S", &found])
                .output()
                .ok()?;
            let line = common::stdout(&out);
            Some(line.split(':').next()?.trim().to_string())
        };
        let r = common::json_result(path, &["--release", "debian12"]);
        assert_eq!(r["verdict"]["tier"], "distro", "{program}: {r}");
        let reasons = r["reasons"].as_array().unwrap();
        let mut judged = 0;
        for reason in reasons
            .iter()
            .filter(|x| x["tier"] == "distro" && x["evidence"] == "DT_NEEDED")
        {
            let lib = reason["need"].as_str().unwrap();
            let package = owner(lib).unwrap_or_else(|| panic!("{program}: no owner for {lib}"));
            let detail = reason["detail"].as_str().unwrap();
            assert!(
                detail.contains(&format!("package {package}")),
                "{program}: {lib} is dpkg's {package}, the verdict says {detail}"
            );
            judged += 1;
        }
        assert!(judged > 0, "{program}: no library outside distroless: {r}");
    }
}

/// The committed catalog in its combined single-file form, written through the library into
/// `dir`, after `edit` has changed its distro sections (what a later archive could hold).
fn combined_catalog(
    dir: &std::path::Path,
    edit: impl FnOnce(&mut Vec<DistroCatalog>),
) -> std::path::PathBuf {
    let c = Catalog::load(&common::root().join("src/catalog/data")).unwrap();
    let mut platforms = Vec::new();
    for r in &c.index.releases {
        for a in &r.arches {
            platforms.push(c.platform(&r.name, &a.arch).unwrap().unwrap().clone());
        }
    }
    let mut distros: Vec<_> = c
        .index
        .releases
        .iter()
        .map(|r| c.distro(&r.name).unwrap().unwrap().clone())
        .collect();
    edit(&mut distros);
    let doc = whichbase::catalog::CombinedCatalog {
        index: c.index.clone(),
        platforms,
        distros,
    };
    let combined = dir.join("catalog.json");
    std::fs::write(&combined, serde_json::to_string(&doc).unwrap()).unwrap();
    combined
}

/// The version names a library defines, as `readelf -V` prints them (the base entry, the
/// file's own name, left out as the catalog leaves it out).
fn readelf_definitions(path: &str) -> BTreeSet<String> {
    let out = std::process::Command::new("readelf")
        .args(["-VW", path])
        .output()
        .unwrap();
    let text = common::stdout(&out);
    text.lines()
        .skip_while(|l| !l.starts_with("Version definition section"))
        .take_while(|l| !l.starts_with("Version needs section"))
        .filter(|l| l.contains("Flags:") && !l.contains("Flags: BASE"))
        .filter_map(|l| Some(l.split("Name: ").nth(1)?.trim().to_string()))
        .collect()
}

/// The slim image's libraries carry the versions they define, read from the packages; on this
/// Debian 12 machine, readelf reads the same names from the same package versions.
#[test]
fn the_slim_libraries_define_the_versions_readelf_reads_in_the_same_packages() {
    let c = Catalog::load(&common::root().join("src/catalog/data")).unwrap();
    let embedded = Catalog::embedded().unwrap();
    let d = c.distro("debian12").unwrap().unwrap();
    let e = embedded.distro("debian12").unwrap().unwrap();
    assert!(d.slim_versions.len() > 50, "{:?}", d.slim_versions.keys());
    // Where each library is on this machine. dpkg records the path a package ships:
    // /lib/... for Debian 12's libc6 and others, so both forms are asked for.
    let mut here = Vec::new();
    for (lib, versions) in &d.slim_versions {
        // The embedded table answers as the committed file does.
        let mut from_embedded = e.slim_defines(lib).expect("embedded has it");
        from_embedded.sort_unstable();
        let mut from_file: Vec<&str> = versions.iter().map(String::as_str).collect();
        from_file.sort_unstable();
        assert_eq!(from_embedded, from_file, "{lib}");
        if let Ok(real) = std::fs::canonicalize(format!("/usr/lib/x86_64-linux-gnu/{lib}")) {
            let real = real.to_string_lossy().into_owned();
            let unmerged = real.strip_prefix("/usr").unwrap_or(&real).to_string();
            here.push((lib, versions, real, unmerged));
        }
    }
    // One dpkg call for the owners and one for the installed versions.
    let paths = here.iter().flat_map(|(_, _, r, u)| [r, u]);
    let owners = std::process::Command::new("dpkg")
        .arg("-S")
        .args(paths)
        .output()
        .unwrap();
    let owner_of: std::collections::BTreeMap<String, String> = common::stdout(&owners)
        .lines()
        .filter_map(|l| {
            let (pkgs, path) = l.split_once(": ")?;
            let pkg = pkgs.split([':', ',']).next()?.trim();
            Some((path.trim().to_string(), pkg.to_string()))
        })
        .collect();
    let installed = std::process::Command::new("dpkg-query")
        .args(["-W", "-f=${Package}\t${Version}\n"])
        .output()
        .unwrap();
    let version_of: std::collections::BTreeMap<String, String> = common::stdout(&installed)
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(p, v)| (p.to_string(), v.to_string()))
        .collect();
    let mut compared = Vec::new();
    for (lib, versions, real, unmerged) in &here {
        let Some(pkg) = owner_of.get(real).or_else(|| owner_of.get(unmerged)) else {
            continue;
        };
        if d.slim_packages.get(pkg) != version_of.get(pkg) {
            continue; // another version here than in the archive today
        }
        let want = readelf_definitions(real);
        let got: BTreeSet<String> = versions.iter().cloned().collect();
        assert_eq!(got, want, "{lib} ({pkg})");
        compared.push(lib.to_string());
    }
    for lib in ["libc.so.6", "libtinfo.so.6", "libselinux.so.1", "libz.so.1"] {
        assert!(
            compared.iter().any(|l| l == lib),
            "{lib} not compared: {compared:?}"
        );
    }
}

/// A program needing a version from a library of the slim image: checked against the versions
/// that library defines, and moved to the release whose library has them when one lacks it.
#[test]
fn versions_from_slim_libraries_are_checked_and_a_missing_one_moves_the_release() {
    let program = common::testdata("c-tinfo");
    let version = "NCURSES6_TINFO_5.0.19991023";
    let r = common::json_result(&program, &[]);
    assert_eq!(r["verdict"]["tier"], "distro", "{r}");
    assert_eq!(r["verdict"]["release"], "debian13", "{r}");
    let reasons = r["reasons"].as_array().unwrap();
    let checked = reasons
        .iter()
        .find(|x| x["need"] == "libtinfo.so.6 versions")
        .unwrap_or_else(|| panic!("no version reason: {r}"));
    assert_eq!(checked["tier"], "distro", "{checked}");
    assert!(
        checked["detail"]
            .as_str()
            .unwrap()
            .contains("defined by debian:13-slim's libtinfo.so.6 (package libtinfo6)"),
        "{checked}"
    );
    assert!(!r.to_string().contains("not checked"), "{r}");

    // Debian 13's libtinfo without that version: the program fits debian12 only, and says why.
    let dir = tempfile::tempdir().unwrap();
    let catalog = combined_catalog(dir.path(), |distros| {
        for d in distros.iter_mut().filter(|d| d.release == "debian13") {
            let defs = d.slim_versions.get_mut("libtinfo.so.6").unwrap();
            defs.retain(|v| v != version);
        }
    });
    let r = common::json_result(&program, &["--catalog", catalog.to_str().unwrap()]);
    assert_eq!(r["verdict"]["release"], "debian12", "{r}");
    let notes = r["notes"].to_string();
    assert!(
        notes.contains(&format!(
            "fits debian12 only; on debian13: {version} not defined by debian:13-slim's libtinfo.so.6 (package libtinfo6)"
        )),
        "{notes}"
    );
}

/// Versions needed from a package the slim image lacks are checked in no release: the release
/// whose GCC built the program (its `.comment`) is recommended, and a program that does not
/// say where it was built keeps the default release with the versions noted as unchecked.
#[test]
fn versions_checked_nowhere_prefer_the_release_that_built_the_program() {
    let dir = tempfile::tempdir().unwrap();
    // As if Debian 13's slim image no longer had libtinfo6: apt would add it, unchecked.
    let catalog = combined_catalog(dir.path(), |distros| {
        for d in distros.iter_mut().filter(|d| d.release == "debian13") {
            d.slim_packages.remove("libtinfo6");
            d.slim_versions.remove("libtinfo.so.6");
        }
    });
    let catalog = catalog.to_str().unwrap();
    let program = common::testdata("c-tinfo");
    let r = common::json_result(&program, &["--catalog", catalog]);
    assert_eq!(r["verdict"]["release"], "debian12", "{r}");
    assert_eq!(r["verdict"]["tier"], "distro", "{r}");
    let notes = r["notes"].to_string();
    assert!(
        notes.contains("debian12 rather than debian13: built with Debian GCC 12.2.0")
            && notes.contains("libtinfo.so.6"),
        "{notes}"
    );
    // Without .comment nothing says where it was built.
    let stripped = dir.path().join("c-tinfo-no-comment");
    let status = std::process::Command::new("objcopy")
        .args(["--remove-section", ".comment"])
        .arg(&program)
        .arg(&stripped)
        .status()
        .unwrap();
    assert!(status.success());
    let r = common::json_result(&stripped, &["--catalog", catalog]);
    assert_eq!(r["verdict"]["release"], "debian13", "{r}");
    assert_eq!(r["verdict"]["packages"][0], "libtinfo6", "{r}");
    assert!(
        r["notes"].to_string().contains(
            "libtinfo.so.6: versions NCURSES6_TINFO_5.0.19991023 not checked (its package is not in the catalog)"
        ),
        "{r}"
    );
}

/// `scripts/debian.py selftest`: the generator's own checks (dpkg version order against
/// `dpkg --compare-versions`, relation parsing, the merged-/usr mapping, the library and
/// interpreter maps read from Contents lines) run with the tests.
#[test]
fn the_catalog_generator_passes_its_selftest() {
    let out = std::process::Command::new("python3")
        .arg(common::root().join("scripts/debian.py"))
        .arg("selftest")
        .output()
        .expect("python3 runs");
    let text = common::stdout(&out);
    assert!(
        out.status.success() && text.contains(", 0 failed"),
        "{text}{}",
        common::stderr(&out)
    );
}
