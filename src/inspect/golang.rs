//! Go's own records in a Go executable: the build information (`.go.buildinfo`: Go version,
//! main module, dependencies, build settings such as `CGO_ENABLED` and `-tags`) and the
//! function-name table of `.gopclntab`, which the runtime needs for stack traces and therefore
//! survives `-s -w` stripping. The linker drops unreachable functions, so a name in that table
//! means the program contains that code: `crypto/x509.loadSystemRoots` is there only if
//! something can load the system CA pool.
//!
//! Layouts read (from the Go sources, `debug/buildinfo` and `runtime/symtab.go`):
//! - build information with inline strings (Go 1.18+, flag bit 2); older pointer-based
//!   headers are recognised and reported as not read;
//! - pclntab headers of Go 1.16–1.17 (magic `0xfffffffa`), 1.18–1.19 (`0xfffffff0`) and
//!   1.20+ (`0xfffffff1`), whose `funcnametab` is a run of NUL-terminated names.
//!
//! Everything is bounded: at most 1 MiB of build information is read, and the function-name
//! table is streamed (never held whole) however large the binary.

use super::facts::{Dependency, Toolchain};
use super::needs::{ElfView, Section};
use super::patterns::{Matcher, Prefer};
use crate::text::RawText;
use std::collections::{BTreeMap, BTreeSet};

const BUILDINFO_MAGIC: &[u8] = b"\xff Go buildinf:";
const MAX_BUILDINFO_BYTES: u64 = 1 << 20;

/// Reads `.go.buildinfo` into a toolchain record, or says why it could not.
pub fn build_info(view: &ElfView) -> Result<Toolchain, String> {
    let (offset, size) = match view.section(b".go.buildinfo") {
        Some(s) => (s.offset, s.size.min(MAX_BUILDINFO_BYTES)),
        None => find_buildinfo(view).ok_or("no Go build information (.go.buildinfo) found")?,
    };
    let bytes =
        read(view, offset, size).ok_or("Go build information is past the end of the file")?;
    parse_build_info(bytes)
}

/// Without section headers: the build information is 16-byte aligned near the start of the
/// first writable segment.
fn find_buildinfo(view: &ElfView) -> Option<(u64, u64)> {
    const WINDOW: u64 = 64 << 10;
    for load in view.loads.iter().filter(|l| l.flags & 2 != 0) {
        let bytes = read(view, load.offset, load.filesz.min(WINDOW))?;
        let mut at = 0usize;
        while at + BUILDINFO_MAGIC.len() <= bytes.len() {
            if bytes.get(at..at + BUILDINFO_MAGIC.len()) == Some(BUILDINFO_MAGIC) {
                let offset = load.offset + at as u64;
                return Some((offset, (load.filesz - at as u64).min(MAX_BUILDINFO_BYTES)));
            }
            at += 16;
        }
    }
    None
}

fn read<'a>(view: &'a ElfView, offset: u64, size: u64) -> Option<&'a [u8]> {
    view.input.bytes(offset, size)
}

