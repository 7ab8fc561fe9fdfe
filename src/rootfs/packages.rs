//! What a root's base is: its `os-release`, and its package database (Debian's dpkg
//! `status` with `info/*.list` or `*.md5sums`, distroless's `status.d/`, Alpine's apk
//! `installed`), with the files each package owns. Files no package owns are the
//! application's: they are what a smaller image must be given.

use super::RootFs;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Default, Serialize)]
pub struct Base {
    /// `PRETTY_NAME` of os-release (`Debian GNU/Linux 12 (bookworm)`).
    pub os: Option<String>,
    /// `ID` and `VERSION_ID` (`debian`, `12`).
    pub id: Option<String>,
    pub version_id: Option<String>,
    /// Which database was read: `dpkg`, `dpkg status.d (distroless)`, `apk`.
    pub package_manager: Option<String>,
    /// Installed package -> version.
    pub packages: BTreeMap<String, String>,
    /// Installed size of the packages (KiB), where the database records it.
    pub installed_size_kib: u64,
}

/// The base and, when the database lists files, the set of paths packages own (resolved
/// inside the root, so a merged-/usr image matches `/lib/...` entries to `/usr/lib/...`).
pub struct Ownership {
    pub base: Base,
    pub owned: Option<BTreeSet<String>>,
}

pub fn read(root: &RootFs) -> Ownership {
    let mut base = Base::default();
    if let Some(text) = root
        .read_text("/etc/os-release")
        .or_else(|| root.read_text("/usr/lib/os-release"))
    {
        let fields = os_release(&String::from_utf8_lossy(&text));
        base.os = fields.get("PRETTY_NAME").cloned();
        base.id = fields.get("ID").cloned();
        base.version_id = fields.get("VERSION_ID").cloned();
    }
    let mut lists: Vec<String> = Vec::new();
    if let Some(text) = root.read_text("/var/lib/dpkg/status") {
        base.package_manager = Some("dpkg".into());
        for stanza in deb822(&String::from_utf8_lossy(&text)) {
            if !stanza
                .get("Status")
                .is_some_and(|s| s.ends_with(" installed"))
            {
                continue;
            }
            add_package(&mut base, &stanza);
        }
        for name in root.list("/var/lib/dpkg/info") {
            if name.ends_with(".list") || name.ends_with(".md5sums") {
                lists.push(format!("/var/lib/dpkg/info/{name}"));
            }
        }
    } else if root.is_dir("/var/lib/dpkg/status.d") {
        base.package_manager = Some("dpkg status.d (distroless)".into());
        for name in root.list("/var/lib/dpkg/status.d") {
            let path = format!("/var/lib/dpkg/status.d/{name}");
            if name.ends_with(".md5sums") {
                lists.push(path);
            } else if let Some(text) = root.read_text(&path) {
                for stanza in deb822(&String::from_utf8_lossy(&text)) {
                    add_package(&mut base, &stanza);
                }
            }
        }
    } else if let Some(text) = root
        .read_text("/lib/apk/db/installed")
        .or_else(|| root.read_text("/usr/lib/apk/db/installed"))
    {
        base.package_manager = Some("apk".into());
        let (packages, files) = apk_installed(&String::from_utf8_lossy(&text));
        base.installed_size_kib = packages.iter().map(|p| p.2 / 1024).sum();
        base.packages = packages.into_iter().map(|(n, v, _)| (n, v)).collect();
        return Ownership {
            owned: Some(resolve_all(root, files)),
            base,
        };
    }
    let owned = (!lists.is_empty()).then(|| {
        let mut files = Vec::new();
        for l in &lists {
            let Some(text) = root.read_text(l) else {
                continue;
            };
            for line in String::from_utf8_lossy(&text).lines() {
                // `.md5sums`: "<md5>  path"; `.list`: "/path".
                let path = if l.ends_with(".md5sums") {
                    line.split_once("  ").map(|(_, p)| p).unwrap_or("")
                } else {
                    line
                };
                if !path.is_empty() {
                    files.push(format!("/{}", path.trim_start_matches('/')));
                }
            }
        }
        resolve_all(root, files)
    });
    Ownership { base, owned }
}

