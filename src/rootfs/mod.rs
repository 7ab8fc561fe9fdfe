//! A container's root filesystem, read without running or extracting anything.
//!
//! Two sources give the same view: a directory on disk (`--root DIR`, an unpacked image),
//! read with `lstat` and `read` only; and an image's layers (`whichbase image`), applied in
//! memory in order with whiteouts and opaque directories ([`layers`]). Paths are resolved
//! inside the root the way the kernel would for a process chrooted there: absolute symlink
//! targets start at the root, `..` stops at the root, at most 40 links per lookup. Nothing
//! on this machine outside the root is consulted.
//!
//! From the view, [`view`] builds the catalog-shaped description of its libraries that the
//! verdict's loader emulation reads, and [`packages`] reads what the base is (os-release and
//! the package database) and which files the packages own.

pub mod image;
pub mod layers;
pub mod packages;
pub mod view;

use crate::inspect::{self, Facts, Limits};
use crate::text::escape_path;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Why a root or image could not be read. `Display` is one line naming the path.
#[derive(Debug)]
pub struct RootError {
    pub path: PathBuf,
    pub what: String,
}

impl std::fmt::Display for RootError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", escape_path(&self.path), self.what)
    }
}

impl std::error::Error for RootError {}

impl RootError {
    pub fn new(path: &Path, what: impl Into<String>) -> RootError {
        RootError {
            path: path.to_path_buf(),
            what: what.into(),
        }
    }
}

/// One entry of a root, after symlinks in its parent directories were resolved.
#[derive(Debug, Clone)]
pub enum Node {
    Dir,
    File(FileNode),
    Symlink(String),
}

#[derive(Debug, Clone)]
pub struct FileNode {
    pub size: u64,
    pub mode: u32,
    pub content: Content,
}

/// What is known of a file's bytes. A layer is a stream, so a file must be read when its
/// entry passes: small configuration files are kept, programs and libraries are inspected
/// into facts on the way and their bytes dropped.
#[derive(Debug, Clone)]
pub enum Content {
    /// On disk at this host path (a directory root): read on demand.
    Disk(PathBuf),
    /// Kept in memory (os-release, passwd, the package database, ...).
    Kept(Arc<[u8]>),
    /// Inspected while its layer streamed past.
    Inspected(Arc<Result<Facts, String>>),
    /// Not kept: not a program, library or file whichbase reads.
    Skipped,
}

/// Lookups follow at most this many symlinks, as Linux does (`ELOOP` after 40).
const MAX_LINKS: usize = 40;

/// Text files larger than this are not read from a root (a dpkg status of a large image is a
/// few MB).
pub const TEXT_LIMIT: u64 = 32 << 20;

pub struct RootFs {
    /// What the root was read from, for messages.
    pub origin: PathBuf,
    tree: Tree,
}

enum Tree {
    Disk(PathBuf),
    Memory(BTreeMap<String, Node>),
}

impl RootFs {
    /// A root filesystem in a directory of this machine.
    pub fn from_dir(dir: &Path) -> Result<RootFs, RootError> {
        let meta = std::fs::metadata(dir).map_err(|e| RootError::new(dir, e.to_string()))?;
        if !meta.is_dir() {
            return Err(RootError::new(dir, "not a directory"));
        }
        Ok(RootFs {
            origin: dir.to_path_buf(),
            tree: Tree::Disk(dir.to_path_buf()),
        })
    }

    /// A root assembled in memory (from image layers).
    pub fn from_nodes(origin: &Path, nodes: BTreeMap<String, Node>) -> RootFs {
        RootFs {
            origin: origin.to_path_buf(),
            tree: Tree::Memory(nodes),
        }
    }

    /// The entry at a path whose directories contain no symlinks (`lstat`).
    fn lstat(&self, path: &str) -> Option<Node> {
        match &self.tree {
            Tree::Memory(nodes) => {
                if path == "/" {
                    return Some(Node::Dir);
                }
                nodes.get(path).cloned()
            }
            Tree::Disk(root) => {
                let host = host_path(root, path);
                let meta = std::fs::symlink_metadata(&host).ok()?;
                let ft = meta.file_type();
                if ft.is_dir() {
                    Some(Node::Dir)
                } else if ft.is_symlink() {
                    let target = std::fs::read_link(&host).ok()?;
                    Some(Node::Symlink(target.to_string_lossy().into_owned()))
                } else if ft.is_file() {
                    use std::os::unix::fs::PermissionsExt;
                    Some(Node::File(FileNode {
                        size: meta.len(),
                        mode: meta.permissions().mode(),
                        content: Content::Disk(host),
                    }))
                } else {
                    // FIFOs, sockets and devices are never opened.
                    None
                }
            }
        }
    }

