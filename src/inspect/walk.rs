//! Walking an application directory for the files worth a verdict: ELF files (by magic),
//! scripts (by `#!`), Java archives and Python zipapps (ZIP magic and extension).
//!
//! The walk never leaves the tree: a symbolic link to a directory inside it is followed once
//! (a loop is detected by device and inode), a link that points outside is skipped with a
//! note, and so are FIFOs, sockets and devices, which are never opened. The walk opens no
//! file but a `package.json` (read-only, non-blocking, up to 1 MiB, for the entry points it
//! names): whether a regular file is worth a verdict is decided from its first bytes when it
//! is inspected ([`worth_inspecting`]), on every core, with the one open that reads them.

use std::collections::{BTreeSet, HashMap};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// Reads a `package.json` (regular file, opened non-blocking, at most 1 MiB) as JSON.
pub fn read_package_json(path: &Path) -> Option<serde_json::Value> {
    let text = super::input::read_prefix(path, 1 << 20)?;
    serde_json::from_slice(&text).ok()
}

/// Bounds on a walk: deeper or larger trees are reported as cut.
const MAX_DEPTH: usize = 64;
const MAX_ENTRIES: usize = 1_000_000;

/// What a walk found.
#[derive(Debug, Default)]
pub struct Walk {
    /// Regular files (and links to files in the tree), sorted: each is inspected only if its
    /// first bytes are worth it, except the `entry_points`.
    pub files: Vec<PathBuf>,
    /// Files a `package.json` names as entry points (`main`, `bin`): inspected whatever their
    /// first bytes, since a Node.js script needs no `#!` line.
    pub entry_points: BTreeSet<PathBuf>,
    /// What was skipped and why (symlinks out of the tree, loops, special files, errors).
    pub skipped: Vec<String>,
    /// Directory entries looked at.
    pub entries: usize,
}

/// Walks `root`, keeping the files worth inspecting. `exclude` globs are matched against the
/// path relative to `root` and against the file name.
pub fn walk(root: &Path, exclude: &[String]) -> Walk {
    let mut w = Walk::default();
    let mut links = Resolver::default();
    let canonical_root = match links.canonical(root) {
        Ok(r) => r,
        Err(e) => {
            w.skipped
                .push(format!("{}: {e}", crate::text::escape_path(root)));
            return w;
        }
    };
    let mut seen_dirs = BTreeSet::new();
    if let Ok(m) = std::fs::metadata(root) {
        seen_dirs.insert((m.dev(), m.ino()));
    }
    let mut stack = vec![(root.to_path_buf(), 0usize)];
    while let Some((dir, depth)) = stack.pop() {
        let reader = match std::fs::read_dir(&dir) {
            Ok(r) => r,
            Err(e) => {
                w.skipped.push(format!(
                    "{}: cannot list: {e}",
                    crate::text::escape_path(&dir)
                ));
                continue;
            }
        };
        let mut names: Vec<_> = reader.flatten().collect();
        names.sort_by_key(|e| e.file_name());
        for entry in names {
            w.entries += 1;
            if w.entries > MAX_ENTRIES {
                w.skipped
                    .push(format!("walk stopped after {MAX_ENTRIES} entries"));
                return finish(w);
            }
            let path = entry.path();
            let rel = path.strip_prefix(root).unwrap_or(&path);
            if excluded(rel, exclude) {
                continue;
            }
            // The type from the directory entry itself (no system call on the filesystems
            // that record it; std asks lstat on the others).
            let Ok(ft) = entry.file_type() else {
                continue;
            };
            let shown = || crate::text::escape_path(&path);
            if ft.is_symlink() {
                match links.canonical(&path) {
                    Err(_) => w.skipped.push(format!("{}: broken symbolic link", shown())),
                    Ok(target) if !target.starts_with(&canonical_root) => w.skipped.push(format!(
                        "{}: symbolic link out of the tree (to {})",
                        shown(),
                        crate::text::escape_path(&target)
                    )),
                    Ok(target) => match std::fs::metadata(&target) {
                        Ok(m) if m.is_dir() => {
                            if !seen_dirs.insert((m.dev(), m.ino())) {
                                w.skipped.push(format!(
                                    "{}: symbolic link loop (directory already walked)",
                                    shown()
                                ));
                            } else if depth < MAX_DEPTH {
                                stack.push((path, depth + 1));
                            }
                        }
                        // A link to a file in the tree: the file itself is walked.
                        _ => {}
                    },
                }
            } else if ft.is_dir() {
                let Ok(meta) = std::fs::symlink_metadata(&path) else {
                    continue;
                };
                if !seen_dirs.insert((meta.dev(), meta.ino())) {
                    continue;
                }
                if depth + 1 >= MAX_DEPTH {
                    w.skipped.push(format!(
                        "{}: deeper than {MAX_DEPTH} levels, not walked",
                        shown()
                    ));
                } else {
                    stack.push((path, depth + 1));
                }
            } else if ft.is_file() {
                if entry.file_name() == "package.json"
                    && !rel.components().any(|c| c.as_os_str() == "node_modules")
                {
                    // A Node.js application's entry points are named here, not by a #! line.
                    // Only entry points that really are inside the tree: a link in their path
                    // may point anywhere.
                    for main in package_entry_points(&path) {
                        let inside = main
                            .canonicalize()
                            .is_ok_and(|real| real.starts_with(&canonical_root) && real.is_file());
                        if inside {
                            w.entry_points.insert(main.clone());
                            w.files.push(main);
                        } else if main.exists() {
                            w.skipped.push(format!(
                                "{}: package.json entry point outside the tree",
                                crate::text::escape_path(&main)
                            ));
                        }
                    }
                } else {
                    w.files.push(path);
                }
            } else {
                w.skipped
                    .push(format!("{}: {}, skipped", shown(), special_kind(&ft)));
            }
        }
    }
    finish(w)
}

