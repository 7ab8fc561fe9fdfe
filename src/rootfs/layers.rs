//! Image layers applied in memory: each layer is a tar stream (plain, or gzip-compressed),
//! applied in order onto one tree the way the container runtime's overlay would, without
//! writing anything to disk.
//!
//! OCI whiteouts: `DIR/.wh.NAME` deletes `NAME` from the layers below, `DIR/.wh..wh..opq`
//! hides everything the layers below had in `DIR`. A whiteout never hides what its own layer
//! adds. A layer that names a path outside the root (`..`, an absolute path) is an error, not
//! something to clean up: no real build tool writes one.

use super::{Content, FileNode, Node};
use crate::inspect;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

/// Bounds on what layers may make whichbase do.
#[derive(Debug, Clone)]
pub struct LayerLimits {
    /// Entries over all layers.
    pub max_entries: usize,
    /// Programs and libraries larger than this are listed but not inspected.
    pub max_inspect: u64,
    /// Bytes of configuration files kept over all layers.
    pub max_kept: u64,
    /// Bytes of a path or link target.
    pub max_path: usize,
    /// Layers per image.
    pub max_layers: usize,
}

impl Default for LayerLimits {
    fn default() -> Self {
        LayerLimits {
            max_entries: 2_000_000,
            max_inspect: 512 << 20,
            max_kept: 256 << 20,
            max_path: 4096,
            max_layers: 1000,
        }
    }
}

/// The tree being built, with the layer that last wrote each path.
#[derive(Default)]
pub struct Overlay {
    nodes: BTreeMap<String, (Node, usize)>,
    entries: usize,
    kept: u64,
    /// Files too large to inspect, named in the report.
    pub not_inspected: Vec<String>,
}

impl Overlay {
    pub fn into_nodes(self) -> BTreeMap<String, Node> {
        self.nodes.into_iter().map(|(k, (n, _))| (k, n)).collect()
    }

    /// Removes `path` and everything under it that a layer below `layer` wrote.
    fn hide(&mut self, path: &str, layer: usize, self_too: bool) {
        let prefix = format!("{}/", path.trim_end_matches('/'));
        let below: Vec<String> = self
            .nodes
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .filter(|(_, (_, l))| *l < layer)
            .map(|(k, _)| k.clone())
            .collect();
        for k in below {
            self.nodes.remove(&k);
        }
        if self_too && self.nodes.get(path).is_some_and(|(_, l)| *l < layer) {
            self.nodes.remove(path);
        }
    }

    fn put(&mut self, path: String, node: Node, layer: usize) {
        // Parents exist even when the layer has no entry for them.
        let mut parent = path.as_str();
        while let Some((p, _)) = parent.rsplit_once('/') {
            if p.is_empty() {
                break;
            }
            if !self.nodes.contains_key(p) {
                self.nodes.insert(p.to_string(), (Node::Dir, layer));
            }
            parent = p;
        }
        let replaces_dir = matches!(self.nodes.get(&path), Some((Node::Dir, _)));
        if replaces_dir && !matches!(node, Node::Dir) {
            // A file over a directory replaces the whole directory.
            self.hide(&path, usize::MAX, false);
        }
        self.nodes.insert(path, (node, layer));
    }

    /// Applies one layer. `layer` counts from 0 at the bottom; `what` names it in errors.
    pub fn apply(
        &mut self,
        reader: impl Read,
        layer: usize,
        limits: &LayerLimits,
        what: &str,
    ) -> Result<(), String> {
        if layer >= limits.max_layers {
            return Err(format!("more than {} layers", limits.max_layers));
        }
        let mut archive = tar::Archive::new(reader);
        let entries = archive
            .entries()
            .map_err(|e| format!("{what}: not a tar stream: {e}"))?;
        for entry in entries {
            let mut entry = entry.map_err(|e| format!("{what}: {e}"))?;
            self.entries += 1;
            if self.entries > limits.max_entries {
                return Err(format!(
                    "{what}: more than {} entries in the image's layers",
                    limits.max_entries
                ));
            }
            let raw = entry.path_bytes().into_owned();
            let path = normalize(&raw, limits.max_path)
                .map_err(|e| format!("{what}: entry {}: {e}", show(&raw)))?;
            let Some(path) = path else {
                continue; // the layer's root directory itself
            };
            let (dir, name) = path.rsplit_once('/').unwrap_or(("", &path));
            if let Some(hidden) = name.strip_prefix(".wh.") {
                if hidden == ".wh..opq" {
                    self.hide(if dir.is_empty() { "/" } else { dir }, layer, false);
                } else if !hidden.is_empty() {
                    let target = format!("{dir}/{hidden}");
                    self.hide(&target, layer, true);
                }
                continue;
            }
            let header = entry.header();
            let kind = header.entry_type();
            let mode = header.mode().unwrap_or(0o644);
            let node = match kind {
                tar::EntryType::Directory => Node::Dir,
                tar::EntryType::Symlink => {
                    let target = entry
                        .link_name_bytes()
                        .map(|b| b.into_owned())
                        .unwrap_or_default();
                    if target.len() > limits.max_path {
                        return Err(format!("{what}: entry {path}: link target too long"));
                    }
                    Node::Symlink(String::from_utf8_lossy(&target).into_owned())
                }
                tar::EntryType::Link => {
                    let target = entry
                        .link_name_bytes()
                        .map(|b| b.into_owned())
                        .unwrap_or_default();
                    let target = normalize(&target, limits.max_path)
                        .map_err(|e| format!("{what}: hard link {path}: {e}"))?;
                    match target.and_then(|t| self.nodes.get(&t).map(|(n, _)| n.clone())) {
                        Some(n) => n,
                        // A hard link to nothing earlier: tar could not extract it either.
                        None => continue,
                    }
                }
                tar::EntryType::Regular | tar::EntryType::Continuous => {
                    let size = entry.size();
                    let content = self.read_content(&mut entry, &path, size, mode, limits, what)?;
                    Node::File(FileNode {
                        size,
                        mode,
                        content,
                    })
                }
                // Devices, FIFOs and the rest are recorded as absent: nothing reads them.
                _ => continue,
            };
            self.put(path, node, layer);
        }
        Ok(())
    }

