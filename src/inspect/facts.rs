//! Facts: what inspection found in one file, as owned plain data.
//!
//! No parser types and no lifetimes cross this boundary: `verdict` decides from these values
//! alone and `render` prints them. Collections keep the file's order (`Vec`) or a sorted order
//! (`BTree*`) so output is the same on every run. Every string taken from the file is a
//! [`RawText`].

use crate::text::RawText;
use serde::Serialize;
use std::collections::BTreeMap;

/// What one input file is, and everything read from it.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "artifact", rename_all = "kebab-case")]
pub enum Facts {
    /// An ELF file: a Linux (or other Unix) program, library, object or core dump.
    Elf(Box<ElfFacts>),
    /// A file that is a program for another system (Mach-O, Windows PE, WebAssembly).
    Foreign(ForeignFacts),
    /// A script run by an interpreter (shebang or extension), or a Python zipapp.
    Script(ScriptFacts),
    /// A Java archive: an executable JAR, a library JAR, or a WAR.
    Java(Box<JavaFacts>),
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
    /// The toolchain that built it, when its records say so. Printed at the top level of the
    /// JSON result, not inside `facts`.
    #[serde(skip)]
    pub toolchain: Option<Toolchain>,
    /// What it needs from the filesystem (CA bundle, zoneinfo, ...), in [`NeedKind`] order.
    /// Printed at the top level of the JSON result with the verdict's decision on each.
    #[serde(skip)]
    pub needs: Vec<FsNeed>,
    /// Records that could not be read while looking for needs, and facts that remove a need
    /// (`time/tzdata` embedded); the verdict repeats them as notes.
    #[serde(skip)]
    pub scan_notes: Vec<String>,
    /// What the file is for when its name or packaging says so (a Node.js addon, a Python
    /// extension module, a library packed in a JAR).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<ElfRole>,
    /// A bundle built on this executable (PyInstaller, Node.js SEA, Bun, Deno, AppImage, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bundle: Option<Bundle>,
}

/// A shared library's role, from its file name or where it was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ElfRole {
    /// A `.node` file: loaded by Node.js with dlopen.
    NodeAddon,
    /// A CPython extension module; `abi` from its file name (`cpython-313-x86_64-linux-gnu`,
    /// `abi3`), `python` the version it was built for when the name says (`3.13`).
    PythonExtension { abi: String, python: Option<String> },
    /// A native library inside a JAR.
    JavaNative,
}

/// A self-contained bundle: an executable with an application appended or embedded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bundle {
    /// `PyInstaller`, `Node.js single executable`, `Bun`, `Deno`, `AppImage`,
    /// `GraalVM native image`.
    pub kind: String,
    pub evidence: String,
    /// What the bundle carries when it says (`python3.11` for PyInstaller).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runtime: Option<RawText>,
}

/// The language a script's interpreter runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ScriptLanguage {
    Python,
    Node,
    /// POSIX sh (and dash, ksh, zsh run as sh).
    Shell,
    Bash,
    Perl,
    Ruby,
    Php,
    Other,
}

/// A script: what runs it, and what can go wrong before it starts.
#[derive(Debug, Clone, Serialize)]
pub struct ScriptFacts {
    pub language: ScriptLanguage,
    /// The interpreter command (`python3.11`, `node`, `sh`), after `/usr/bin/env`.
    pub interpreter: RawText,
    /// The `#!` line as written, without its line ending; `None` when recognised by extension.
    pub shebang: Option<RawText>,
    /// Run through `/usr/bin/env` (`-S` splits the rest into arguments).
    pub via_env: bool,
    /// The `#!` line ends in `\r\n`: the kernel looks for an interpreter named `python3\r`.
    pub crlf: bool,
    /// The file has an execute permission bit.
    pub executable: bool,
    /// A Python zipapp (a ZIP archive with `__main__.py`, usually after a `#!` line).
    pub zipapp: bool,
    /// Node.js: the `engines.node` range of the nearest `package.json`, and where it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node_engines: Option<RawText>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub package_json: Option<String>,
}

/// What a Java archive is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum JavaKind {
    /// A JAR whose manifest names a `Main-Class`: `java -jar` runs it.
    ExecutableJar,
    /// A JAR without `Main-Class`: a library.
    LibraryJar,
    /// A web application archive (`WEB-INF/`): needs a servlet container.
    War,
}