fn add_package(base: &mut Base, stanza: &BTreeMap<String, String>) {
    let Some(name) = stanza.get("Package") else {
        return;
    };
    let arch = stanza.get("Architecture").map(String::as_str).unwrap_or("");
    let key = if arch.is_empty() || arch == "all" {
        name.clone()
    } else {
        format!("{name}:{arch}")
    };
    base.installed_size_kib += stanza
        .get("Installed-Size")
        .and_then(|s| s.trim().parse::<u64>().ok())
        .unwrap_or(0);
    base.packages
        .insert(key, stanza.get("Version").cloned().unwrap_or_default());
}

/// Each listed path, resolved inside the root (directories and missing paths dropped).
fn resolve_all(root: &RootFs, files: Vec<String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    // Packages list files under their directories as shipped; resolving the directory once
    // per distinct parent keeps this linear in the number of files.
    let mut dirs: BTreeMap<String, Option<String>> = BTreeMap::new();
    for f in files {
        let (dir, name) = f.rsplit_once('/').unwrap_or(("", &f));
        let real_dir = dirs
            .entry(dir.to_string())
            .or_insert_with(|| root.resolve(if dir.is_empty() { "/" } else { dir }, true))
            .clone();
        if let Some(d) = real_dir {
            out.insert(super::join_dir(&d, name));
        }
    }
    out
}

/// `KEY=value` and `KEY="value"` lines of os-release.
pub fn os_release(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| {
            let v = v.trim();
            let v = v
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .or_else(|| v.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
                .unwrap_or(v);
            (k.trim().to_string(), v.to_string())
        })
        .collect()
}

/// Stanzas of a deb822 file (dpkg status), continuation lines folded into their field.
fn deb822(text: &str) -> Vec<BTreeMap<String, String>> {
    let mut out = Vec::new();
    let mut cur: BTreeMap<String, String> = BTreeMap::new();
    let mut last: Option<String> = None;
    for line in text.lines() {
        if line.trim().is_empty() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            last = None;
        } else if line.starts_with(' ') || line.starts_with('\t') {
            if let Some(k) = &last {
                if let Some(v) = cur.get_mut(k) {
                    v.push('\n');
                    v.push_str(line.trim());
                }
            }
        } else if let Some((k, v)) = line.split_once(':') {
            cur.insert(k.to_string(), v.trim().to_string());
            last = Some(k.to_string());
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// apk's `installed`: `P:` name, `V:` version, `I:` installed size (bytes), `F:` directory,
/// `R:` file in the last directory.
fn apk_installed(text: &str) -> (Vec<(String, String, u64)>, Vec<String>) {
    let mut packages = Vec::new();
    let mut files = Vec::new();
    let (mut name, mut version, mut size) = (String::new(), String::new(), 0u64);
    let mut dir = String::new();
    for line in text.lines().chain(std::iter::once("")) {
        match line.split_once(':') {
            Some(("P", v)) => name = v.to_string(),
            Some(("V", v)) => version = v.to_string(),
            Some(("I", v)) => size = v.parse().unwrap_or(0),
            Some(("F", v)) => dir = v.to_string(),
            Some(("R", v)) => files.push(format!("/{dir}/{v}").replace("//", "/")),
            _ if line.is_empty() && !name.is_empty() => {
                packages.push((
                    std::mem::take(&mut name),
                    std::mem::take(&mut version),
                    size,
                ));
                size = 0;
                dir.clear();
            }
            _ => {}
        }
    }
    (packages, files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apk_database_lists_packages_and_files() {
        let db = "C:Q1abc=\nP:musl\nV:1.2.5-r0\nI:413696\nF:lib\nR:ld-musl-x86_64.so.1\nR:libc.musl-x86_64.so.1\n\nP:busybox\nV:1.36.1-r29\nI:819200\nF:bin\nR:busybox\n";
        let (p, f) = apk_installed(db);
        assert_eq!(p.len(), 2);
        assert_eq!(p[0], ("musl".into(), "1.2.5-r0".into(), 413696));
        assert_eq!(
            f,
            vec![
                "/lib/ld-musl-x86_64.so.1",
                "/lib/libc.musl-x86_64.so.1",
                "/bin/busybox"
            ]
        );
    }

    #[test]
    fn os_release_values_lose_their_quotes() {
        let f = os_release(
            "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID='12'\n",
        );
        assert_eq!(f["PRETTY_NAME"], "Debian GNU/Linux 12 (bookworm)");
        assert_eq!(f["ID"], "debian");
        assert_eq!(f["VERSION_ID"], "12");
    }
}