    /// Reads what whichbase needs from a file as it streams past: configuration text is
    /// kept, programs and libraries are inspected, everything else is skipped unread.
    fn read_content(
        &mut self,
        entry: &mut impl Read,
        path: &str,
        size: u64,
        mode: u32,
        limits: &LayerLimits,
        what: &str,
    ) -> Result<Content, String> {
        let keep = is_kept_text(path);
        let mut head = [0u8; 4];
        let mut got = 0;
        while got < head.len() && (got as u64) < size {
            match entry.read(&mut head[got..]) {
                Ok(0) => break,
                Ok(n) => got += n,
                Err(e) => return Err(format!("{what}: {path}: {e}")),
            }
        }
        let head = &head[..got];
        let program = head.starts_with(b"\x7fELF")
            || head.starts_with(b"#!")
            || (head.starts_with(b"PK") && (path.ends_with(".jar") || path.ends_with(".war")))
            || (mode & 0o111 != 0 && inspect::by_extension(Path::new(path)).is_some());
        if !keep && !program {
            return Ok(Content::Skipped);
        }
        if keep && !program && (size > super::TEXT_LIMIT || self.kept + size > limits.max_kept) {
            return Ok(Content::Skipped);
        }
        if program && size > limits.max_inspect {
            self.not_inspected.push(path.to_string());
            return Ok(Content::Skipped);
        }
        let mut bytes = head.to_vec();
        entry
            .take(size.saturating_sub(got as u64))
            .read_to_end(&mut bytes)
            .map_err(|e| format!("{what}: {path}: {e}"))?;
        if !program {
            self.kept += bytes.len() as u64;
            return Ok(Content::Kept(bytes.into()));
        }
        let facts = inspect::inspect_bytes(Path::new(path), bytes, mode).map_err(|e| e.to_string());
        Ok(Content::Inspected(Arc::new(facts)))
    }
}

/// Configuration files a report reads: kept from the layers.
fn is_kept_text(path: &str) -> bool {
    const FILES: &[&str] = &[
        "/etc/os-release",
        "/usr/lib/os-release",
        "/etc/passwd",
        "/etc/group",
        "/etc/nsswitch.conf",
        "/etc/ld.so.conf",
        "/var/lib/dpkg/status",
        "/lib/apk/db/installed",
        "/usr/lib/apk/db/installed",
    ];
    const DIRS: &[&str] = &[
        "/etc/ld.so.conf.d/",
        "/var/lib/dpkg/status.d/",
        "/var/lib/dpkg/info/",
    ];
    FILES.contains(&path)
        || DIRS.iter().any(|d| {
            path.strip_prefix(d).is_some_and(|rest| {
                !rest.contains('/')
                    && (d != &"/var/lib/dpkg/info/"
                        || rest.ends_with(".list")
                        || rest.ends_with(".md5sums"))
            })
        })
}

/// A layer entry's path as an absolute path of the root: `./usr/bin/` -> `/usr/bin`.
/// `Ok(None)` is the root itself. Paths that leave the root are errors.
pub fn normalize(raw: &[u8], max: usize) -> Result<Option<String>, String> {
    if raw.len() > max {
        return Err(format!("path longer than {max} bytes"));
    }
    if raw.contains(&0) {
        return Err("path contains a NUL byte".into());
    }
    if raw.starts_with(b"/") {
        return Err("absolute path in a layer".into());
    }
    let text = String::from_utf8_lossy(raw);
    let mut parts = Vec::new();
    for c in text.split('/') {
        match c {
            "" | "." => {}
            ".." => return Err("path leaves the root (`..`)".into()),
            c => parts.push(c),
        }
    }
    if parts.is_empty() {
        return Ok(None);
    }
    Ok(Some(format!("/{}", parts.join("/"))))
}

