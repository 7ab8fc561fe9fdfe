//! Java archives: the manifest (`Main-Class`, `Multi-Release`), the highest class-file version
//! (read from the first 8 bytes of each class, inflating no more than that), `WEB-INF/` for a
//! WAR, and the native libraries packed inside, each inspected as an ELF file from memory.

use super::facts::{ElfRole, JavaFacts, JavaKind, NativeLibrary};
use super::input::{self, Input};
use super::{elf, zip, InspectErrorKind};
use crate::text::RawText;

const MAX_MANIFEST: usize = 1 << 20;
/// A native library larger than this is named but not inspected.
const MAX_NATIVE: usize = 64 << 20;
const MAX_NATIVES: usize = 64;
/// Classes whose version is read (a fat JAR can have 100,000).
const MAX_CLASSES: usize = 200_000;

pub fn inspect_java(input: &Input, entries: &[zip::Entry]) -> Result<JavaFacts, InspectErrorKind> {
    let manifest = entries
        .iter()
        .find(|e| e.name.eq_ignore_ascii_case(b"META-INF/MANIFEST.MF"))
        .map(|e| zip::read_member(input, e, MAX_MANIFEST))
        .transpose()?;
    let attr = |key: &str| manifest.as_deref().and_then(|m| manifest_attribute(m, key));
    let main_class = attr("Main-Class").map(|v| RawText::new(&v));
    let multi_release = attr("Multi-Release").is_some_and(|v| v.eq_ignore_ascii_case(b"true"));
    let war = entries.iter().any(|e| e.name.starts_with(b"WEB-INF/"));
    let mut class_major = None;
    let mut classes = 0usize;
    for e in entries
        .iter()
        .filter(|e| e.name.ends_with(b".class") && !e.name.starts_with(b"META-INF/versions/"))
        .take(MAX_CLASSES)
    {
        classes += 1;
        let head = zip::head(input, e, 8)?;
        if head.get(..4) == Some(&[0xca, 0xfe, 0xba, 0xbe]) {
            if let Some(b) = head.get(6..8) {
                let major = u16::from_be_bytes([b[0], b[1]]);
                class_major = class_major.max(Some(major));
            }
        }
    }
    let mut natives = Vec::new();
    for e in entries
        .iter()
        .filter(|e| is_native(&e.name))
        .take(MAX_NATIVES)
    {
        let name = RawText::new(&e.name);
        let failed = |error: String| NativeLibrary {
            name: name.clone(),
            facts: None,
            error: Some(error),
        };
        let as_error = |kind| {
            super::InspectError {
                path: std::path::PathBuf::from(e_name(e)),
                kind,
            }
            .to_string()
        };
        let lib = match zip::read_member(input, e, MAX_NATIVE) {
            Ok(bytes) if bytes.starts_with(b"\x7fELF") => {
                match elf::inspect_elf(&input::from_bytes(bytes)) {
                    Ok(mut f) => {
                        f.role = Some(ElfRole::JavaNative);
                        NativeLibrary {
                            name: name.clone(),
                            facts: Some(Box::new(f)),
                            error: None,
                        }
                    }
                    Err(err) => failed(as_error(err)),
                }
            }
            Ok(_) => failed("not an ELF file (a library for another system)".into()),
            Err(err) => failed(as_error(err)),
        };
        natives.push(lib);
    }
    let kind = if war {
        JavaKind::War
    } else if main_class.is_some() {
        JavaKind::ExecutableJar
    } else {
        JavaKind::LibraryJar
    };
    Ok(JavaFacts {
        kind,
        main_class,
        class_major,
        java_release: class_major.filter(|m| *m >= 45).map(|m| m - 44),
        classes,
        multi_release,
        natives,
    })
}

fn e_name(e: &zip::Entry) -> String {
    RawText::new(&e.name).to_string()
}

/// `libfoo.so`, `libfoo.so.1`, under any directory of the archive.
fn is_native(name: &[u8]) -> bool {
    let base = name.rsplit(|&b| b == b'/').next().unwrap_or(name);
    base.ends_with(b".so") || base.windows(4).any(|w| w == b".so.")
}

/// A manifest attribute's value (`Name: value`, continuation lines start with a space).
fn manifest_attribute(manifest: &[u8], key: &str) -> Option<Vec<u8>> {
    let mut value: Option<Vec<u8>> = None;
    for line in manifest.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if let Some(v) = value.as_mut() {
            match line.strip_prefix(b" ") {
                Some(more) => {
                    v.extend_from_slice(more);
                    continue;
                }
                None => return value,
            }
        }
        if let Some(rest) = line.get(..key.len() + 1) {
            if rest
                .get(..key.len())
                .is_some_and(|k| k.eq_ignore_ascii_case(key.as_bytes()))
                && rest.get(key.len()) == Some(&b':')
            {
                let v = line.get(key.len() + 1..).unwrap_or_default();
                value = Some(v.strip_prefix(b" ").unwrap_or(v).to_vec());
            }
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_attributes_with_continuations() {
        let m = b"Manifest-Version: 1.0\r\nMain-Class: org.example.very.long.pack\r\n age.Main\r\nMulti-Release: true\r\n";
        assert_eq!(
            manifest_attribute(m, "Main-Class").unwrap(),
            b"org.example.very.long.package.Main"
        );
        assert_eq!(manifest_attribute(m, "multi-release").unwrap(), b"true");
        assert_eq!(manifest_attribute(m, "Class-Path"), None);
        assert!(is_native(b"native/linux-x86_64/libhello.so"));
        assert!(is_native(b"libz.so.1"));
        assert!(!is_native(b"com/example/so/Thing.class"));
    }
}