/// Resolves paths as realpath(3) does, remembering every component already resolved: the
/// links of /usr/bin (385 of them) point into a few directories, and realpath asks the kernel
/// about each component of each path again (eight system calls per link).
#[derive(Default)]
struct Resolver {
    /// Path with no link before its last component -> its real path.
    known: HashMap<PathBuf, PathBuf>,
    /// Real paths known to be directories (something was looked up inside them).
    dirs: BTreeSet<PathBuf>,
}

/// Links followed in one resolution before it counts as a loop (the kernel's limit).
const MAX_LINK_HOPS: u32 = 40;

impl Resolver {
    fn canonical(&mut self, path: &Path) -> std::io::Result<PathBuf> {
        let absolute = if path.is_absolute() {
            path.to_path_buf()
        } else {
            std::env::current_dir()?.join(path)
        };
        self.resolve(&absolute, &mut 0)
    }

    /// `path` must be absolute. Split by hand, not with `Path::components`, which drops the
    /// `.` in `file/.`: realpath refuses that (not a directory), and so must this.
    fn resolve(&mut self, path: &Path, hops: &mut u32) -> std::io::Result<PathBuf> {
        use std::ffi::OsStr;
        use std::os::unix::ffi::OsStrExt;
        let parts: Vec<&[u8]> = path.as_os_str().as_bytes().split(|&b| b == b'/').collect();
        let mut out = PathBuf::from("/");
        for (i, part) in parts.iter().enumerate() {
            match *part {
                // `//`, or the root; a trailing `/` asks for a directory.
                b"" if i + 1 < parts.len() || i == 0 => {}
                b"" | b"." => self.must_be_dir(&out)?,
                // `out` has no links in it, so going up is going up for real.
                b".." => {
                    self.must_be_dir(&out)?;
                    out.pop();
                }
                name => {
                    let next = out.join(OsStr::from_bytes(name));
                    if let Some(real) = self.known.get(&next) {
                        out = real.clone();
                        continue;
                    }
                    let real = match std::fs::read_link(&next) {
                        Ok(target) => {
                            *hops += 1;
                            if *hops > MAX_LINK_HOPS {
                                return Err(std::io::Error::from_raw_os_error(libc::ELOOP));
                            }
                            self.dirs.insert(out.clone());
                            self.resolve(&out.join(target), hops)?
                        }
                        // Not a link: the path is its own real path.
                        Err(e) if e.raw_os_error() == Some(libc::EINVAL) => {
                            self.dirs.insert(out.clone());
                            next.clone()
                        }
                        // Missing (a broken link), or a component that is not a directory.
                        Err(e) => return Err(e),
                    };
                    self.known.insert(next, real.clone());
                    out = real;
                }
            }
        }
        Ok(out)
    }

    fn must_be_dir(&mut self, real: &Path) -> std::io::Result<()> {
        if self.dirs.contains(real) {
            return Ok(());
        }
        if !std::fs::metadata(real)?.is_dir() {
            return Err(std::io::Error::from_raw_os_error(libc::ENOTDIR));
        }
        self.dirs.insert(real.to_path_buf());
        Ok(())
    }
}

fn finish(mut w: Walk) -> Walk {
    w.files.sort();
    w.files.dedup();
    w
}

/// `main` and `bin` of a `package.json`, as paths beside it.
fn package_entry_points(package_json: &Path) -> Vec<PathBuf> {
    let Some(dir) = package_json.parent() else {
        return Vec::new();
    };
    let Some(v) = read_package_json(package_json) else {
        return Vec::new();
    };
    let mut names: Vec<&str> = Vec::new();
    if let Some(m) = v["main"].as_str() {
        names.push(m);
    }
    match &v["bin"] {
        serde_json::Value::String(b) => names.push(b),
        serde_json::Value::Object(m) => names.extend(m.values().filter_map(|b| b.as_str())),
        _ => {}
    }
    names
        .into_iter()
        .filter(|n| !n.starts_with('/') && !n.split('/').any(|c| c == ".."))
        .map(|n| dir.join(n.trim_start_matches("./")))
        .collect()
}