/// A Java archive.
#[derive(Debug, Clone, Serialize)]
pub struct JavaFacts {
    pub kind: JavaKind,
    pub main_class: Option<RawText>,
    /// The highest class-file major version among the classes (45 + Java version - 1:
    /// 61 is Java 17, 65 is 21, 69 is 25), without `META-INF/versions/` (a multi-release
    /// JAR's classes for newer Javas are only loaded there).
    pub class_major: Option<u16>,
    /// The Java release that `class_major` needs.
    pub java_release: Option<u16>,
    pub classes: usize,
    pub multi_release: bool,
    /// Native libraries packed inside (`.so` entries), each inspected as an ELF file.
    pub natives: Vec<NativeLibrary>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NativeLibrary {
    pub name: RawText,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facts: Option<Box<ElfFacts>>,
    /// Why it could not be inspected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
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
    /// A .NET assembly's target framework, read from its metadata.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dotnet: Option<DotnetInfo>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DotnetInfo {
    /// `.NETCoreApp,Version=v8.0`, `.NETStandard,Version=v2.0`, `.NETFramework,Version=v4.7.2`.
    pub target_framework: Option<String>,
    /// References ASP.NET Core (needs the `aspnet` runtime image).
    pub aspnet: bool,
}

/// What a program needs from the image's filesystem beyond its libraries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NeedKind {
    /// A CA bundle to verify TLS servers (`/etc/ssl/certs/ca-certificates.crt`).
    CaCertificates,
    /// The time-zone database (`/usr/share/zoneinfo`).
    TimeZoneData,
    /// The user and group databases (`/etc/passwd`, `/etc/group`).
    UserDatabase,
    /// Host-name resolution: `/etc/hosts` and `/etc/resolv.conf`, which container runtimes
    /// mount into every container (`/etc/nsswitch.conf` is optional: glibc and Go read files
    /// first without it).
    NameService,
    /// A shell at `/bin/sh` (system(), popen(), `sh -c`).
    Shell,
    /// Other programs run by path or name (exec*); distroless images have none.
    Programs,
    /// A writable `/tmp`.
    TempDir,
    /// A home directory for the user.
    HomeDir,
    /// `/etc/mime.types`.
    MimeTypes,
    /// Locale or gconv (iconv) data.
    LocaleData,
    /// Shared libraries loaded at run time with dlopen (named in `files`).
    RuntimeLibraries,
    /// A static glibc program's user and group lookups: glibc loads the NSS modules the
    /// image's `/etc/nsswitch.conf` names (`compat` in distroless) with dlopen, and only the
    /// modules of the glibc it was linked with work.
    NssModules,
}

impl NeedKind {
    pub const ALL: [NeedKind; 12] = [
        NeedKind::CaCertificates,
        NeedKind::TimeZoneData,
        NeedKind::UserDatabase,
        NeedKind::NameService,
        NeedKind::Shell,
        NeedKind::Programs,
        NeedKind::TempDir,
        NeedKind::HomeDir,
        NeedKind::MimeTypes,
        NeedKind::LocaleData,
        NeedKind::RuntimeLibraries,
        NeedKind::NssModules,
    ];

