//! Inspection: one file in, [`Facts`] out.
//!
//! This module owns everything that touches the inspected file and the parser crates. It never
//! executes, loads or writes the file: it opens it read-only and non-blocking, refuses anything
//! that is not a regular file before reading, and reads only the byte ranges a verdict needs
//! (headers, program headers, the dynamic segment, its string, symbol and version tables,
//! notes, and for needs the read-only data, Go's and Rust's records, an archive's central
//! directory and chosen members). Every offset and count taken from the file is checked
//! against the file before use, so a hostile file yields an [`InspectError`] (or, for the needs
//! readers, a note), never a panic, a hang or memory proportional to a forged count.

mod elf;
pub mod facts;
mod foreign;
mod golang;
mod input;
mod java;
mod needs;
mod patterns;
mod rustdeps;
mod script;
mod sniff;
pub mod walk;
mod zip;

pub use script::{by_extension, language_of, node_majors_allowed};

pub use needs::files_for;

pub use facts::*;
pub use input::Limits;

use crate::text::escape_path;
use std::fmt;
use std::path::{Path, PathBuf};

/// Why a file could not be inspected. `Display` is one line naming the path.
#[derive(Debug)]
pub struct InspectError {
    pub path: PathBuf,
    pub kind: InspectErrorKind,
}

#[derive(Debug)]
pub enum InspectErrorKind {
    /// The operating system refused to open or read it.
    Open(std::io::Error),
    /// A directory, FIFO, socket or device: checked before any read, so nothing blocks.
    NotAFile { kind: &'static str },
    /// An empty file.
    Empty,
    /// Larger than the configured limit.
    TooLarge { size: u64, limit: u64 },
    /// A structure of the file ends past the end of the file.
    Truncated { what: String },
    /// A structure of the file is inconsistent.
    Malformed { format: &'static str, what: String },
    /// A file whose format whichbase does not inspect (yet).
    Unsupported { what: String },
    /// An error reported earlier, as text (a program inside an image, inspected while its
    /// layer streamed past).
    Reported(String),
}

impl fmt::Display for InspectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", escape_path(&self.path))?;
        match &self.kind {
            InspectErrorKind::Open(e) => write!(f, "cannot read: {}", io_reason(e)),
            InspectErrorKind::NotAFile { kind } => write!(f, "not a regular file: {kind}"),
            InspectErrorKind::Empty => write!(f, "empty file"),
            InspectErrorKind::TooLarge { size, limit } => {
                write!(f, "file too large: {size} bytes (limit {limit})")
            }
            InspectErrorKind::Truncated { what } => write!(f, "truncated file: {what}"),
            InspectErrorKind::Malformed { format, what } => write!(f, "malformed {format}: {what}"),
            InspectErrorKind::Unsupported { what } => write!(f, "not supported: {what}"),
            InspectErrorKind::Reported(what) => write!(f, "{what}"),
        }
    }
}

impl std::error::Error for InspectError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            InspectErrorKind::Open(e) => Some(e),
            _ => None,
        }
    }
}

/// The OS error message without Rust's " (os error N)" suffix, lowercase like the rest.
fn io_reason(e: &std::io::Error) -> String {
    let s = e.to_string();
    let s = s.split(" (os error").next().unwrap_or(&s).to_string();
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_lowercase().chain(c).collect(),
        None => s,
    }
}

/// Inspects the file at `path`.
///
/// Safe on untrusted input: the file is never executed or written, reads are bounded by the
/// file's real size and by `limits`, and malformed content is reported as an error.
pub fn inspect(path: &Path, limits: &Limits) -> Result<Facts, InspectError> {
    let err = |kind| InspectError {
        path: path.to_path_buf(),
        kind,
    };
    let file = input::open(path, limits).map_err(err)?;
    inspect_input(path, &file)
}

/// Like [`inspect`], for a file found by walking a directory: `None` when its first bytes
/// say it is not worth a verdict (a data file, a README), decided with the same open and
/// read that inspection uses.
pub fn inspect_if_worth(path: &Path, limits: &Limits) -> Option<Result<Facts, InspectError>> {
    let file = match input::open(path, limits) {
        Ok(f) => f,
        // An empty file is no program, and one over the size limit is reported only if it
        // starts like one (a huge sparse data file is not a finding).
        Err(InspectErrorKind::Empty) => return None,
        Err(kind @ InspectErrorKind::TooLarge { .. }) => {
            let head = input::read_prefix(path, 4).unwrap_or_default();
            return walk::worth_inspecting(path, &head).then(|| {
                Err(InspectError {
                    path: path.to_path_buf(),
                    kind,
                })
            });
        }
        // Unreadable or special: reported on its own line, as for a file named by the user.
        Err(kind) => {
            return Some(Err(InspectError {
                path: path.to_path_buf(),
                kind,
            }))
        }
    };
    walk::worth_inspecting(path, file.head()).then(|| inspect_input(path, &file))
}

