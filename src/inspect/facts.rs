//! Facts: what inspection found in one file, as owned plain data.
//!
//! No parser types and no lifetimes cross this boundary: `verdict` decides from these values
//! alone and `render` prints them. Collections keep the file's order (`Vec`) or a sorted order
//! (`BTree*`) so output is the same on every run. Every string taken from the file is a
//! [`RawText`].

use crate::text::RawText;
use serde::Serialize;

/// What one input file is, and everything read from it.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "artifact", rename_all = "kebab-case")]
pub enum Facts {
    /// An ELF file: a Linux (or other Unix) program, library, object or core dump.
    Elf(Box<ElfFacts>),
    /// A file that is a program for another system (Mach-O, Windows PE, WebAssembly).
    Foreign(ForeignFacts),
}

/// ELF class: the word size of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ElfClass {
    Elf32,
    Elf64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ByteOrder {
    LittleEndian,
    BigEndian,
}

/// What the ELF file is for, from `e_type` and the dynamic flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ElfKind {
    /// `ET_EXEC`: a program loaded at a fixed address.
    Executable,
    /// `ET_DYN` that is a program: has an interpreter or `DF_1_PIE`.
    PieExecutable,
    /// `ET_DYN` that is a library: not a program on its own.
    SharedLibrary,
    /// `ET_REL`: an object file to be linked, not run.
    Relocatable,
    /// `ET_CORE`: a memory dump of a crashed process.
    Core,
    /// Any other `e_type` value.
    Other,
}

impl ElfKind {
    pub fn is_program(self) -> bool {
        matches!(self, ElfKind::Executable | ElfKind::PieExecutable)
    }

    pub fn describe(self) -> &'static str {
        match self {
            ElfKind::Executable => "executable",
            ElfKind::PieExecutable => "position-independent executable",
            ElfKind::SharedLibrary => "shared library",
            ElfKind::Relocatable => "relocatable object file",
            ElfKind::Core => "core dump",
            ElfKind::Other => "ELF file of an unknown type",
        }
    }
}

/// How a program gets its libraries at start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Linkage {
    /// No interpreter and no dynamic section: the kernel runs it as it is.
    Static,
    /// Position-independent and self-relocating: a dynamic section but no interpreter.
    StaticPie,
    /// Has an interpreter (`PT_INTERP`) that loads shared libraries first.
    Dynamic,
}

impl Linkage {
    pub fn as_str(self) -> &'static str {
        match self {
            Linkage::Static => "static",
            Linkage::StaticPie => "static-pie",
            Linkage::Dynamic => "dynamic",
        }
    }
}

/// The C library family a program was built for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LibcFamily {
    Glibc,
    Musl,
    Bionic,
    Uclibc,
    Other,
    /// Nothing in the file says (typical of static programs without an ABI note).
    Unknown,
}

/// The symbol versions a program needs from one library (`.gnu.version_r`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VersionNeed {
    pub library: RawText,
    pub versions: Vec<RawText>,
}

/// A fact together with where in the file it was read.
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    pub linkage: String,
    pub kind: String,
    pub libc: String,
}

/// The `NT_GNU_ABI_TAG` note: the oldest kernel the C library was built to run on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AbiTag {
    pub os: String,
    pub kernel: String,
}

/// Everything read from an ELF file. Fields that do not apply (no dynamic section, a core dump)
/// are empty, never guessed.
#[derive(Debug, Clone, Serialize)]
pub struct ElfFacts {
    pub class: ElfClass,
    pub byte_order: ByteOrder,
    /// The `e_machine` name, e.g. `x86-64`, `AArch64`.
    pub machine: String,
    /// The container platform (`linux/amd64`, ...) or `None` when no OCI platform matches.
    pub platform: Option<String>,
    pub kind: ElfKind,
    /// `None` for files that are not programs or libraries (objects, core dumps).
    pub linkage: Option<Linkage>,
    pub interpreter: Option<RawText>,
    pub libc: LibcFamily,
    pub needed: Vec<RawText>,
    pub rpath: Vec<RawText>,
    pub runpath: Vec<RawText>,
    pub soname: Option<RawText>,
    /// Names of the bits set in `DT_FLAGS` (`BIND_NOW`, `ORIGIN`, ...).
    pub flags: Vec<String>,
    /// Names of the bits set in `DT_FLAGS_1` (`NOW`, `PIE`, ...).
    pub flags_1: Vec<String>,
    pub version_needs: Vec<VersionNeed>,
    /// Version names this file defines (`.gnu.version_d`), without the base entry.
    pub version_definitions: Vec<RawText>,
    pub abi_tag: Option<AbiTag>,
    pub build_id: Option<String>,
    /// No `.symtab` section (or no section headers at all).
    pub stripped: bool,
    pub evidence: Evidence,
}

/// A program for another operating system, recognised so the verdict can say so.
#[derive(Debug, Clone, Serialize)]
pub struct ForeignFacts {
    /// `Mach-O`, `Mach-O universal`, `PE`, `WebAssembly`.
    pub format: String,
    /// What it is, in words (`macOS executable for arm64, x86_64`).
    pub description: String,
    /// The architectures inside (a universal binary has several).
    pub architectures: Vec<String>,
}
