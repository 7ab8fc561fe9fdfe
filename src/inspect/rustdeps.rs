//! The crates a Rust program was built from: the dependency list cargo-auditable embeds (a
//! `.dep-v0` section holding zlib-compressed JSON), or, without it, the crate names and
//! versions left in panic-location paths (`.../.cargo/registry/src/index.crates.io-HASH/
//! rustls-native-certs-0.8.1/src/lib.rs`).
//!
//! The compressed data is inflated with a hard output limit, so a forged section cannot make
//! whichbase allocate more than [`MAX_INFLATED_BYTES`].

use super::facts::Dependency;
use super::needs::ElfView;
use crate::text::RawText;
use serde::Deserialize;

/// cargo-auditable's own limit for the decompressed list is 8 MiB.
const MAX_INFLATED_BYTES: usize = 8 << 20;
const MAX_COMPRESSED_BYTES: u64 = 8 << 20;

#[derive(Deserialize)]
struct VersionInfo {
    packages: Vec<Package>,
}

#[derive(Deserialize)]
struct Package {
    name: String,
    version: String,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    root: bool,
}

/// The crates in `.dep-v0` (runtime dependencies; build-time ones and the root package are
/// left out), sorted. `Ok(None)` when there is no such section.
pub fn auditable(view: &ElfView) -> Result<Option<Vec<Dependency>>, String> {
    let Some(section) = view.section(b".dep-v0") else {
        return Ok(None);
    };
    if section.size > MAX_COMPRESSED_BYTES {
        return Err(format!(
            ".dep-v0 is {} bytes (limit {MAX_COMPRESSED_BYTES})",
            section.size
        ));
    }
    let compressed = view
        .input
        .bytes(section.offset, section.size)
        .ok_or(".dep-v0 runs past the end of the file")?;
    let json =
        miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(compressed, MAX_INFLATED_BYTES)
            .map_err(|e| {
                format!(
                    ".dep-v0 does not inflate ({:?}, limit {MAX_INFLATED_BYTES} bytes)",
                    e.status
                )
            })?;
    let info: VersionInfo = serde_json::from_slice(&json)
        .map_err(|e| format!(".dep-v0 is not cargo-auditable JSON: {e}"))?;
    let mut deps: Vec<Dependency> = info
        .packages
        .into_iter()
        .filter(|p| !p.root && p.kind.as_deref() != Some("build"))
        .map(|p| Dependency {
            name: RawText::from(p.name.as_str()),
            version: RawText::from(p.version.as_str()),
        })
        .collect();
    deps.sort();
    deps.dedup();
    Ok(Some(deps))
}

/// What follows a registry marker in a panic-location path: `index.crates.io-HASH/NAME-VERSION/`.
/// Returns the crate name and version when the text has that shape.
pub fn crate_from_registry_path(after_marker: &[u8]) -> Option<Dependency> {
    let slash = after_marker.iter().position(|&b| b == b'/')?;
    let rest = after_marker.get(slash + 1..)?;
    let end = rest.iter().position(|&b| b == b'/')?;
    let component = rest.get(..end)?;
    if component.is_empty()
        || !component
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'+'))
    {
        return None;
    }
    // The version starts after the last '-' that is followed by a digit: `foo-bar-1.2.3`.
    let split = (0..component.len()).rev().find(|&i| {
        component.get(i) == Some(&b'-') && component.get(i + 1).is_some_and(u8::is_ascii_digit)
    })?;
    Some(Dependency {
        name: RawText::new(component.get(..split)?),
        version: RawText::new(component.get(split + 1..)?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_names_from_panic_paths() {
        let d = crate_from_registry_path(
            b"index.crates.io-6f17d22bba15001f/rustls-native-certs-0.8.1/src/unix.rs",
        )
        .unwrap();
        assert_eq!(d.name.to_string(), "rustls-native-certs");
        assert_eq!(d.version.to_string(), "0.8.1");
        assert!(crate_from_registry_path(b"index.crates.io-x/no_version/src").is_none());
        assert!(crate_from_registry_path(b"index.crates.io-x/bad\x01name-1.0/src").is_none());
        assert!(crate_from_registry_path(b"truncated").is_none());
    }
}