/// Inspects bytes taken from an archive or an image layer; `path` names them in the facts and
/// errors (and gives a script's extension), `mode` carries the permission bits the archive
/// recorded. Nothing around `path` on this machine is read.
pub fn inspect_bytes(path: &Path, bytes: Vec<u8>, mode: u32) -> Result<Facts, InspectError> {
    let mut file = input::from_bytes(bytes);
    file.mode = mode;
    inspect_input(path, &file)
}

/// Inspects one opened input, by the format its first bytes show.
///
/// The readers of formats other than ELF are kept out of line (`#[inline(never)]`): inlined
/// here, their locals (the ZIP reader's above all: 58 KB on its own) made this frame over 50 KB,
/// and the stack probe touches every page of a frame, so every ELF run took 13 more page
/// faults for them (git: 116 -> 106 faults, 0.668 -> 0.649 ms).
fn inspect_input(path: &Path, file: &input::Input) -> Result<Facts, InspectError> {
    let err = |kind| InspectError {
        path: path.to_path_buf(),
        kind,
    };
    let head = file.head();
    match sniff::sniff(head) {
        sniff::Format::Elf => elf::inspect_elf(file)
            .map(|mut e| {
                e.role = role_from_name(path, &e);
                Facts::Elf(Box::new(e))
            })
            .map_err(err),
        sniff::Format::Foreign(kind) => foreign::inspect_foreign(kind, file)
            .map(Facts::Foreign)
            .map_err(err),
        sniff::Format::Script => {
            // A Python zipapp is a `#!` line followed by a ZIP archive with __main__.py.
            let zipapp = zip::looks_like_zip(file)
                && zip::entries(file)
                    .map(|es| es.iter().any(|e| e.name == b"__main__.py"))
                    .unwrap_or(false);
            script::inspect_script(path, file, zipapp)
                .map(Facts::Script)
                .map_err(err)
        }
        sniff::Format::Zip => inspect_zip(path, file).map_err(err),
        sniff::Format::Unknown(what) => {
            if script::by_extension(path).is_some() && is_text(head) {
                return script::inspect_script(path, file, false)
                    .map(Facts::Script)
                    .map_err(err);
            }
            Err(err(InspectErrorKind::Unsupported {
                what: format!("{what}: not a program whichbase knows"),
            }))
        }
    }
}

/// A ZIP archive: a Java archive, or a Python zipapp without a `#!` line. Out of line: see
/// [`inspect_input`].
#[inline(never)]
fn inspect_zip(path: &Path, file: &input::Input) -> Result<Facts, InspectErrorKind> {
    let entries = zip::entries(file)?;
    if entries.iter().any(|e| e.name == b"__main__.py") {
        return script::inspect_script(path, file, true).map(Facts::Script);
    }
    let java = entries.iter().any(|e| {
        e.name.eq_ignore_ascii_case(b"META-INF/MANIFEST.MF")
            || e.name.ends_with(b".class")
            || e.name.starts_with(b"WEB-INF/")
    });
    if java {
        return java::inspect_java(file, &entries).map(|j| Facts::Java(Box::new(j)));
    }
    let wheel = entries.iter().any(|e| {
        let n = &e.name;
        n.ends_with(b".dist-info/WHEEL")
    });
    Err(InspectErrorKind::Unsupported {
        what: if wheel {
            "a Python wheel: install it, then run whichbase on the directory (its .so files are checked)".into()
        } else {
            "a ZIP archive that is neither a JAR, a WAR nor a Python zipapp".into()
        },
    })
}

/// Looks like text: no NUL in the first bytes.
fn is_text(head: &[u8]) -> bool {
    !head.contains(&0)
}

/// What a shared library is for, from its file name: `x.node` is a Node.js addon,
/// `x.cpython-313-x86_64-linux-gnu.so` / `x.abi3.so` a Python extension module.
fn role_from_name(path: &Path, e: &ElfFacts) -> Option<ElfRole> {
    if e.kind != ElfKind::SharedLibrary {
        return None;
    }
    let name = path.file_name()?.to_str()?;
    if name.ends_with(".node") {
        return Some(ElfRole::NodeAddon);
    }
    let stem = name.strip_suffix(".so")?;
    let tag = stem.rsplit_once('.').map(|(_, t)| t)?;
    if tag == "abi3" {
        return Some(ElfRole::PythonExtension {
            abi: tag.to_string(),
            python: None,
        });
    }
    let version = tag.strip_prefix("cpython-")?.split('-').next()?;
    // cpython-313 -> 3.13; cpython-39 -> 3.9. The name is anyone's: digits only.
    if version.is_empty() || !version.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (major, minor) = version.split_at(1);
    Some(ElfRole::PythonExtension {
        abi: tag.to_string(),
        python: (!minor.is_empty()).then(|| format!("{major}.{minor}")),
    })
}