    /// Resolves `path` inside the root: every symlink followed (the last one too when
    /// `follow_last`), absolute targets starting at the root. `None` when a component is
    /// missing, is not a directory, or the links loop.
    pub fn resolve(&self, path: &str, follow_last: bool) -> Option<String> {
        let mut todo: Vec<String> = components(path).into_iter().rev().collect();
        let mut done: Vec<String> = Vec::new();
        let mut links = 0;
        while let Some(part) = todo.pop() {
            if part == ".." {
                done.pop();
                continue;
            }
            let candidate = join(&done, &part);
            let last = todo.is_empty();
            match self.lstat(&candidate) {
                Some(Node::Symlink(target)) if !last || follow_last => {
                    links += 1;
                    if links > MAX_LINKS {
                        return None;
                    }
                    if target.starts_with('/') {
                        done.clear();
                    }
                    todo.extend(components(&target).into_iter().rev());
                }
                Some(Node::File(_)) if !last => return None,
                Some(_) => done.push(part),
                None if last && !follow_last => done.push(part),
                None => return None,
            }
        }
        Some(join(&done, ""))
    }

    /// The entry `path` leads to, every symlink followed, with its resolved path.
    pub fn stat(&self, path: &str) -> Option<(String, Node)> {
        let real = self.resolve(path, true)?;
        let node = self.lstat(&real)?;
        Some((real, node))
    }

    pub fn exists(&self, path: &str) -> bool {
        self.stat(path).is_some()
    }

    pub fn is_dir(&self, path: &str) -> bool {
        matches!(self.stat(path), Some((_, Node::Dir)))
    }

    /// The names in a directory (resolved first), sorted.
    pub fn list(&self, dir: &str) -> Vec<String> {
        let Some((real, Node::Dir)) = self.stat(dir) else {
            return Vec::new();
        };
        match &self.tree {
            Tree::Memory(nodes) => {
                let prefix = if real == "/" {
                    "/".to_string()
                } else {
                    format!("{real}/")
                };
                nodes
                    .range(prefix.clone()..)
                    .take_while(|(k, _)| k.starts_with(&prefix))
                    .filter_map(|(k, _)| {
                        let rest = &k[prefix.len()..];
                        (!rest.is_empty() && !rest.contains('/')).then(|| rest.to_string())
                    })
                    .collect()
            }
            Tree::Disk(root) => {
                let Ok(rd) = std::fs::read_dir(host_path(root, &real)) else {
                    return Vec::new();
                };
                let mut names: Vec<String> = rd
                    .filter_map(|e| e.ok())
                    .filter_map(|e| e.file_name().to_str().map(str::to_string))
                    .collect();
                names.sort();
                names
            }
        }
    }

    /// A small text file's bytes (symlinks followed), or `None` when it is absent, not
    /// regular, larger than [`TEXT_LIMIT`], or was not kept from its layer.
    pub fn read_text(&self, path: &str) -> Option<Arc<[u8]>> {
        let (_, Node::File(f)) = self.stat(path)? else {
            return None;
        };
        match f.content {
            Content::Kept(bytes) => Some(bytes),
            Content::Disk(host) => {
                use std::io::Read;
                let file = open_read_only(&host).ok()?;
                let mut buf = Vec::new();
                file.take(TEXT_LIMIT + 1).read_to_end(&mut buf).ok()?;
                (buf.len() as u64 <= TEXT_LIMIT).then(|| buf.into())
            }
            _ => None,
        }
    }

    /// The facts of the program or library at `path` (symlinks followed).
    pub fn inspect(&self, path: &str) -> Option<Result<Facts, String>> {
        let (real, Node::File(f)) = self.stat(path)? else {
            return None;
        };
        match f.content {
            Content::Inspected(facts) => Some((*facts).clone()),
            Content::Disk(host) => {
                Some(inspect::inspect(&host, &Limits::default()).map_err(|e| e.to_string()))
            }
            Content::Kept(bytes) => Some(
                inspect::inspect_bytes(Path::new(&real), bytes.to_vec(), f.mode)
                    .map_err(|e| e.to_string()),
            ),
            Content::Skipped => None,
        }
    }

