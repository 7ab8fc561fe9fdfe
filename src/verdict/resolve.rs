//! Loader emulation inside one catalog image: does the interpreter exist, does every needed
//! library resolve, does each resolved library define the versions asked of it, transitively.
//!
//! The search follows glibc's `_dl_map_object` order. For an object without `DT_RUNPATH`:
//! its own `DT_RPATH`, then the `DT_RPATH` of the object that loaded it, and so on up to the
//! program's (an old-style RPATH is inherited by everything loaded beneath it). For an object
//! with `DT_RUNPATH`: that alone (glibc then ignores the object's `DT_RPATH`, and RUNPATH is
//! never inherited). Then the default directories. There is no `LD_LIBRARY_PATH` and no
//! `/etc/ld.so.cache` (distroless images have none), and nothing from the host is consulted:
//! the same program and catalog give the same answer anywhere.

use crate::catalog::{ImageEntry, PlatformCatalog, SharedObject};
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// One library request and its outcome. Every text borrows from the request or the catalog
/// (`'a`): resolution runs for every image of every program, and copying names and paths
/// was a large part of its cost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup<'a> {
    /// Who asked: the program (`None`) or a library's path in the image.
    pub requester: Option<&'a str>,
    pub name: &'a str,
    pub outcome: Outcome<'a>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome<'a> {
    /// Found at this canonical path, in this package.
    Found {
        path: &'a str,
        package: &'a str,
    },
    /// Only reachable through `$ORIGIN`: the user must copy it beside the program.
    BesideProgram {
        via: &'a str,
    },
    NotFound,
}

/// A version that the resolved library does not define.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingVersion<'a> {
    pub requester: Option<&'a str>,
    pub library: &'a str,
    pub version: &'a str,
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
pub struct Resolution<'a> {
    pub interpreter_found: Option<bool>,
    pub lookups: Vec<Lookup<'a>>,
    pub missing_versions: Vec<MissingVersion<'a>>,
}

impl Resolution<'_> {
    pub fn fits(&self) -> bool {
        self.interpreter_found != Some(false)
            && self.lookups.iter().all(|l| l.outcome != Outcome::NotFound)
            && self.missing_versions.is_empty()
    }
}

/// Caps the breadth-first walk; real dependency graphs in these images have ~20 nodes.
const MAX_LOOKUPS: usize = 4096;

/// One loaded object (or the program) as the search order sees it.
struct Node<'a> {
    /// `DT_RPATH`, left empty when the object also has `DT_RUNPATH` (glibc ignores it then).
    rpath: &'a [String],
    runpath: &'a [String],
    /// The node that first asked for this object; `None` for the program. Always a node
    /// created earlier, so walking up the chain ends.
    loader: Option<usize>,
}

impl<'a> Node<'a> {
    fn new(rpath: &'a [String], runpath: &'a [String], loader: Option<usize>) -> Node<'a> {
        Node {
            rpath: if runpath.is_empty() { rpath } else { &[] },
            runpath,
            loader,
        }
    }
}

/// The directories searched, before the default ones, for a library that node `at` asks for:
/// its RUNPATH if it has one, else the RPATHs of it and of every object above it.
fn search_list<'a>(nodes: &[Node<'a>], at: usize, out: &mut Vec<&'a str>) {
    out.clear();
    let Some(node) = nodes.get(at) else { return };
    if !node.runpath.is_empty() {
        out.extend(node.runpath.iter().map(String::as_str));
        return;
    }
    let mut next = Some(at);
    while let Some(i) = next {
        let Some(n) = nodes.get(i) else { break };
        out.extend(n.rpath.iter().map(String::as_str));
        next = n.loader.filter(|&l| l < i);
    }
}