fn special_kind(ft: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if ft.is_fifo() {
        "FIFO"
    } else if ft.is_socket() {
        "socket"
    } else if ft.is_char_device() || ft.is_block_device() {
        "device"
    } else {
        "special file"
    }
}

/// Whether a file of a walked directory, starting with `head`, is worth a verdict: ELF, `#!`,
/// or a ZIP named like a Java archive or zipapp; a `.node` file is ELF anyway.
pub fn worth_inspecting(path: &Path, head: &[u8]) -> bool {
    let magic = head.get(..4).unwrap_or(head);
    if magic == b"\x7fELF" || magic.starts_with(b"#!") {
        return true;
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    magic == b"PK\x03\x04" && matches!(ext.as_str(), "jar" | "war" | "pyz")
}

fn excluded(rel: &Path, globs: &[String]) -> bool {
    if globs.is_empty() {
        return false;
    }
    let rel_text = rel.to_string_lossy();
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    globs.iter().any(|g| {
        glob_match(g.as_bytes(), rel_text.as_bytes()) || glob_match(g.as_bytes(), name.as_bytes())
    })
}

/// Shell-style matching: `*` any run without `/`, `**` any run, `?` one byte other than `/`,
/// `[...]` not supported (matched literally). A table over (pattern, text) positions: linear
/// in their product, never exponential; text longer than 4096 bytes does not match.
pub fn glob_match(pattern: &[u8], text: &[u8]) -> bool {
    let (m, n) = (pattern.len(), text.len());
    if n > 4096 || m > 4096 {
        return false;
    }
    // row[j]: pattern[i..] matches text[j..], for the current i (built from the end).
    let mut next = vec![false; n + 1]; // i + 1
    let mut next2 = vec![false; n + 1]; // i + 2
    next[n] = true; // empty pattern matches empty text
    let mut i = m;
    while i > 0 {
        i -= 1;
        let mut row = vec![false; n + 1];
        let c = pattern[i];
        let double = c == b'*' && pattern.get(i + 1) == Some(&b'*');
        for j in (0..=n).rev() {
            let t = text.get(j);
            row[j] = match c {
                b'*' if double => next2[j] || (t.is_some() && row[j + 1]),
                b'*' => next[j] || (t.is_some_and(|&b| b != b'/') && row[j + 1]),
                b'?' => t.is_some_and(|&b| b != b'/') && next[j + 1],
                _ => t == Some(&c) && next[j + 1],
            };
        }
        next2 = std::mem::replace(&mut next, row);
    }
    next[0]
}

#[cfg(test)]
mod tests {
    use super::{glob_match, Resolver};
    use std::os::unix::fs::symlink;

    #[test]
    fn resolver_agrees_with_realpath() {
        let tmp = tempfile::tempdir().unwrap();
        let t = tmp.path();
        std::fs::create_dir_all(t.join("a/b/c")).unwrap();
        std::fs::write(t.join("a/b/c/file"), b"x").unwrap();
        let links: [(&str, &str); 12] = [
            ("a/same", "b"),                  // a sibling directory
            ("a/b/up", "../b/c/file"),        // up and down again
            ("a/b/c/abs", "/proc/self/root"), // absolute, itself a link
            ("a/chain1", "chain2"),           // a chain of links
            ("a/chain2", "same/c/file"),
            ("a/b/dotdot", "../same/../b/c"), // `..` after a link in the target
            ("a/b/c/loop", "loop2"),          // a loop
            ("a/b/c/loop2", "loop"),
            ("a/broken", "missing/file"),     // broken
            ("a/through", "b/c/file/x"),      // a file used as a directory
            ("a/b/c/parent", ".."),           // a link to its own parent
            ("a/dirlink", "b/c/parent/../c"), // `..` after a link to a parent
        ];
        for (from, to) in links {
            symlink(to, t.join(from)).unwrap();
        }
        let mut r = Resolver::default();
        for (from, _) in links {
            for suffix in ["", "/", "/.", "/..", "//c", "/c", "/file"] {
                let p = t.join(format!("{from}{suffix}"));
                let real = p.canonicalize().map_err(|e| e.raw_os_error());
                let ours = r.canonical(&p).map_err(|e| e.raw_os_error());
                assert_eq!(ours, real, "{}", p.display());
            }
        }
    }

    #[test]
    fn globs() {
        assert!(glob_match(b"*.so", b"libfoo.so"));
        assert!(!glob_match(b"*.so", b"lib/libfoo.so"));
        assert!(glob_match(b"**/*.so", b"lib/x/libfoo.so"));
        assert!(glob_match(b"node_modules/**", b"node_modules/a/b.node"));
        assert!(glob_match(b"test?", b"test1"));
        assert!(!glob_match(b"test?", b"test"));
        assert!(glob_match(b"*", b""));
        assert!(!glob_match(b"a*b", b"a/b"));
        assert!(glob_match(b"a**b", b"a/x/b"));
    }
}
