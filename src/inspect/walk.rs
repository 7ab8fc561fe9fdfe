//! Walking an application directory for the files worth a verdict: ELF files (by magic),
//! scripts (by `#!`), Java archives and Python zipapps (ZIP magic and extension).
//!
//! The walk never leaves the tree: a symbolic link to a directory inside it is followed once
//! (a loop is detected by device and inode), a link that points outside is skipped with a
//! note, and so are FIFOs, sockets and devices, which are never opened. Files are only
//! opened read-only and non-blocking, to read their first four bytes (a `package.json`, up to
//! 1 MiB, for the entry points it names).

use std::collections::BTreeSet;
use std::io::Read;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// Reads a `package.json` (regular file, opened non-blocking, at most 1 MiB) as JSON.
pub fn read_package_json(path: &Path) -> Option<serde_json::Value> {
    let f = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
        .ok()?;
    if !f.metadata().ok()?.is_file() {
        return None;
    }
    let mut text = Vec::new();
    f.take(1 << 20).read_to_end(&mut text).ok()?;
    serde_json::from_slice(&text).ok()
}

/// Bounds on a walk: deeper or larger trees are reported as cut.
const MAX_DEPTH: usize = 64;
const MAX_ENTRIES: usize = 1_000_000;

/// What a walk found.
#[derive(Debug, Default)]
pub struct Walk {
    /// Files to inspect, sorted.
    pub files: Vec<PathBuf>,
    /// What was skipped and why (symlinks out of the tree, loops, special files, errors).
    pub skipped: Vec<String>,
    /// Directory entries looked at.
    pub entries: usize,
}

/// Walks `root`, keeping the files worth inspecting. `exclude` globs are matched against the
/// path relative to `root` and against the file name.
pub fn walk(root: &Path, exclude: &[String]) -> Walk {
    let mut w = Walk::default();
    let canonical_root = match root.canonicalize() {
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
            let Ok(meta) = std::fs::symlink_metadata(&path) else {
                continue;
            };
            let ft = meta.file_type();
            let shown = crate::text::escape_path(&path);
            if ft.is_symlink() {
                match path.canonicalize() {
                    Err(_) => w.skipped.push(format!("{shown}: broken symbolic link")),
                    Ok(target) if !target.starts_with(&canonical_root) => w.skipped.push(format!(
                        "{shown}: symbolic link out of the tree (to {})",
                        crate::text::escape_path(&target)
                    )),
                    Ok(target) => match std::fs::metadata(&target) {
                        Ok(m) if m.is_dir() => {
                            if !seen_dirs.insert((m.dev(), m.ino())) {
                                w.skipped.push(format!(
                                    "{shown}: symbolic link loop (directory already walked)"
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
                if !seen_dirs.insert((meta.dev(), meta.ino())) {
                    continue;
                }
                if depth + 1 >= MAX_DEPTH {
                    w.skipped.push(format!(
                        "{shown}: deeper than {MAX_DEPTH} levels, not walked"
                    ));
                } else {
                    stack.push((path, depth + 1));
                }
            } else if ft.is_file() {
                if worth_inspecting(&path) {
                    w.files.push(path);
                } else if entry.file_name() == "package.json"
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
                            w.files.push(main);
                        } else if main.exists() {
                            w.skipped.push(format!(
                                "{}: package.json entry point outside the tree",
                                crate::text::escape_path(&main)
                            ));
                        }
                    }
                }
            } else {
                w.skipped
                    .push(format!("{shown}: {}, skipped", special_kind(&ft)));
            }
        }
    }
    finish(w)
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

/// ELF, `#!`, or a ZIP named like a Java archive or zipapp; a `.node` file is ELF anyway.
fn worth_inspecting(path: &Path) -> bool {
    let Ok(mut f) = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
    else {
        // Unreadable: let inspection report it on its line.
        return true;
    };
    let mut magic = [0u8; 4];
    let n = (&mut f).take(4).read(&mut magic).unwrap_or(0);
    let magic = &magic[..n];
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
    use super::glob_match;

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