pub fn resolve<'a>(
    platform: &'a PlatformCatalog,
    image: &'a ImageEntry,
    req: &Request<'a>,
) -> Resolution<'a> {
    // The interpreter is the loader itself, in the process before anything else: a library
    // asking for it by its soname (libc.so.6 needs ld-linux-x86-64.so.2) gets it wherever it
    // lives, without a search (glibc matches loaded objects by name first).
    let interpreter = req
        .interpreter
        .and_then(|i| Some((i, platform.object_at(image, i)?)));
    let mut res = Resolution {
        interpreter_found: req.interpreter.map(|_| interpreter.is_some()),
        ..Resolution::default()
    };
    // Everything below borrows from the request and the catalog: this runs for every image
    // of every program, and copies were most of its cost.
    // Node 0 is the program; each loaded library adds one.
    let mut nodes = vec![Node::new(req.rpath, req.runpath, None)];
    // (requester's path, requester's node, name) in load order; each soname is loaded once.
    let mut queue: VecDeque<(Option<&str>, usize, &str)> =
        req.needed.iter().map(|n| (None, 0, n.as_str())).collect();
    let mut loaded: BTreeMap<&str, Option<&SharedObject>> = BTreeMap::new();
    // The version needs to check: the program's own, then each loaded library's.
    let mut version_checks: Vec<(Option<&str>, &str, &[String])> = req
        .version_needs
        .iter()
        .map(|(lib, v)| (None, lib.as_str(), v.as_slice()))
        .collect();
    let mut dirs = Vec::new();
    while let Some((requester, node, name)) = queue.pop_front() {
        if res.lookups.len() >= MAX_LOOKUPS {
            break;
        }
        if loaded.contains_key(name) {
            continue;
        }
        let (outcome, obj) = match interpreter.filter(|(at, (o, _))| is_named(name, at, o)) {
            Some((_, (o, package))) => (
                Outcome::Found {
                    path: &o.path,
                    package,
                },
                Some(o),
            ),
            None => {
                search_list(&nodes, node, &mut dirs);
                find(platform, image, name, &dirs)
            }
        };
        loaded.insert(name, obj);
        if let Some(obj) = obj {
            let this = nodes.len();
            nodes.push(Node::new(&obj.rpath, &obj.runpath, Some(node)));
            for n in &obj.needed {
                queue.push_back((Some(obj.path.as_str()), this, n.as_ref()));
            }
            for (lib, v) in &obj.version_needs {
                version_checks.push((Some(obj.path.as_str()), lib.as_str(), v.as_slice()));
            }
        }
        res.lookups.push(Lookup {
            requester,
            name,
            outcome,
        });
    }
    let mut checked_versions: BTreeSet<(Option<&str>, &str)> = BTreeSet::new();
    // Definitions of a library with very many (a forged one: up to 4,096), as a set built
    // once, so that thousands of needs against it stay n log n. Real libraries define a few
    // dozen (libc 40, libstdc++ 60) and are searched as the list they are.
    let mut large_definitions: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
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
        let large = (obj.defines.len() > LARGE_DEFINITIONS).then(|| {
            &*large_definitions
                .entry(obj.path.as_str())
                .or_insert_with(|| obj.defines.iter().map(|d| d.as_ref()).collect())
        });
        for v in versions {
            let defined = match large {
                Some(set) => set.contains(v.as_str()),
                None => defines(&obj.defines, v),
            };
            if !defined {
                res.missing_versions.push(MissingVersion {
                    requester,
                    library: lib,
                    version: v,
                });
            }
        }
    }
    res
}

/// Whether `version` is among a library's definitions. Version names share long prefixes and
/// lengths (`GLIBC_2.2.5`, `GLIBC_2.3.4`): comparing the last byte first turns most of the
/// forty comparisons per need against libc into one byte each instead of a `memcmp` call
/// (443 calls a program on /usr/bin; resolution there went from 39.8 to 36.9 M instructions).
fn defines(definitions: &[crate::catalog::Text], version: &str) -> bool {
    let last = version.as_bytes().last();
    definitions
        .iter()
        .any(|d| d.len() == version.len() && d.as_bytes().last() == last && d.as_ref() == version)
}

/// Above this many version definitions a library's are searched as a set (see `resolve`).
const LARGE_DEFINITIONS: usize = 256;

/// Whether a request for `name` is answered by the object loaded from `path`: by that path,
/// or by its soname (its file name when it has none).
fn is_named(name: &str, path: &str, obj: &SharedObject) -> bool {
    name == path
        || obj
            .soname
            .as_deref()
            .unwrap_or_else(|| path.rsplit('/').next().unwrap_or(path))
            == name
}

