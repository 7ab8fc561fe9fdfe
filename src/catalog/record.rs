//! Reading the record lines `build.rs` embeds for the pieces of a platform that every
//! verdict reads: the skeleton (the platform's fields and its native images), the package
//! lines and the shared objects. Parsing them as JSON with serde was a fifth of a one-file
//! run; these lines are split with a byte search and turned into the same types `--catalog`
//! reads.
//!
//! A record is tab-separated fields; a list's items are separated by U+001F and a map's
//! entries by U+001E (an entry is its key, then its items, U+001F-separated). An empty field
//! is an empty list or `None`. build.rs refuses catalog text that holds a separator, so every
//! split here is exact. A line that does not have the expected fields reads as `None`; a unit
//! test of `catalog` reads every embedded record back and compares it with the committed
//! JSON.

use super::model::{ImageEntry, PlatformCatalog, SharedObject, Text, Tier};
use std::collections::BTreeMap;

const FIELD: char = '\t';
const ITEM: char = '\x1f';
const ENTRY: char = '\x1e';

fn list(field: &str) -> Vec<String> {
    if field.is_empty() {
        return Vec::new();
    }
    field.split(ITEM).map(str::to_string).collect()
}

/// A list whose items borrow from the embedded text: no allocation per name.
fn borrowed_list(field: &'static str) -> Vec<Text> {
    if field.is_empty() {
        return Vec::new();
    }
    // Sized first (growing the vector one name at a time cost more than the split), and cut
    // at the separator bytes found by memchr (`str::split` by a char cost twice as much).
    let bytes = field.as_bytes();
    let mut out = Vec::with_capacity(1 + bytes.iter().filter(|&&b| b == ITEM as u8).count());
    let mut start = 0;
    for at in memchr::memchr_iter(ITEM as u8, bytes) {
        out.push(Text::Borrowed(field.get(start..at).unwrap_or_default()));
        start = at + 1;
    }
    out.push(Text::Borrowed(field.get(start..).unwrap_or_default()));
    out
}

/// A map field whose values are lists (`version_needs`).
fn list_map(field: &str) -> BTreeMap<String, Vec<String>> {
    let mut map = BTreeMap::new();
    if field.is_empty() {
        return map;
    }
    for entry in field.split(ENTRY) {
        let mut items = entry.split(ITEM);
        if let Some(key) = items.next() {
            map.insert(key.to_string(), items.map(str::to_string).collect());
        }
    }
    map
}

/// A map field whose values are single texts (`dir_links`).
fn text_map(field: &str) -> Option<BTreeMap<String, String>> {
    let mut map = BTreeMap::new();
    if field.is_empty() {
        return Some(map);
    }
    for entry in field.split(ENTRY) {
        let (key, value) = entry.split_once(ITEM)?;
        map.insert(key.to_string(), value.to_string());
    }
    Some(map)
}

/// The fields of one line, exactly `N` of them.
fn fields<const N: usize>(line: &str) -> Option<[&str; N]> {
    let mut out = [""; N];
    let mut cuts = memchr::memchr_iter(FIELD as u8, line.as_bytes());
    let mut start = 0;
    for (n, slot) in out.iter_mut().enumerate() {
        let end = if n + 1 == N { line.len() } else { cuts.next()? };
        *slot = line.get(start..end)?;
        start = end + 1;
    }
    cuts.next().is_none().then_some(out)
}

/// One shared object: `path soname defines needed version_needs rpath runpath`.
pub(super) fn object(line: &'static str) -> Option<SharedObject> {
    let [path, soname, defines, needed, version_needs, rpath, runpath] = fields::<7>(line)?;
    if path.is_empty() {
        return None;
    }
    Some(SharedObject {
        path: path.to_string(),
        soname: (!soname.is_empty()).then(|| soname.to_string()),
        defines: borrowed_list(defines),
        needed: borrowed_list(needed),
        version_needs: list_map(version_needs),
        rpath: list(rpath),
        runpath: list(runpath),
    })
}

/// One embedded package: its name, contents (JSON without objects and modules), modules
/// (a JSON array) and which lines of the platform's objects text are its objects.
pub(super) struct PackageRecord {
    pub name: &'static str,
    pub contents: &'static str,
    pub modules: Option<&'static str>,
    pub objects: std::ops::Range<usize>,
}