    /// Every regular file and symlink of the root with its node (for the image report). A
    /// directory root is walked without following symlinks, at most `limit` entries.
    pub fn entries(&self, limit: usize) -> Vec<(String, Node)> {
        match &self.tree {
            Tree::Memory(nodes) => nodes
                .iter()
                .filter(|(_, n)| !matches!(n, Node::Dir))
                .take(limit)
                .map(|(k, n)| (k.clone(), n.clone()))
                .collect(),
            Tree::Disk(_) => {
                let mut out = Vec::new();
                let mut stack = vec!["/".to_string()];
                while let Some(dir) = stack.pop() {
                    for name in self.list(&dir) {
                        if out.len() >= limit {
                            return out;
                        }
                        let path = join_dir(&dir, &name);
                        match self.lstat(&path) {
                            Some(Node::Dir) => stack.push(path),
                            Some(n) => out.push((path, n)),
                            None => {}
                        }
                    }
                }
                out.sort_by(|a, b| a.0.cmp(&b.0));
                out
            }
        }
    }
}

/// The path of a file of a disk root on this machine: `path` must already be resolved.
fn host_path(root: &Path, path: &str) -> PathBuf {
    root.join(path.trim_start_matches('/'))
}

/// Opens read-only, without following a final symlink, never blocking on a FIFO.
fn open_read_only(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
}

/// The non-empty, non-`.` components of a path.
fn components(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|c| !c.is_empty() && *c != ".")
        .map(str::to_string)
        .collect()
}

fn join(done: &[String], last: &str) -> String {
    let mut s = String::new();
    for c in done.iter().map(String::as_str).chain(Some(last)) {
        if !c.is_empty() {
            s.push('/');
            s.push_str(c);
        }
    }
    if s.is_empty() {
        s.push('/');
    }
    s
}

/// `dir` + `/` + `name`, without doubling the root's slash.
pub fn join_dir(dir: &str, name: &str) -> String {
    if dir.ends_with('/') {
        format!("{dir}{name}")
    } else {
        format!("{dir}/{name}")
    }
}

/// Whether a path is system territory: the distribution's programs and libraries (a root
/// without package database is read with this as its owned files; on this machine, these
/// directories are the host's and are never read for a verdict).
pub fn system_path(p: &str) -> bool {
    const SYSTEM: &[&str] = &[
        "/bin/",
        "/sbin/",
        "/lib/",
        "/lib32/",
        "/lib64/",
        "/libx32/",
        "/usr/bin/",
        "/usr/sbin/",
        "/usr/lib/",
        "/usr/lib32/",
        "/usr/lib64/",
        "/usr/libexec/",
        "/usr/share/",
        "/usr/include/",
    ];
    SYSTEM.iter().any(|s| p.starts_with(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file() -> Node {
        Node::File(FileNode {
            size: 1,
            mode: 0o755,
            content: Content::Skipped,
        })
    }

    fn root(entries: &[(&str, Node)]) -> RootFs {
        let nodes = entries
            .iter()
            .map(|(p, n)| (p.to_string(), n.clone()))
            .collect();
        RootFs::from_nodes(Path::new("test"), nodes)
    }

    #[test]
    fn symlinks_resolve_inside_the_root() {
        let r = root(&[
            ("/usr", Node::Dir),
            ("/usr/lib", Node::Dir),
            ("/usr/lib/libc.so.6", file()),
            ("/lib", Node::Symlink("usr/lib".into())),
            ("/lib64", Node::Symlink("/usr/lib".into())),
            (
                "/usr/lib/up",
                Node::Symlink("../../../../usr/lib/libc.so.6".into()),
            ),
            ("/loop", Node::Symlink("/loop".into())),
        ]);
        assert_eq!(
            r.resolve("/lib/libc.so.6", true).as_deref(),
            Some("/usr/lib/libc.so.6")
        );
        assert_eq!(
            r.resolve("/lib64/../lib/libc.so.6", true).as_deref(),
            Some("/usr/lib/libc.so.6")
        );
        // `..` above the root stays at the root, as in a chroot.
        assert_eq!(
            r.resolve("/usr/lib/up", true).as_deref(),
            Some("/usr/lib/libc.so.6")
        );
        assert_eq!(r.resolve("/loop", true), None);
        assert_eq!(r.resolve("/lib/missing", true), None);
        assert_eq!(r.resolve("/lib", false).as_deref(), Some("/lib"));
        assert_eq!(r.list("/lib"), vec!["libc.so.6", "up"]);
        assert!(r.is_dir("/lib64"));
    }
}