/// Where the loader finds `name` in `image`, and the object found.
fn find<'a>(
    platform: &'a PlatformCatalog,
    image: &'a ImageEntry,
    name: &str,
    dirs: &[&'a str],
) -> (Outcome<'a>, Option<&'a SharedObject>) {
    let found = |(o, package): (&'a SharedObject, &'a str)| {
        let outcome = Outcome::Found {
            path: &o.path,
            package,
        };
        (outcome, Some(o))
    };
    if name.contains('/') {
        return platform
            .object_at(image, name)
            .map_or((Outcome::NotFound, None), found);
    }
    let mut origin_dir = None;
    for &d in dirs {
        if d.contains("$ORIGIN") || d.contains("${ORIGIN}") {
            origin_dir.get_or_insert(d);
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

    /// Application libraries outside the default directories: liba needs libb beside it;
    /// libr has a RUNPATH of its own and needs libb too; libc2 has an RPATH of its own.
    fn application_platform() -> PlatformCatalog {
        serde_json::from_str(
            r#"{
              "release": "t", "arch": "amd64", "platform": "linux/amd64",
              "triplet": "x86_64-linux-gnu", "merged_usr": true,
              "search_dirs": ["/usr/lib/x86_64-linux-gnu"],
              "dir_links": {},
              "packages": {
                "app": {"version": "1", "installed_size_kib": 1,
                  "objects": [
                    {"path": "/opt/app/lib/liba.so", "soname": "liba.so", "needed": ["libb.so"]},
                    {"path": "/opt/app/lib/libb.so", "soname": "libb.so"},
                    {"path": "/opt/run/libr.so", "soname": "libr.so", "needed": ["libb.so"],
                     "runpath": ["/opt/other"]},
                    {"path": "/opt/x/libc2.so", "soname": "libc2.so", "needed": ["libd.so"],
                     "rpath": ["/opt/y"]},
                    {"path": "/opt/y/libd.so", "soname": "libd.so"}]}
              },
              "images": [{"name": "img", "tier": "cc", "reference": "r", "packages": ["app"], "files": []}]
            }"#,
        )
        .unwrap()
    }

    fn run<'p>(
        p: &'p PlatformCatalog,
        needed: &[&str],
        rpath: &[&str],
        runpath: &[&str],
        versions: &[(&str, &[&str])],
    ) -> Resolution<'p> {
        // The resolution borrows the request: a test's request lives as long as the test.
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let leak = |v: Vec<String>| -> &'static [String] { Box::leak(v.into_boxed_slice()) };
        let (needed, rpath, runpath) = (leak(s(needed)), leak(s(rpath)), leak(s(runpath)));
        let version_needs: &'static BTreeMap<String, Vec<String>> = Box::leak(Box::new(
            versions
                .iter()
                .map(|(l, v)| (l.to_string(), s(v)))
                .collect(),
        ));
        resolve(
            p,
            &p.images()[0],
            &Request {
                interpreter: Some("/lib64/ld-linux-x86-64.so.2"),
                needed,
                rpath,
                runpath,
                version_needs,
            },
        )
    }

    /// A one-image platform of one package holding `objects` in /usr/lib, the loader's only
    /// directory: a root whose libraries are the forged ones.
    fn forged_platform(objects: Vec<SharedObject>) -> PlatformCatalog {
        use crate::catalog::{ImageEntry, LazyPackage, PackageContents, Text, Tier};
        let contents = PackageContents {
            version: "1".into(),
            installed_size_kib: 1,
            objects,
            modules: Vec::new(),
            links: BTreeMap::new(),
            files: Vec::new(),
        };
        PlatformCatalog::assembled(
            "linux/amd64",
            "x86_64-linux-gnu",
            vec!["/usr/lib".into()],
            BTreeMap::new(),
            BTreeMap::from([("forged".to_string(), LazyPackage::new(contents))]),
            vec![ImageEntry {
                name: "img".into(),
                tier: Tier::Cc,
                reference: "r".into(),
                packages: vec![Text::from("forged")],
                files: Vec::new(),
                external_runtime: None,
                runtime: None,
            }],
        )
    }

    /// A forged root: 600 libraries, each asking for one version of every other. That is
    /// 360,000 version checks and 600 loaded names; searching back over a list of the checks
    /// or the names for each of them (as one version of this code did) takes minutes, the
    /// trees a blink. The answers must still be exact: one version the program asks for is
    /// defined nowhere.
    #[test]
    fn thousands_of_loaded_libraries_and_version_checks_stay_cheap_and_exact() {
        use crate::catalog::Text;
        const N: usize = 600;
        let names: Vec<String> = (0..N).map(|i| format!("lib{i}.so")).collect();
        // Forty definitions each, so the definition lists are long too.
        let defines: Vec<Text> = (0..40).map(|v| Text::from(format!("V_{v}"))).collect();
        let all_needs: BTreeMap<String, Vec<String>> = names
            .iter()
            .map(|n| (n.clone(), vec!["V_1".to_string()]))
            .collect();
        let objects: Vec<SharedObject> = names
            .iter()
            .map(|n| SharedObject {
                path: format!("/usr/lib/{n}"),
                soname: Some(n.clone()),
                defines: defines.clone(),
                needed: Vec::new(),
                version_needs: all_needs.clone(),
                rpath: Vec::new(),
                runpath: Vec::new(),
            })
            .collect();
        let p = forged_platform(objects);
        let needed: Vec<&str> = names.iter().map(String::as_str).collect();
        // The program asks lib0 for forty versions, one of them (V_99) defined nowhere.
        let mut wanted: Vec<String> = (1..40).map(|v| format!("V_{v}")).collect();
        wanted.push("V_99".into());
        let wanted: Vec<&str> = wanted.iter().map(String::as_str).collect();
        let r = run(&p, &needed, &[], &[], &[("lib0.so", &wanted)]);
        assert_eq!(r.lookups.len(), N);
        assert!(r
            .lookups
            .iter()
            .all(|l| matches!(l.outcome, Outcome::Found { .. })));
        assert_eq!(
            r.missing_versions,
            vec![MissingVersion {
                requester: None,
                library: "lib0.so",
                version: "V_99",
            }]
        );
    }

    /// A forged root: one library defines 4,096 versions, and 100 others each ask it for all
    /// 4,096 of them, one of which it does not define. Searched as a list, that is 800
    /// million comparisons (5 s in a debug build, and minutes with the 4,096 askers a
    /// resolution may load); as a set, 5 million (0.14 s). The answer must be exact.
    #[test]
    fn a_library_with_thousands_of_definitions_is_checked_exactly() {
        use crate::catalog::Text;
        const DEFINED: usize = 4096;
        const ASKERS: usize = 100;
        let versions: Vec<String> = (0..DEFINED).map(|v| format!("V_{v}")).collect();
        let object = |name: String, defines: Vec<Text>, needs: Vec<String>| SharedObject {
            path: format!("/usr/lib/{name}"),
            soname: Some(name),
            defines,
            needed: Vec::new(),
            version_needs: if needs.is_empty() {
                BTreeMap::new()
            } else {
                BTreeMap::from([("libbig.so".to_string(), needs)])
            },
            rpath: Vec::new(),
            runpath: Vec::new(),
        };
        let mut objects = vec![object(
            "libbig.so".into(),
            versions.iter().map(|v| Text::from(v.clone())).collect(),
            Vec::new(),
        )];
        for i in 0..ASKERS {
            let mut needs = versions.clone();
            if i == 7 {
                needs[100] = "V_NOPE".into();
            }
            objects.push(object(format!("lib{i}.so"), Vec::new(), needs));
        }
        let p = forged_platform(objects);
        let names: Vec<String> = std::iter::once("libbig.so".to_string())
            .chain((0..ASKERS).map(|i| format!("lib{i}.so")))
            .collect();
        let needed: Vec<&str> = names.iter().map(String::as_str).collect();
        let r = run(&p, &needed, &[], &[], &[]);
        assert_eq!(r.lookups.len(), ASKERS + 1);
        assert_eq!(
            r.missing_versions,
            vec![MissingVersion {
                requester: Some("/usr/lib/lib7.so"),
                library: "libbig.so",
                version: "V_NOPE",
            }]
        );
    }

    fn outcome<'a>(r: &'a Resolution, name: &str) -> &'a Outcome<'a> {
        &r.lookups.iter().find(|l| l.name == name).unwrap().outcome
    }

    #[test]
    fn the_interpreter_is_found_through_merged_usr_and_symlinks() {
        let p = platform();
        let r = run(&p, &["libc.so.6"], &[], &[], &[]);
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
            &Outcome::BesideProgram { via: "$ORIGIN/lib" }
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
        // Same length and same last byte as a definition, different in the middle.
        let near = run(
            &p,
            &["libc.so.6"],
            &[],
            &[],
            &[("libc.so.6", &["GLIBC_2.24", "GLIBC_2.2.4"])],
        );
        let missing: Vec<&str> = near.missing_versions.iter().map(|m| m.version).collect();
        assert_eq!(missing, ["GLIBC_2.24", "GLIBC_2.2.4"]);
    }

    #[test]
    fn a_library_whose_own_dependency_is_missing_does_not_fit() {
        let p = platform();
        let r = run(&p, &["libstdc++.so.6"], &[], &[], &[]);
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
            gcc.requester,
            Some("/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.33")
        );
        assert!(!r.fits());
    }

    /// Every library request was answered (the test platforms have no interpreter to find).
    fn all_found(r: &Resolution) -> bool {
        r.lookups
            .iter()
            .all(|l| matches!(l.outcome, Outcome::Found { .. }))
    }

    #[test]
    fn an_rpath_is_inherited_by_the_libraries_loaded_beneath_it() {
        let p = application_platform();
        // liba has no path of its own: glibc looks for its libb in the program's RPATH.
        let r = run(&p, &["liba.so"], &["/opt/app/lib"], &[], &[]);
        assert!(matches!(outcome(&r, "libb.so"), Outcome::Found { .. }));
        assert!(all_found(&r));
    }

    #[test]
    fn a_runpath_is_not_inherited() {
        let p = application_platform();
        let r = run(&p, &["liba.so"], &[], &["/opt/app/lib"], &[]);
        assert!(matches!(outcome(&r, "liba.so"), Outcome::Found { .. }));
        assert_eq!(outcome(&r, "libb.so"), &Outcome::NotFound);
        assert!(!r.fits());
    }

    #[test]
    fn a_library_with_a_runpath_does_not_search_the_rpaths_above_it() {
        let p = application_platform();
        // The program's RPATH holds libb, but libr has a RUNPATH: only that is searched.
        let r = run(&p, &["libr.so"], &["/opt/run", "/opt/app/lib"], &[], &[]);
        assert!(matches!(outcome(&r, "libr.so"), Outcome::Found { .. }));
        assert_eq!(outcome(&r, "libb.so"), &Outcome::NotFound);
    }

    #[test]
    fn a_library_searches_its_own_rpath() {
        let p = application_platform();
        let r = run(&p, &["/opt/x/libc2.so"], &[], &[], &[]);
        assert!(matches!(outcome(&r, "libd.so"), Outcome::Found { .. }));
        assert!(all_found(&r));
    }

    #[test]
    fn the_interpreter_answers_requests_for_its_soname_wherever_it_lives() {
        // A root made by copying what ldd printed: the loader only in /lib64, which is no
        // search directory; libc.so.6 asks for it by soname and glibc hands it the loaded one.
        let p: PlatformCatalog = serde_json::from_str(
            r#"{
              "release": "t", "arch": "amd64", "platform": "linux/amd64",
              "triplet": "x86_64-linux-gnu", "merged_usr": false,
              "search_dirs": ["/lib/x86_64-linux-gnu"], "dir_links": {},
              "packages": {"root": {"version": "1", "installed_size_kib": 1, "objects": [
                {"path": "/lib/x86_64-linux-gnu/libc.so.6", "soname": "libc.so.6",
                 "needed": ["ld-linux-x86-64.so.2"]},
                {"path": "/lib64/ld-linux-x86-64.so.2", "soname": "ld-linux-x86-64.so.2"}]}},
              "images": [{"name": "img", "tier": "cc", "reference": "r", "packages": ["root"], "files": []}]
            }"#,
        )
        .unwrap();
        let r = run(&p, &["libc.so.6"], &[], &[], &[]);
        assert_eq!(
            outcome(&r, "ld-linux-x86-64.so.2"),
            &Outcome::Found {
                path: "/lib64/ld-linux-x86-64.so.2",
                package: "root"
            }
        );
        assert!(r.fits());
        // Without an interpreter (a library on its own) nothing answers for it.
        let needed = vec!["libc.so.6".to_string()];
        let no_versions = BTreeMap::new();
        let none = resolve(
            &p,
            &p.images()[0],
            &Request {
                interpreter: None,
                needed: &needed,
                rpath: &[],
                runpath: &[],
                version_needs: &no_versions,
            },
        );
        assert_eq!(outcome(&none, "ld-linux-x86-64.so.2"), &Outcome::NotFound);
    }
}
