//! Loader emulation inside one catalog image: does the interpreter exist, does every needed
//! library resolve, does each resolved library define the versions asked of it, transitively.
//!
//! The search follows glibc's `_dl_map_object` order: `DT_RPATH` of the requesting object
//! (only when it has no `DT_RUNPATH`), `DT_RUNPATH`, then the default directories. There is no
//! `LD_LIBRARY_PATH` and no `/etc/ld.so.cache` (distroless images have none), and nothing from
//! the host is consulted: the same program and catalog give the same answer anywhere.

use crate::catalog::{ImageEntry, PlatformCatalog, SharedObject};
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// One library request and its outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    /// Who asked: the program (`None`) or a library's path in the image.
    pub requester: Option<String>,
    pub name: String,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Found at this canonical path, in this package.
    Found {
        path: String,
        package: String,
    },
    /// Only reachable through `$ORIGIN`: the user must copy it beside the program.
    BesideProgram {
        via: String,
    },
    NotFound,
}

/// A version that the resolved library does not define.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingVersion {
    pub requester: Option<String>,
    pub library: String,
    pub version: String,
}

/// The program's side of resolution: what it asks for and where it says to look.
pub struct Request<'a> {
    pub interpreter: Option<&'a str>,
    pub needed: &'a [String],
    pub rpath: &'a [String],
    pub runpath: &'a [String],
    pub version_needs: &'a BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Clone, Default)]
pub struct Resolution {
    pub interpreter_found: Option<bool>,
    pub lookups: Vec<Lookup>,
    pub missing_versions: Vec<MissingVersion>,
}

impl Resolution {
    pub fn fits(&self) -> bool {
        self.interpreter_found != Some(false)
            && self.lookups.iter().all(|l| l.outcome != Outcome::NotFound)
            && self.missing_versions.is_empty()
    }
}

/// Caps the breadth-first walk; real dependency graphs in these images have ~20 nodes.
const MAX_LOOKUPS: usize = 4096;

pub fn resolve(platform: &PlatformCatalog, image: &ImageEntry, req: &Request) -> Resolution {
    let mut res = Resolution {
        interpreter_found: req
            .interpreter
            .map(|i| platform.object_at(image, i).is_some()),
        ..Resolution::default()
    };
    // Everything below borrows from the request and the catalog: this runs for every image
    // of every program, and copies were most of its cost.
    // (requester, name, search list) in load order; each soname is loaded once.
    let program_dirs: &[String] = if req.runpath.is_empty() {
        req.rpath
    } else {
        req.runpath
    };
    let mut queue: VecDeque<(Option<&str>, &str, &[String])> = req
        .needed
        .iter()
        .map(|n| (None, n.as_str(), program_dirs))
        .collect();
    let mut loaded: BTreeMap<&str, Option<&SharedObject>> = BTreeMap::new();
    // The version needs to check: the program's own, then each loaded library's.
    let mut version_checks: Vec<(Option<&str>, &str, &[String])> = req
        .version_needs
        .iter()
        .map(|(lib, v)| (None, lib.as_str(), v.as_slice()))
        .collect();
    while let Some((requester, name, dirs)) = queue.pop_front() {
        if res.lookups.len() >= MAX_LOOKUPS {
            break;
        }
        if loaded.contains_key(name) {
            continue;
        }
        let (outcome, obj) = find(platform, image, name, dirs);
        loaded.insert(name, obj);
        if let Some(obj) = obj {
            for n in &obj.needed {
                queue.push_back((Some(obj.path.as_str()), n.as_str(), &[]));
            }
            for (lib, v) in &obj.version_needs {
                version_checks.push((Some(obj.path.as_str()), lib.as_str(), v.as_slice()));
            }
        }
        res.lookups.push(Lookup {
            requester: requester.map(str::to_string),
            name: name.to_string(),
            outcome,
        });
    }
    let mut checked_versions: BTreeSet<(Option<&str>, &str)> = BTreeSet::new();
    for (requester, lib, versions) in version_checks {
        if !checked_versions.insert((requester, lib)) {
            continue;
        }
        // A library that was not found is already reported; versions of a library copied
        // beside the program cannot be checked here.
        let Some(Some(obj)) = loaded.get(lib) else {
            continue;
        };
        // glibc (dl-version.c) accepts any version from a library that has no version
        // definitions at all.
        if obj.defines.is_empty() {
            continue;
        }
        for v in versions {
            if !obj.defines.contains(v) {
                res.missing_versions.push(MissingVersion {
                    requester: requester.map(str::to_string),
                    library: lib.to_string(),
                    version: v.clone(),
                });
            }
        }
    }
    res
}