/// Go's unsigned varint (LEB128), at most 10 bytes.
fn uvarint(b: &[u8]) -> Option<(u64, usize)> {
    let mut value = 0u64;
    for (i, &byte) in b.iter().take(10).enumerate() {
        value |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

fn parse_build_info(b: &[u8]) -> Result<Toolchain, String> {
    if b.get(..BUILDINFO_MAGIC.len()) != Some(BUILDINFO_MAGIC) {
        return Err("Go build information has a bad magic".into());
    }
    let flags = *b.get(15).ok_or("Go build information is truncated")?;
    if flags & 2 == 0 {
        return Err("Go build information in the pre-1.18 pointer format: not read".into());
    }
    let mut at = 32usize;
    let mut next_string = || -> Result<&[u8], String> {
        let rest = b.get(at..).ok_or("Go build information is truncated")?;
        let (len, used) = uvarint(rest).ok_or("bad length in Go build information")?;
        let len = usize::try_from(len).map_err(|_| "bad length")?;
        let start = at + used;
        let s = b
            .get(start..start.checked_add(len).ok_or("bad length")?)
            .ok_or("a Go build information string runs past its section")?;
        at = start + len;
        Ok(s)
    };
    let version = next_string()?;
    let mut modinfo = next_string()?;
    // The module information is framed by two 16-byte sentinels.
    if modinfo.len() >= 33 && modinfo.get(modinfo.len() - 17) == Some(&b'\n') {
        modinfo = modinfo.get(16..modinfo.len() - 16).unwrap_or_default();
    }
    let mut t = Toolchain {
        language: "Go".into(),
        compiler: Some(RawText::new(version)),
        evidence: ".go.buildinfo".into(),
        dependencies_from: Some("Go build information".into()),
        ..Toolchain::default()
    };
    let mut settings = BTreeMap::new();
    for line in modinfo.split(|&c| c == b'\n') {
        let mut fields = line.split(|&c| c == b'\t');
        match fields.next() {
            Some(b"mod") => t.module = fields.next().map(RawText::new),
            Some(b"dep") => {
                if let (Some(name), Some(version)) = (fields.next(), fields.next()) {
                    t.dependencies.push(Dependency {
                        name: RawText::new(name),
                        version: RawText::new(version),
                    });
                }
            }
            Some(b"build") => {
                if let Some(kv) = fields.next() {
                    let (k, v) = match kv.iter().position(|&c| c == b'=') {
                        Some(i) => (
                            kv.get(..i).unwrap_or_default(),
                            kv.get(i + 1..).unwrap_or_default(),
                        ),
                        None => (kv, &b""[..]),
                    };
                    settings.insert(RawText::new(k).to_string(), RawText::new(v));
                }
            }
            _ => {}
        }
    }
    if t.module.is_none() {
        // `go build file.go` records only `path command-line-arguments`.
        t.module = modinfo
            .split(|&c| c == b'\n')
            .find_map(|l| l.strip_prefix(b"path\t"))
            .map(RawText::new);
    }
    t.settings = settings;
    Ok(t)
}

/// Function names (or name prefixes ending in `.` or `(`) whose presence in the program is a
/// fact the needs rules use.
pub const FUNCTIONS: &[&str] = &[
    "crypto/x509.loadSystemRoots",
    "time.LoadLocation",
    "time/tzdata.",
    "os/user.lookupUser",
    "os/user.lookupGroup",
    "os/user.lookupGroupId",
    "os/user.lookupUserId",
    "net.(*Resolver).lookupIP",
    "net.(*Resolver).lookupHost",
    "net.(*Resolver).goLookup",
    "net.cgoLookup",
    "os/exec.Command",
    "plugin.Open",
    "mime.initMimeUnix",
    "os.MkdirTemp",
    "os.CreateTemp",
    "io/ioutil.TempFile",
    "io/ioutil.TempDir",
    "os.UserHomeDir",
];

/// Which of [`FUNCTIONS`] the program's function-name table holds, or why it was not read.
pub fn linked_functions(view: &ElfView) -> Result<BTreeSet<&'static str>, String> {
    let pcln = view
        .section(b".gopclntab")
        .ok_or("no .gopclntab section: Go function table not read")?;
    let (start, end) = funcname_table(view, pcln)?;
    // Each name is matched with the NUL that ends the previous name, so `time.LoadLocation`
    // cannot match inside `xtime.LoadLocation`; an exact name must also be followed by its own
    // NUL, checked after the match so that the NUL stays free to start the next name. The
    // longest pattern wins at a position (`os/user.lookupUserId` over `os/user.lookupUser`).
    // A match whose NUL falls past the chunk is seen again in the next chunk's overlap.
    let patterns: Vec<Vec<u8>> = FUNCTIONS
        .iter()
        .map(|f| {
            let mut p = vec![0u8];
            p.extend_from_slice(f.as_bytes());
            p
        })
        .collect();
    let matcher =
        Matcher::new(&patterns, Prefer::Longest).ok_or("no matcher for the Go function names")?;
    let mut found = BTreeSet::new();
    view.input.scan(start, end - start, 256, |_, chunk| {
        for m in matcher.find_iter(chunk) {
            let Some(f) = FUNCTIONS.get(m.pattern) else {
                continue;
            };
            if f.ends_with('.') || chunk.get(m.end) == Some(&0) {
                found.insert(*f);
            }
        }
        found.len() < FUNCTIONS.len()
    });
    Ok(found)
}

/// The byte range of `funcnametab` inside the file, from the pclntab header.
fn funcname_table(view: &ElfView, pcln: &Section) -> Result<(u64, u64), String> {
    use object::Endian;
    let head = read(view, pcln.offset, 8.min(pcln.size)).ok_or(".gopclntab is truncated")?;
    let magic_bytes: [u8; 4] = head
        .get(..4)
        .and_then(|b| b.try_into().ok())
        .ok_or(".gopclntab is truncated")?;
    let magic = view.endian.read_u32(magic_bytes);
    let ptr = usize::from(*head.get(7).ok_or(".gopclntab is truncated")?);
    if ptr != 4 && ptr != 8 {
        return Err(format!(".gopclntab pointer size {ptr} is not 4 or 8"));
    }
    // Index (in words after the 8-byte header) of funcnameOffset and cuOffset.
    let name_word = match magic {
        0xffff_fff0 | 0xffff_fff1 => 3,
        0xffff_fffa => 2,
        0xffff_fffb => return Err("Go 1.2–1.15 function table: names not read".into()),
        other => return Err(format!(".gopclntab has an unknown magic {other:#x}")),
    };
    let header = read(view, pcln.offset, (8 + 8 * ptr) as u64).ok_or(".gopclntab is truncated")?;
    let word = |i: usize| -> Option<u64> {
        let at = 8 + i * ptr;
        let b = header.get(at..at + ptr)?;
        Some(if ptr == 8 {
            view.endian.read_u64(b.try_into().ok()?)
        } else {
            u64::from(view.endian.read_u32(b.try_into().ok()?))
        })
    };
    let (Some(names), Some(cu)) = (word(name_word), word(name_word + 1)) else {
        return Err(".gopclntab header is truncated".into());
    };
    if names >= cu || cu > pcln.size {
        return Err(".gopclntab function-name table is out of bounds".into());
    }
    match (pcln.offset.checked_add(names), pcln.offset.checked_add(cu)) {
        (Some(start), Some(end)) => Ok((start, end)),
        _ => Err(".gopclntab function-name table is out of bounds".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(flags: u8, version: &str, modinfo: &str) -> Vec<u8> {
        let mut b = BUILDINFO_MAGIC.to_vec();
        b.push(8);
        b.push(flags);
        b.resize(32, 0);
        for s in [version, modinfo] {
            let mut n = s.len();
            while n >= 0x80 {
                b.push((n as u8) | 0x80);
                n >>= 7;
            }
            b.push(n as u8);
            b.extend_from_slice(s.as_bytes());
        }
        b
    }

    #[test]
    fn reads_inline_build_information() {
        let sentinel = "0123456789abcdef";
        let modinfo = format!(
            "{sentinel}path\texample.com/app\nmod\texample.com/app\t(devel)\t\ndep\tgolang.org/x/net\tv0.1.0\th1:x\nbuild\tCGO_ENABLED=1\nbuild\t-tags=netgo,osusergo\n{sentinel}"
        );
        let t = parse_build_info(&info(2, "go1.23.4", &modinfo)).unwrap();
        assert_eq!(t.compiler.as_ref().unwrap().to_string(), "go1.23.4");
        assert_eq!(t.module.as_ref().unwrap().to_string(), "example.com/app");
        assert_eq!(t.setting("CGO_ENABLED").unwrap().to_string(), "1");
        assert_eq!(t.setting("-tags").unwrap().to_string(), "netgo,osusergo");
        assert_eq!(t.dependencies.len(), 1);
    }

    #[test]
    fn refuses_old_pointer_format_and_truncation() {
        assert!(parse_build_info(&info(0, "go1.17", "x")).is_err());
        let mut b = info(2, "go1.23.4", "x");
        b.truncate(36);
        assert!(parse_build_info(&b).is_err());
        assert!(parse_build_info(b"\xff Go buildinf:").is_err());
    }

    #[test]
    fn varint_is_bounded() {
        assert_eq!(uvarint(&[0x96, 0x01]), Some((150, 2)));
        assert_eq!(uvarint(&[0xff; 12]), None);
    }
}