fn show(raw: &[u8]) -> String {
    crate::text::RawText::new(raw).to_string()
}

/// A layer blob's reader: gzip is undone on the way, zstd is refused by name.
pub fn decompressed<'a>(
    mut reader: Box<dyn std::io::BufRead + 'a>,
    what: &str,
) -> Result<Box<dyn Read + 'a>, String> {
    let head = reader
        .fill_buf()
        .map_err(|e| format!("{what}: {e}"))?
        .get(..4)
        .map(<[u8]>::to_vec)
        .unwrap_or_default();
    if head.starts_with(&[0x1f, 0x8b]) {
        Ok(Box::new(flate2::bufread::MultiGzDecoder::new(reader)))
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Err(format!(
            "{what}: zstd-compressed layer: not supported yet (convert with `skopeo copy --dest-compress-format gzip`)"
        ))
    } else {
        Ok(Box::new(reader))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (path, file contents, symlink target); neither contents nor target: a directory.
    type Entry<'a> = (&'a str, Option<&'a [u8]>, Option<&'a str>);

    fn layer(entries: &[Entry]) -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        for (path, data, link) in entries {
            let mut h = tar::Header::new_gnu();
            match (data, link) {
                (_, Some(target)) => {
                    h.set_entry_type(tar::EntryType::Symlink);
                    h.set_size(0);
                    h.set_mode(0o777);
                    h.set_cksum();
                    b.append_link(&mut h, path, target).unwrap();
                }
                (Some(d), None) => {
                    h.set_size(d.len() as u64);
                    h.set_mode(0o644);
                    h.set_cksum();
                    b.append_data(&mut h, path, *d).unwrap();
                }
                (None, None) => {
                    h.set_entry_type(tar::EntryType::Directory);
                    h.set_size(0);
                    h.set_mode(0o755);
                    h.set_cksum();
                    b.append_data(&mut h, path, &[][..]).unwrap();
                }
            }
        }
        b.into_inner().unwrap()
    }

    #[test]
    fn whiteouts_hide_lower_layers_only() {
        let mut o = Overlay::default();
        let limits = LayerLimits::default();
        let l0 = layer(&[
            ("etc/", None, None),
            ("etc/passwd", Some(b"root:x:0:0::/root:/bin/sh\n"), None),
            ("opt/", None, None),
            ("opt/a", Some(b"a"), None),
            ("opt/sub/b", Some(b"b"), None),
            ("bin", None, Some("usr/bin")),
        ]);
        o.apply(&l0[..], 0, &limits, "layer 0").unwrap();
        let l1 = layer(&[
            ("etc/.wh.passwd", Some(b""), None),
            ("opt/.wh..wh..opq", Some(b""), None),
            ("opt/new", Some(b"n"), None),
        ]);
        o.apply(&l1[..], 1, &limits, "layer 1").unwrap();
        let nodes = o.into_nodes();
        assert!(!nodes.contains_key("/etc/passwd"));
        assert!(!nodes.contains_key("/opt/a") && !nodes.contains_key("/opt/sub/b"));
        assert!(
            nodes.contains_key("/opt/new"),
            "a layer's own files survive its opaque marker"
        );
        assert!(matches!(nodes.get("/bin"), Some(Node::Symlink(t)) if t == "usr/bin"));
        // Kept text: passwd was read before it was hidden.
        let r = super::super::RootFs::from_nodes(Path::new("t"), nodes);
        assert!(r.read_text("/etc/passwd").is_none());
    }

    #[test]
    fn paths_leaving_the_root_are_refused() {
        assert!(normalize(b"../etc/passwd", 4096).is_err());
        assert!(normalize(b"a/../../b", 4096).is_err());
        assert!(normalize(b"/etc/passwd", 4096).is_err());
        assert_eq!(
            normalize(b"./usr//bin/", 4096).unwrap().as_deref(),
            Some("/usr/bin")
        );
        assert_eq!(normalize(b"./", 4096).unwrap(), None);
        let mut o = Overlay::default();
        let mut b = tar::Builder::new(Vec::new());
        let mut h = tar::Header::new_gnu();
        h.set_size(1);
        h.set_cksum();
        // tar::Builder refuses `..` itself; write the name into the header by hand.
        h.as_gnu_mut().unwrap().name[..13].copy_from_slice(b"../etc/shadow");
        h.set_cksum();
        b.append(&h, &b"x"[..]).unwrap();
        let bytes = b.into_inner().unwrap();
        let e = o
            .apply(&bytes[..], 0, &LayerLimits::default(), "layer 0")
            .unwrap_err();
        assert!(e.contains("leaves the root"), "{e}");
    }
}