/// Where the loader finds `name` in `image`, and the object found.
fn find<'a>(
    platform: &'a PlatformCatalog,
    image: &'a ImageEntry,
    name: &str,
    dirs: &[String],
) -> (Outcome, Option<&'a SharedObject>) {
    let found = |(o, pkg): (&'a SharedObject, &str)| {
        let outcome = Outcome::Found {
            path: o.path.clone(),
            package: pkg.to_string(),
        };
        (outcome, Some(o))
    };
    if name.contains('/') {
        return platform
            .object_at(image, name)
            .map_or((Outcome::NotFound, None), found);
    }
    let mut origin_dir = None;
    for d in dirs {
        if d.contains("$ORIGIN") || d.contains("${ORIGIN}") {
            origin_dir.get_or_insert_with(|| d.clone());
            continue;
        }
        let path = format!("{}/{name}", d.trim_end_matches('/'));
        if let Some(hit) = platform.object_at(image, &path) {
            return found(hit);
        }
    }
    if let Some(hit) = platform.by_default_dirs(image, name) {
        return found(hit);
    }
    // Not in the image at all, but the program looks in a directory relative to itself: the
    // library has to be copied there with it.
    match origin_dir {
        Some(via) => (Outcome::BesideProgram { via }, None),
        None => (Outcome::NotFound, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-image platform: libc in the default directory, libx only in /opt/a, libstdc++
    /// whose own dependency libgcc_s is missing.
    fn platform() -> PlatformCatalog {
        serde_json::from_str(
            r#"{
              "release": "t", "arch": "amd64", "platform": "linux/amd64",
              "triplet": "x86_64-linux-gnu", "merged_usr": true,
              "search_dirs": ["/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu"],
              "dir_links": {"/lib": "/usr/lib", "/lib64": "/usr/lib64"},
              "packages": {
                "libc6": {"version": "1", "installed_size_kib": 1,
                  "objects": [
                    {"path": "/usr/lib/x86_64-linux-gnu/libc.so.6", "soname": "libc.so.6",
                     "defines": ["GLIBC_2.2.5", "GLIBC_2.34"]},
                    {"path": "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"}],
                  "links": {"/usr/lib64/ld-linux-x86-64.so.2": "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"}},
                "x": {"version": "1", "installed_size_kib": 1,
                  "objects": [{"path": "/opt/a/libx.so.1", "soname": "libx.so.1"}]},
                "cxx": {"version": "1", "installed_size_kib": 1,
                  "objects": [{"path": "/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.33",
                    "needed": ["libgcc_s.so.1", "libc.so.6"]}],
                  "links": {"/usr/lib/x86_64-linux-gnu/libstdc++.so.6": "/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.33"}}
              },
              "images": [{"name": "img", "tier": "cc", "reference": "r", "packages": ["libc6", "x", "cxx"], "files": []}]
            }"#,
        )
        .unwrap()
    }

    fn run(
        p: &PlatformCatalog,
        needed: &[&str],
        rpath: &[&str],
        runpath: &[&str],
        versions: &[(&str, &[&str])],
    ) -> Resolution {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let (needed, rpath, runpath) = (s(needed), s(rpath), s(runpath));
        let version_needs = versions
            .iter()
            .map(|(l, v)| (l.to_string(), s(v)))
            .collect();
        resolve(
            p,
            &p.images()[0],
            &Request {
                interpreter: Some("/lib64/ld-linux-x86-64.so.2"),
                needed: &needed,
                rpath: &rpath,
                runpath: &runpath,
                version_needs: &version_needs,
            },
        )
    }

    fn outcome<'a>(r: &'a Resolution, name: &str) -> &'a Outcome {
        &r.lookups.iter().find(|l| l.name == name).unwrap().outcome
    }

    #[test]
    fn the_interpreter_is_found_through_merged_usr_and_symlinks() {
        let r = run(&platform(), &["libc.so.6"], &[], &[], &[]);
        assert_eq!(r.interpreter_found, Some(true));
        assert!(r.fits());
    }

    #[test]
    fn rpath_is_searched_only_without_runpath() {
        let p = platform();
        let with_rpath = run(&p, &["libx.so.1"], &["/opt/a"], &[], &[]);
        assert!(matches!(
            outcome(&with_rpath, "libx.so.1"),
            Outcome::Found { .. }
        ));
        // glibc ignores DT_RPATH when DT_RUNPATH is present.
        let both = run(&p, &["libx.so.1"], &["/opt/a"], &["/opt/b"], &[]);
        assert_eq!(outcome(&both, "libx.so.1"), &Outcome::NotFound);
        assert!(!both.fits());
    }

    #[test]
    fn origin_paths_mean_beside_the_program_only_when_no_image_has_it() {
        let p = platform();
        let r = run(
            &p,
            &["libfoo.so.1", "libc.so.6"],
            &[],
            &["$ORIGIN/lib"],
            &[],
        );
        assert_eq!(
            outcome(&r, "libfoo.so.1"),
            &Outcome::BesideProgram {
                via: "$ORIGIN/lib".into()
            }
        );
        assert!(matches!(outcome(&r, "libc.so.6"), Outcome::Found { .. }));
    }

    #[test]
    fn versions_are_checked_by_name_not_by_maximum() {
        let p = platform();
        let ok = run(
            &p,
            &["libc.so.6"],
            &[],
            &[],
            &[("libc.so.6", &["GLIBC_2.2.5", "GLIBC_2.34"])],
        );
        assert!(ok.missing_versions.is_empty());
        let relr = run(
            &p,
            &["libc.so.6"],
            &[],
            &[],
            &[("libc.so.6", &["GLIBC_2.2.5", "GLIBC_ABI_DT_RELR"])],
        );
        assert_eq!(relr.missing_versions.len(), 1);
        assert_eq!(relr.missing_versions[0].version, "GLIBC_ABI_DT_RELR");
    }

    #[test]
    fn a_library_whose_own_dependency_is_missing_does_not_fit() {
        let r = run(&platform(), &["libstdc++.so.6"], &[], &[], &[]);
        assert!(matches!(
            outcome(&r, "libstdc++.so.6"),
            Outcome::Found { .. }
        ));
        let gcc = r
            .lookups
            .iter()
            .find(|l| l.name == "libgcc_s.so.1")
            .unwrap();
        assert_eq!(gcc.outcome, Outcome::NotFound);
        assert_eq!(
            gcc.requester.as_deref(),
            Some("/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.33")
        );
        assert!(!r.fits());
    }
}