    /// The name used on the command line (`--ignore`) and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            NeedKind::CaCertificates => "ca-certificates",
            NeedKind::TimeZoneData => "time-zone-data",
            NeedKind::UserDatabase => "user-database",
            NeedKind::NameService => "name-service",
            NeedKind::Shell => "shell",
            NeedKind::Programs => "programs",
            NeedKind::TempDir => "temp-dir",
            NeedKind::HomeDir => "home-dir",
            NeedKind::MimeTypes => "mime-types",
            NeedKind::LocaleData => "locale-data",
            NeedKind::RuntimeLibraries => "runtime-libraries",
            NeedKind::NssModules => "nss-modules",
        }
    }

    /// In words, for the reasons table.
    pub fn describe(self) -> &'static str {
        match self {
            NeedKind::CaCertificates => "CA certificates",
            NeedKind::TimeZoneData => "time-zone data",
            NeedKind::UserDatabase => "user database",
            NeedKind::NameService => "host name lookup",
            NeedKind::Shell => "a shell (/bin/sh)",
            NeedKind::Programs => "other programs",
            NeedKind::TempDir => "writable /tmp",
            NeedKind::HomeDir => "home directory",
            NeedKind::MimeTypes => "MIME types",
            NeedKind::LocaleData => "locale/gconv data",
            NeedKind::RuntimeLibraries => "dlopen libraries",
            NeedKind::NssModules => "glibc NSS modules",
        }
    }

    /// Accepts the JSON name and a few obvious aliases (`ca`, `tz`, `users`, `dns`, `tmp`).
    pub fn parse(s: &str) -> Option<NeedKind> {
        let s = s.to_ascii_lowercase();
        let alias = match s.as_str() {
            "ca" | "certs" | "ca-certs" => NeedKind::CaCertificates,
            "tz" | "tzdata" | "zoneinfo" => NeedKind::TimeZoneData,
            "users" | "passwd" => NeedKind::UserDatabase,
            "dns" | "nss" | "nsswitch" => NeedKind::NameService,
            "sh" => NeedKind::Shell,
            "tmp" => NeedKind::TempDir,
            "home" => NeedKind::HomeDir,
            "mime" => NeedKind::MimeTypes,
            "locale" | "gconv" => NeedKind::LocaleData,
            "dlopen" => NeedKind::RuntimeLibraries,
            _ => return NeedKind::ALL.into_iter().find(|k| k.as_str() == s),
        };
        Some(alias)
    }
}

/// How sure whichbase is that a need is real.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// Only a weak sign (a generic string, code that may fall back). Counted with `--strict`.
    Possible,
    /// A dependency or string that exists for this purpose; the code path may not run.
    Likely,
    /// The program links or imports the code that reads these files.
    Certain,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Possible => "possible",
            Confidence::Likely => "likely",
            Confidence::Certain => "certain",
        }
    }
}

/// One filesystem need, with the evidence it was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FsNeed {
    pub kind: NeedKind,
    pub confidence: Confidence,
    /// Where in the file it was seen: `imports getaddrinfo`, `Go function crypto/x509.loadSystemRoots`.
    pub evidence: String,
    /// Files that satisfy it (paths), or for `runtime-libraries` the library names.
    pub files: Vec<String>,
}

/// The toolchain that built the program, read from its own records.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Toolchain {
    /// `Go`, `Rust`, `C`, `C++`, `Zig`, `Nim`, `D`, `Crystal`, `Haskell`, `Swift`,
    /// `GraalVM native-image`.
    pub language: String,
    /// Compiler and version as recorded (`go1.23.4`, `rustc 1.84.0 (...)`, `GCC: (Debian 12.2.0-14) 12.2.0`).
    pub compiler: Option<RawText>,
    /// Where the toolchain was recognised (`.go.buildinfo`, `.comment`, `.dep-v0`, ...).
    pub evidence: String,
    /// Go: the main module path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub module: Option<RawText>,
    /// Go build settings (`CGO_ENABLED`, `-tags`, `-buildmode`, `GOARCH`, ...).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub settings: BTreeMap<String, RawText>,
    /// Dependencies (module or crate, version), from the build records.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dependencies: Vec<Dependency>,
    /// Where `dependencies` came from (`Go build information`, `cargo-auditable .dep-v0`,
    /// `panic-location paths`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dependencies_from: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Dependency {
    pub name: RawText,
    pub version: RawText,
}

impl Toolchain {
    pub fn setting(&self, key: &str) -> Option<&RawText> {
        self.settings.get(key)
    }

    pub fn has_dependency(&self, name: &str) -> bool {
        self.dependencies
            .iter()
            .any(|d| d.name.as_bytes() == name.as_bytes())
    }
}

/// RPATH/RUNPATH entries with `$ORIGIN` replaced by the directory of `path` (the program or
/// library that carries them, a path inside the root), the way the loader expands them.
pub fn expand_origin(dirs: &[crate::text::RawText], path: &str) -> Vec<String> {
    let origin = path
        .rsplit_once('/')
        .map_or("/", |(d, _)| if d.is_empty() { "/" } else { d });
    dirs.iter()
        .map(|d| {
            d.to_string()
                .replace("${ORIGIN}", origin)
                .replace("$ORIGIN", origin)
        })
        .collect()
}
