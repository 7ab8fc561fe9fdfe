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
    // (requester, name, search list) in load order; each soname is loaded once.
    let mut queue: VecDeque<(Option<String>, String, Vec<String>)> = VecDeque::new();
    let program_dirs: Vec<String> = if req.runpath.is_empty() {
        req.rpath.to_vec()
    } else {
        req.runpath.to_vec()
    };
    for n in req.needed {
        queue.push_back((None, n.clone(), program_dirs.clone()));
    }
    let mut loaded: BTreeMap<String, Option<&SharedObject>> = BTreeMap::new();
    let mut checked_versions: BTreeSet<(Option<String>, String)> = BTreeSet::new();
    // The program's own version needs.
    let mut version_checks: Vec<(Option<String>, String, Vec<String>)> = req
        .version_needs
        .iter()
        .map(|(lib, v)| (None, lib.clone(), v.clone()))
        .collect();
    while let Some((requester, name, dirs)) = queue.pop_front() {
        if res.lookups.len() >= MAX_LOOKUPS {
            break;
        }
        if loaded.contains_key(&name) {
            continue;
        }
        let outcome = find(platform, image, &name, &dirs);
        let obj = match &outcome {
            Outcome::Found { path, .. } => platform.object_at(image, path).map(|(o, _)| o),
            _ => None,
        };
        loaded.insert(name.clone(), obj);
        if let Some(obj) = obj {
            for n in &obj.needed {
                queue.push_back((Some(obj.path.clone()), n.clone(), Vec::new()));
            }
            for (lib, v) in &obj.version_needs {
                version_checks.push((Some(obj.path.clone()), lib.clone(), v.clone()));
            }
        }
        res.lookups.push(Lookup {
            requester,
            name,
            outcome,
        });
    }
    for (requester, lib, versions) in version_checks {
        if !checked_versions.insert((requester.clone(), lib.clone())) {
            continue;
        }
        // A library that was not found is already reported; versions of a library copied
        // beside the program cannot be checked here.
        let Some(Some(obj)) = loaded.get(&lib) else {
            continue;
        };
        for v in versions {
            if !obj.defines.contains(&v) {
                res.missing_versions.push(MissingVersion {
                    requester: requester.clone(),
                    library: lib.clone(),
                    version: v,
                });
            }
        }
    }
    res
}

fn find(platform: &PlatformCatalog, image: &ImageEntry, name: &str, dirs: &[String]) -> Outcome {
    let found = |path: &str| {
        platform
            .object_at(image, path)
            .map(|(o, pkg)| Outcome::Found {
                path: o.path.clone(),
                package: pkg.to_string(),
            })
    };
    if name.contains('/') {
        return found(name).unwrap_or(Outcome::NotFound);
    }
    let mut origin_dir = None;
    for d in dirs {
        if d.contains("$ORIGIN") || d.contains("${ORIGIN}") {
            origin_dir.get_or_insert_with(|| d.clone());
            continue;
        }
        if let Some(o) = found(&format!("{}/{name}", d.trim_end_matches('/'))) {
            return o;
        }
    }
    if let Some((o, pkg)) = platform.by_default_dirs(image, name) {
        return Outcome::Found {
            path: o.path.clone(),
            package: pkg.to_string(),
        };
    }
    // Not in the image at all, but the program looks in a directory relative to itself: the
    // library has to be copied there with it.
    if let Some(via) = origin_dir {
        return Outcome::BesideProgram { via };
    }
    Outcome::NotFound
}