/// A package line: `name first count contents modules`, modules empty when there are none.
/// The modules come last and are the rest of the line, never searched for a tab (build.rs
/// writes none in it): libc6's are 50 KB of JSON that a program's verdict never reads.
pub(super) fn package(line: &'static str) -> Option<PackageRecord> {
    let mut rest = line;
    let mut next = || {
        let at = memchr::memchr(FIELD as u8, rest.as_bytes())?;
        let field = rest.get(..at)?;
        rest = rest.get(at + 1..)?;
        Some(field)
    };
    let (name, first, count, contents) = (next()?, next()?, next()?, next()?);
    let modules = rest;
    let first: usize = first.parse().ok()?;
    let count: usize = count.parse().ok()?;
    Some(PackageRecord {
        name,
        contents,
        modules: (!modules.is_empty()).then_some(modules),
        objects: first..first.checked_add(count)?,
    })
}

/// A platform without its packages: the first line `release arch platform triplet merged_usr
/// search_dirs dir_links`, then one line per native image `name tier reference packages
/// files`.
pub(super) fn skeleton(text: &'static str) -> Option<PlatformCatalog> {
    let mut lines = text.lines();
    let [release, arch, platform, triplet, merged, search_dirs, dir_links] =
        fields::<7>(lines.next()?)?;
    let merged_usr = match merged {
        "1" => true,
        "0" => false,
        _ => return None,
    };
    let images = lines
        .map(|line| {
            let [name, tier, reference, packages, files] = fields::<5>(line)?;
            Some(ImageEntry {
                name: name.to_string(),
                tier: Tier::parse(tier)?,
                reference: reference.to_string(),
                packages: borrowed_list(packages),
                files: borrowed_list(files),
                external_runtime: None,
                runtime: None,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    // The run-time parts (lookup indexes, memo) start empty, as for any assembled platform.
    let mut p = PlatformCatalog::assembled(
        platform,
        triplet,
        list(search_dirs),
        text_map(dir_links)?,
        BTreeMap::new(),
        images,
    );
    p.release = release.to_string();
    p.arch = arch.to_string();
    p.merged_usr = merged_usr;
    Some(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_must_be_exactly_as_many_as_the_record_has() {
        assert_eq!(fields::<2>("a\tb"), Some(["a", "b"]));
        assert_eq!(fields::<2>("a"), None);
        assert_eq!(fields::<2>("a\tb\tc"), None);
        assert!(object("/lib/x.so\t\t\t\t\t").is_none());
        assert!(object("\tx\t\t\t\t\t").is_none());
    }

    #[test]
    fn an_object_record_reads_every_field() {
        let line = "/usr/lib/libssl.so.3\tlibssl.so.3\tOPENSSL_3.0.0\x1fOPENSSL_3.2.0\t\
                    libcrypto.so.3\x1flibc.so.6\tlibc.so.6\x1fGLIBC_2.34\x1fGLIBC_2.2.5\x1e\
                    libcrypto.so.3\x1fOPENSSL_3.0.0\t\t/opt/x";
        let o = object(line).unwrap();
        assert_eq!(o.path, "/usr/lib/libssl.so.3");
        assert_eq!(o.soname.as_deref(), Some("libssl.so.3"));
        assert_eq!(o.defines, ["OPENSSL_3.0.0", "OPENSSL_3.2.0"]);
        assert_eq!(o.needed, ["libcrypto.so.3", "libc.so.6"]);
        assert_eq!(o.version_needs["libc.so.6"], ["GLIBC_2.34", "GLIBC_2.2.5"]);
        assert_eq!(o.version_needs["libcrypto.so.3"], ["OPENSSL_3.0.0"]);
        assert!(o.rpath.is_empty());
        assert_eq!(o.runpath, ["/opt/x"]);
    }

    /// A library whose version need lists no version (a verneed entry with no aux records)
    /// is written as its name alone, and reads back as an empty list, not as one empty
    /// version that no library defines.
    #[test]
    fn a_version_need_with_no_versions_reads_back_empty() {
        let o = object("/usr/lib/x.so				libc.so.6libm.so.6GLIBC_2.29		").unwrap();
        assert_eq!(o.version_needs["libc.so.6"], Vec::<String>::new());
        assert_eq!(o.version_needs["libm.so.6"], ["GLIBC_2.29"]);
    }
}
