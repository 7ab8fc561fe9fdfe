//! A root's libraries described the way the catalog describes an image (one image made of
//! one package), so the verdict's loader emulation resolves a program inside the root with
//! the same code that resolves it inside distroless.
//!
//! Only the directories the loader would search are read: `LD_LIBRARY_PATH` (from the
//! image's configuration), the directories of the root's `/etc/ld.so.conf` (what its
//! `ld.so.cache` would hold), the platform's default directories, and the program's own
//! `RPATH`/`RUNPATH` with `$ORIGIN` expanded inside the root.

use super::{Node, RootFs};
use crate::catalog::generate::{default_search_dirs, shared_object};
use crate::catalog::{
    ImageEntry, LazyPackage, PackageContents, PlatformCatalog, SharedObject, Tier,
};
use crate::inspect::Facts;
use std::collections::{BTreeMap, BTreeSet};

/// The package and image name the view uses for the root's files.
pub const ROOT_PACKAGE: &str = "(root)";

/// Directories a root's loader searches: `ld_library_path` first, then `/etc/ld.so.conf`'s
/// directories, then the defaults for `triplet`.
pub fn search_dirs(root: &RootFs, triplet: &str, ld_library_path: &[String]) -> Vec<String> {
    let mut dirs: Vec<String> = ld_library_path.to_vec();
    ld_so_conf(root, "/etc/ld.so.conf", &mut dirs, 0);
    if !triplet.is_empty() {
        dirs.extend(default_search_dirs(triplet));
    } else {
        dirs.extend(["/lib".to_string(), "/usr/lib".to_string()]);
    }
    let mut seen = BTreeSet::new();
    dirs.retain(|d| seen.insert(d.clone()));
    dirs
}

/// Directories named by an ld.so.conf file, following `include` globs (at most 8 deep).
fn ld_so_conf(root: &RootFs, file: &str, dirs: &mut Vec<String>, depth: usize) {
    if depth > 8 {
        return;
    }
    let Some(text) = root.read_text(file) else {
        return;
    };
    for line in String::from_utf8_lossy(&text).lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        if let Some(pattern) = line.strip_prefix("include") {
            let pattern = pattern.trim();
            let (dir, glob) = pattern.rsplit_once('/').unwrap_or(("/etc", pattern));
            let dir = if dir.is_empty() { "/" } else { dir };
            for name in root.list(dir) {
                if crate::inspect::walk::glob_match(glob.as_bytes(), name.as_bytes()) {
                    ld_so_conf(root, &super::join_dir(dir, &name), dirs, depth + 1);
                }
            }
        } else if line.starts_with('/') {
            dirs.push(line.to_string());
        }
    }
}

/// The most directories a view reads beyond the search directories and the program's own:
/// those its libraries' RPATH/RUNPATH name, transitively, until this many are named.
const MAX_VIEW_DIRS: usize = 256;

/// Which of the libraries' own RPATH/RUNPATH directories a view reads.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Follow {
    /// All of them: the root is a container's, every directory in it is the image's.
    All,
    /// Only those relative to the library (`$ORIGIN`): the root is this machine's, where
    /// whichbase reads the files that travel with a program and never the host's libraries.
    OriginOnly,
}

/// The shared objects in `dirs` (and what their symlinks point to), as a one-image platform.
/// The RPATH and RUNPATH directories of the libraries found are read too (those `follow`
/// allows), as the loader would search them, until no new directory appears.
pub fn platform(
    root: &RootFs,
    platform: &str,
    triplet: &str,
    search_dirs: Vec<String>,
    extra_dirs: &[String],
    follow: Follow,
) -> PlatformCatalog {
    let mut objects: BTreeMap<String, SharedObject> = BTreeMap::new();
    let mut links = BTreeMap::new();
    let mut dir_links = BTreeMap::new();
    let mut seen_dirs = BTreeSet::new();
    // Directories to read, in order, each named once: the libraries' RPATH/RUNPATH come from
    // the files, so a forged one naming thousands only fills the list up to the bound.
    let mut queue: std::collections::VecDeque<String> =
        search_dirs.iter().chain(extra_dirs).cloned().collect();
    let mut named: BTreeSet<String> = queue.iter().cloned().collect();
    while let Some(dir) = queue.pop_front() {
        let Some(real) = root.resolve(&dir, true) else {
            continue;
        };
        if real != dir {
            dir_links.entry(dir.clone()).or_insert_with(|| real.clone());
        }
        if !seen_dirs.insert(real.clone()) {
            continue;
        }
        // On this machine, only the files that travel with the program: never the host's
        // system directories, even when a relative path leads there.
        if follow == Follow::OriginOnly && super::system_path(&format!("{real}/")) {
            continue;
        }
        for name in root.list(&real) {
            if !name.contains(".so") && !name.starts_with("ld-") {
                continue;
            }
            let path = super::join_dir(&real, &name);
            let target = match root.stat(&path) {
                Some((target, Node::File(_))) => target,
                _ => continue,
            };
            if target != path {
                links.insert(path.clone(), target.clone());
            }
            if let std::collections::btree_map::Entry::Vacant(slot) = objects.entry(target) {
                if let Some(Ok(Facts::Elf(f))) = root.inspect(slot.key()) {
                    let mut o = shared_object(slot.key().clone(), &f);
                    o.rpath = dirs_of(&f.rpath, &o.path, Follow::All);
                    o.runpath = dirs_of(&f.runpath, &o.path, Follow::All);
                    // Directories the loader will search for this library's needs.
                    let more = dirs_of(&f.rpath, &o.path, follow);
                    for d in more.iter().chain(&dirs_of(&f.runpath, &o.path, follow)) {
                        if named.len() < MAX_VIEW_DIRS && named.insert(d.clone()) {
                            queue.push_back(d.clone());
                        }
                    }
                    slot.insert(o);
                }
            }
        }
    }
    let contents = PackageContents {
        version: String::new(),
        installed_size_kib: 0,
        objects: objects.into_values().collect(),
        modules: Vec::new(),
        links,
        files: Vec::new(),
    };
    let image = ImageEntry {
        name: ROOT_PACKAGE.into(),
        tier: Tier::Distro,
        reference: root.origin.display().to_string(),
        packages: vec![ROOT_PACKAGE.into()],
        files: Vec::new(),
        external_runtime: None,
        runtime: None,
    };
    let mut packages = BTreeMap::new();
    packages.insert(ROOT_PACKAGE.to_string(), LazyPackage::new(contents));
    PlatformCatalog::assembled(
        platform,
        triplet,
        search_dirs,
        dir_links,
        packages,
        vec![image],
    )
}

/// The directories of RPATH or RUNPATH entries of the object at `path`, as the loader
/// expands them (`$ORIGIN` is the object's directory), those `follow` allows. Relative
/// entries, which mean the loader's working directory, are left out: nothing in a root.
pub fn dirs_of(dirs: &[crate::text::RawText], path: &str, follow: Follow) -> Vec<String> {
    let kept: Vec<crate::text::RawText> = dirs
        .iter()
        .filter(|d| follow == Follow::All || is_origin_relative(d))
        .cloned()
        .collect();
    crate::inspect::expand_origin(&kept, path)
        .into_iter()
        .filter(|d| d.starts_with('/'))
        .collect()
}

/// Whether an RPATH/RUNPATH entry is relative to the object that carries it.
pub fn is_origin_relative(dir: &crate::text::RawText) -> bool {
    let d = dir.to_string();
    d.contains("$ORIGIN") || d.contains("${ORIGIN}")
}
