//! The catalog's data types: exactly what the generated JSON files hold.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Mutex, OnceLock};

/// How many package symlinks a path lookup follows before it stops (a loop guard).
const MAX_LINK_HOPS: usize = 16;

/// The answers of one path's lines in the embedded path table for one image: (position of
/// the package in the image, symlink target or object index).
#[derive(Default)]
struct TableEntries {
    link: Option<(usize, &'static str)>,
    object: Option<(usize, &'static str)>,
}

/// A catalog text that is borrowed from the embedded catalog when it can be (a list of names
/// read from there costs no allocation per name) and owned when read at run time.
pub type Text = Cow<'static, str>;

/// Bumped whenever the shape of the catalog files changes. 2: images' `runtime`, distro
/// `interpreters`.
pub const SCHEMA_VERSION: u32 = 2;

/// The image ladder, smallest first. `Ord` follows the ladder, so the tier an artifact needs
/// is the `max` of the tiers its needs ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Tier {
    /// `FROM scratch`: an empty filesystem.
    Scratch,
    /// `distroless/static`: CA bundle, tzdata, passwd/group, `/tmp`; no libc.
    Static,
    /// `distroless/base-nossl`: static + glibc.
    BaseNossl,
    /// `distroless/base`: base-nossl + libssl (and on Debian 13 zlib, zstd).
    Base,
    /// `distroless/cc`: base + libstdc++, libgcc_s, libgomp.
    Cc,
    Java,
    Nodejs,
    Python3,
    /// A Debian slim image with named extra packages.
    Distro,
    /// No standard image can run it.
    None,
}

impl Tier {
    pub const ALL: [Tier; 10] = [
        Tier::Scratch,
        Tier::Static,
        Tier::BaseNossl,
        Tier::Base,
        Tier::Cc,
        Tier::Java,
        Tier::Nodejs,
        Tier::Python3,
        Tier::Distro,
        Tier::None,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Scratch => "scratch",
            Tier::Static => "static",
            Tier::BaseNossl => "base-nossl",
            Tier::Base => "base",
            Tier::Cc => "cc",
            Tier::Java => "java",
            Tier::Nodejs => "nodejs",
            Tier::Python3 => "python3",
            Tier::Distro => "distro",
            Tier::None => "none",
        }
    }

    pub fn parse(s: &str) -> Option<Tier> {
        Tier::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

impl std::fmt::Display for Tier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `index.json`: provenance and what the other files cover.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CatalogIndex {
    pub schema_version: u32,
    pub provenance: Provenance,
    /// Registry prefix of the images, e.g. `gcr.io/distroless`.
    pub registry: String,
    /// The release the unsuffixed image names point to.
    pub default_release: String,
    pub releases: Vec<ReleaseInfo>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Provenance {
    pub generated_at: String,
    pub generator: String,
    pub definitions: String,
    pub mirror: String,
    /// Per release, per suite: the `Date:` of the archive index the versions were read from.
    pub index_dates: Deferred<BTreeMap<String, BTreeMap<String, String>>>,
    /// Anything the archive did not agree with itself about while staging (an index that does
    /// not match its signed InRelease, taken from the mirror as served).
    #[serde(default, skip_serializing_if = "Deferred::is_empty")]
    pub warnings: Deferred<Vec<String>>,
    pub note: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReleaseInfo {
    /// `debian12`, `debian13`: the distroless suffix.
    pub name: String,
    pub codename: String,
    pub version_id: String,
    /// The upstream glibc version of the release's `libc6` (e.g. `2.36`).
    pub glibc: String,
    /// The Debian slim image of this release (`debian:12-slim`).
    pub slim_reference: String,
    pub arches: Vec<ArchInfo>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ArchInfo {
    /// Debian's name: `amd64`, `armhf`, `ppc64el`.
    pub arch: String,
    /// The OCI platform: `linux/amd64`, `linux/arm/v7`, `linux/ppc64le`.
    pub platform: String,
}

/// `<release>-<arch>.json`: the packages of one release and architecture and the images built
/// from them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlatformCatalog {
    pub release: String,
    pub arch: String,
    pub platform: String,
    pub triplet: String,
    pub merged_usr: bool,
    /// The directories glibc's loader searches when there is no `/etc/ld.so.cache`, in order.
    pub search_dirs: Vec<String>,
    /// Top-level directory symlinks of a merged-/usr layout (`/lib` -> `/usr/lib`).
    pub dir_links: BTreeMap<String, String>,
    pub packages: BTreeMap<Text, LazyPackage>,
    /// The images, smallest first; read them with [`PlatformCatalog::images`]. In the embedded
    /// catalog this holds the native images only, and `more_images` the rest.
    pub(super) images: Vec<ImageEntry>,
    /// Path lookups per image, built on first use (not part of the file).
    #[serde(skip)]
    pub(super) index: OnceLock<Box<[OnceLock<ImageIndex>]>>,
    /// Answers already given by `object_at` and `by_default_dirs` (not part of the file).
    #[serde(skip)]
    pub(super) memo: LookupMemo,
    /// The embedded catalog's path table (see build.rs), searched instead of building an
    /// index from every package; empty for a catalog read at run time.
    #[serde(skip)]
    pub(super) embedded_paths: LineTable,
    /// `search_dirs` after `dir_links`, without repeats.
    #[serde(skip)]
    pub(super) distinct_dirs: OnceLock<Vec<String>>,
    /// The embedded catalog's language-runtime images (a JSON array), parsed on first use
    /// into `all_images` with the native ones.
    #[serde(skip)]
    pub(super) more_images: Option<&'static str>,
    #[serde(skip)]
    pub(super) all_images: OnceLock<Vec<ImageEntry>>,
}

/// Lookups already answered, per image: a directory of programs asks for the same few
/// libraries thousands of times, and each fresh answer canonicalises paths and searches
/// every default directory. Keyed by image position, then by the path (`object_at`) or the
/// bare name (`by_default_dirs`); the value is (package position in the image, object
/// index), or `None` for "not there".
///
/// The keys come partly from the programs (library names, RPATH directories), so the memo
/// is bounded: keys longer than a file name can be are not kept, and once the keys held add
/// up to [`MEMO_BUDGET`] bytes new answers are found again instead of kept. Without the
/// bound, one forged program (100 names of 2 KB and an RPATH of 676 directories) ran out
/// of 512 MiB of address space (a test keeps it so).
#[derive(Debug, Default)]
pub struct LookupMemo(Mutex<MemoState>);

#[derive(Debug, Default)]
struct MemoState {
    per_image: Vec<[Answers; 2]>,
    /// Bytes of the keys held, plus a fixed cost per entry.
    bytes: usize,
}

/// The most key bytes the memo holds: a directory of a thousand real programs needs a few
/// hundred kilobytes.
const MEMO_BUDGET: usize = 4 << 20;

/// The longest key kept: a path in an image is a few directories and a file name (at most
/// 255 bytes on Linux); a longer one comes from a forged program and is not worth keeping.
const MEMO_KEY_MAX: usize = 512;

/// What an entry costs besides its key (the hash table slot and the allocation's header).
const MEMO_ENTRY_COST: usize = 48;

/// Path or name -> (package position in the image, object index), or `None` for "not there".
type Answers = HashMap<Box<str>, Option<(u16, u32)>, BuildHasherDefault<Fnv>>;

/// FNV-1a as a `Hasher` for the memo's short path keys: the default SipHash, built to resist
/// flooding, costs several times more, and these keys come from the catalog and the
/// programs' own library names.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(FNV_OFFSET)
    }
}

impl Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        self.0 = bytes
            .iter()
            .fold(self.0, |h, &b| (h ^ u64::from(b)).wrapping_mul(FNV_PRIME));
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Which question a memo entry answers.
#[derive(Clone, Copy)]
enum Asked {
    Path = 0,
    Name = 1,
}

impl Clone for LookupMemo {
    /// A copy starts with no answers: they are cheap to find again.
    fn clone(&self) -> Self {
        LookupMemo::default()
    }
}

/// A catalog value kept as its JSON text and parsed on first use: for the parts few runs
/// read (the provenance's archive dates and warnings, the distro's interpreter map), whose
/// dozens of small strings would otherwise be allocated at every start.
#[derive(Debug, Default)]
pub struct Deferred<T> {
    raw: Option<Box<serde_json::value::RawValue>>,
    /// The text embedded by build.rs, when it keeps the value apart from its document.
    text: Option<&'static str>,
    parsed: OnceLock<T>,
}

impl<T: serde::de::DeserializeOwned + Default> Deferred<T> {
    pub fn new(value: T) -> Deferred<T> {
        Deferred {
            raw: None,
            text: None,
            parsed: OnceLock::from(value),
        }
    }

    /// A value whose JSON text build.rs embedded apart from its document.
    pub(super) fn embedded(text: &'static str) -> Deferred<T> {
        Deferred {
            raw: None,
            text: Some(text),
            parsed: OnceLock::new(),
        }
    }

    fn source(&self) -> Option<&str> {
        self.raw.as_ref().map(|r| r.get()).or(self.text)
    }

    /// The value; the type's default if the text does not parse, which [`Deferred::check`]
    /// reports when a catalog is loaded.
    pub fn get(&self) -> &T {
        self.parsed.get_or_init(|| {
            self.source()
                .and_then(|t| serde_json::from_str(t).ok())
                .unwrap_or_default()
        })
    }

    /// Parses the text now, reporting what is wrong.
    pub fn check(&self) -> Result<(), String> {
        match self.source() {
            Some(t) if self.parsed.get().is_none() => serde_json::from_str::<T>(t)
                .map(|v| {
                    let _ = self.parsed.set(v);
                })
                .map_err(|e| e.to_string()),
            _ => Ok(()),
        }
    }
}

impl<T: serde::de::DeserializeOwned + Default + PartialEq> Deferred<T> {
    /// Whether the value is its type's default (an empty list or map): not written out.
    pub fn is_empty(&self) -> bool {
        *self.get() == T::default()
    }
}

impl<T: Clone> Clone for Deferred<T> {
    fn clone(&self) -> Self {
        Deferred {
            raw: self.raw.clone(),
            text: self.text,
            parsed: self.parsed.clone(),
        }
    }
}

impl<T: Serialize + serde::de::DeserializeOwned + Default> Serialize for Deferred<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.get().serialize(s)
    }
}

impl<'de, T> Deserialize<'de> for Deferred<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Deferred {
            raw: Some(Box::<serde_json::value::RawValue>::deserialize(d)?),
            text: None,
            parsed: OnceLock::new(),
        })
    }
}

/// A package's contents, parsed from the catalog text only when an image that uses it is
/// resolved: a run for a C program never pays for the Python or Java packages.
#[derive(Debug, Clone, Default)]
pub struct LazyPackage {
    raw: Option<Box<serde_json::value::RawValue>>,
    /// Embedded text (contents without objects and modules, the modules apart, and the
    /// objects one record per line: `catalog::record`), from build.rs.
    text: Option<&'static str>,
    modules_text: Option<&'static str>,
    objects_text: Option<LineTable>,
    /// Boxed: a platform holds fifty packages and most are never parsed; inline, the
    /// contents made each entry of the package map 304 bytes instead of 184.
    parsed: OnceLock<Option<Box<PackageContents>>>,
    modules: OnceLock<Vec<SharedObject>>,
    /// One cell per line of `objects_text`, each parsed on first use.
    objects: OnceLock<Box<[OnceLock<Option<SharedObject>>]>>,
}

impl LazyPackage {
    pub fn new(contents: PackageContents) -> LazyPackage {
        LazyPackage {
            parsed: OnceLock::from(Some(Box::new(contents))),
            ..LazyPackage::default()
        }
    }

    pub(super) fn embedded(
        text: &'static str,
        modules_text: Option<&'static str>,
        objects_text: Option<LineTable>,
    ) -> LazyPackage {
        LazyPackage {
            text: Some(text),
            modules_text,
            objects_text,
            ..LazyPackage::default()
        }
    }

    /// The package's `i`th shared object (as in `PackageContents::objects`). Embedded, only
    /// that object is parsed.
    pub fn object(&self, i: usize) -> Option<&SharedObject> {
        let Some(table) = self.objects_text else {
            return self.get()?.objects.get(i);
        };
        let cells = self
            .objects
            .get_or_init(|| (0..table.len()).map(|_| OnceLock::new()).collect());
        cells
            .get(i)?
            .get_or_init(|| super::record::object(table.line(i)?))
            .as_ref()
    }

    /// The package's shared objects outside the loader's directories (plugins such as gconv
    /// modules), parsed on first use.
    pub fn modules(&self) -> &[SharedObject] {
        match self.modules_text {
            Some(t) => self
                .modules
                .get_or_init(|| serde_json::from_str(t).unwrap_or_default()),
            // Embedded without a modules text: build.rs found none.
            None if self.text.is_some() => &[],
            None => self.get().map_or(&[], |c| c.modules.as_slice()),
        }
    }

    /// Whether some module's path contains `fragment` (`/gconv/`): a text search of the
    /// embedded catalog, so the question costs no parse.
    pub fn has_module_path(&self, fragment: &str) -> bool {
        match self.modules_text {
            Some(t) => t.contains(fragment),
            None => self.modules().iter().any(|m| m.path.contains(fragment)),
        }
    }

    /// The contents, or `None` if the catalog text for this package does not parse. A user
    /// catalog (`--catalog`) is checked whole by `Catalog::load`, and the embedded one by the
    /// tests, so `None` here does not go unnoticed.
    pub fn get(&self) -> Option<&PackageContents> {
        self.parsed
            .get_or_init(|| {
                let text = self.raw.as_ref().map(|r| r.get()).or(self.text)?;
                let mut contents: PackageContents = serde_json::from_str(text).ok()?;
                if let Some(objects) = self.objects_text {
                    contents.objects = objects
                        .lines()
                        .map(super::record::object)
                        .collect::<Option<_>>()?;
                }
                Some(Box::new(contents))
            })
            .as_deref()
    }

    /// Parses now, reporting what is wrong.
    pub fn check(&self) -> Result<(), String> {
        if self.get().is_some() {
            return Ok(());
        }
        let text = self.raw.as_ref().map(|r| r.get()).or(self.text);
        match text {
            Some(t) => serde_json::from_str::<PackageContents>(t)
                .map(|_| ())
                .map_err(|e| e.to_string()),
            None => Err("empty package entry".into()),
        }
    }
}

impl Serialize for LazyPackage {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.get() {
            Some(c) if self.modules_text.is_some() => {
                let mut full = c.clone();
                full.modules = self.modules().to_vec();
                full.serialize(s)
            }
            Some(c) => c.serialize(s),
            None => Err(serde::ser::Error::custom("unparsable package entry")),
        }
    }
}

impl<'de> Deserialize<'de> for LazyPackage {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(LazyPackage {
            raw: Some(Box::<serde_json::value::RawValue>::deserialize(d)?),
            ..LazyPackage::default()
        })
    }
}

/// Path lookups for one image without copying strings: (FNV-1a hash of the path, position of
/// the package in the image's package list, index of the object), sorted by hash. A lookup
/// hashes the path, binary-searches, and compares the real path (so collisions are harmless).
#[derive(Debug, Clone, Default)]
pub(super) struct ImageIndex {
    objects: Vec<(u64, u16, u32)>,
    links: Vec<(u64, u16)>,
}

/// FNV-1a: a few instructions per byte, plenty for a few hundred paths.
fn path_hash(s: &str) -> u64 {
    s.bytes().fold(FNV_OFFSET, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(FNV_PRIME)
    })
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;

/// What one Debian package brings that matters to a verdict.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PackageContents {
    pub version: String,
    pub installed_size_kib: u64,
    /// The ELF shared objects in the loader's directories, by canonical path: what a program
    /// can load by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objects: Vec<SharedObject>,
    /// Every other ELF shared object the package installs (gconv modules, OpenSSL providers,
    /// Python extension modules, ...): loaded with dlopen by path, never found by soname.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modules: Vec<SharedObject>,
    /// Symbolic links that name libraries or loaders: link path -> canonical target.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub links: BTreeMap<String, String>,
    /// Files and directories that later needs ask for (CA bundle, zoneinfo, a shell, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SharedObject {
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub soname: Option<String>,
    /// Version names defined (`.gnu.version_d`), base entry excluded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub defines: Vec<Text>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub needed: Vec<Text>,
    /// Library -> version names needed from it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub version_needs: BTreeMap<String, Vec<String>>,
    /// `DT_RPATH` directories, absolute (`$ORIGIN` already expanded to the object's
    /// directory). Set for a root's libraries (`rootfs::view`); the generated catalog records
    /// none, because the Debian libraries in the loader's directories carry none (only gconv
    /// modules and the JDK's own libraries have `$ORIGIN`, and they are loaded by path).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rpath: Vec<String>,
    /// `DT_RUNPATH` directories, as `rpath`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub runpath: Vec<String>,
}

/// One published image for this release and architecture.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ImageEntry {
    /// Distroless name: `static`, `base-nossl`, `base`, `cc`, `java-base`, `python3`, ...
    pub name: String,
    pub tier: Tier,
    /// Full reference with the release suffix: `gcr.io/distroless/cc-debian13`.
    pub reference: String,
    /// Every package the image is made of, inherited ones included.
    pub packages: Vec<Text>,
    /// Notable files and directories present (distroless's own plus the packages').
    pub files: Vec<Text>,
    /// A runtime the image adds from outside Debian (not read into the catalog).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_runtime: Option<String>,
    /// The language runtime a language image (java17, nodejs22, python3) runs programs with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runtime: Option<RuntimeInfo>,
}

/// The interpreter of a language image. For java* and nodejs* the major version is the
/// image's definition (the runtime comes from outside Debian); for python3 the version and
/// the command are read from the Debian package that ships the interpreter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuntimeInfo {
    /// `java`, `nodejs` or `python`.
    pub language: String,
    /// `21` (Java major), `24` (Node.js major), `3.13.5` (Python upstream version).
    pub version: String,
    /// The interpreter's path in the image: `/usr/bin/java`, `/nodejs/bin/node`,
    /// `/usr/bin/python3.13`.
    pub command: String,
}

/// `distro-<release>.json`: the Debian slim image and which package ships each library.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DistroCatalog {
    pub release: String,
    pub reference: String,
    /// Packages in the slim image (name -> version), as computed from the archive.
    pub slim_packages: BTreeMap<String, String>,
    /// Library file name -> packages that ship it (from the archive's Contents index).
    pub library_packages: BTreeMap<String, Vec<String>>,
    /// Interpreter command name (`perl`, `python3`, `sh`, from a fixed list) -> the packages
    /// that ship `/usr/bin/NAME` or `/bin/NAME` (from the Contents indexes), sorted; empty when
    /// only update-alternatives creates the name (`awk`, `java`).
    #[serde(default, skip_serializing_if = "Deferred::is_empty")]
    pub interpreters: Deferred<BTreeMap<String, Vec<String>>>,
    /// The version names each library of the slim image defines (`.gnu.version_d`), by the
    /// file name the loader finds in its default directories (`libselinux.so.1`), read from
    /// the slim image's own packages (amd64). A library recorded with no versions defines
    /// none, and glibc then accepts any version a program asks of it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub slim_versions: BTreeMap<String, Vec<String>>,
    /// The same map as embedded by build.rs: sorted `library\tpackage package\n` lines.
    #[serde(skip)]
    pub(super) embedded_libraries: LineTable,
    /// `slim_versions` as embedded by build.rs: sorted `library\tVERSION VERSION\n` lines.
    #[serde(skip)]
    pub(super) embedded_slim_versions: LineTable,
    /// `slim_packages` as embedded by build.rs: sorted `package\tversion\n` lines.
    #[serde(skip)]
    pub(super) embedded_slim: LineTable,
}

impl DistroCatalog {
    /// Whether the slim image has this package installed.
    pub fn in_slim(&self, package: &str) -> bool {
        self.slim_packages.contains_key(package) || self.embedded_slim.find(package).is_some()
    }

    /// The version names the slim image's library of this file name defines, if the catalog
    /// read that library (only the slim image's own packages are read).
    pub fn slim_defines(&self, library: &str) -> Option<Vec<&str>> {
        if let Some(v) = self.slim_versions.get(library) {
            return Some(v.iter().map(String::as_str).collect());
        }
        self.embedded_slim_versions
            .find(library)
            .map(|v| v.split(' ').filter(|s| !s.is_empty()).collect())
    }

    /// The Debian packages that ship a library file of this name.
    pub fn packages_for(&self, library: &str) -> Vec<String> {
        if let Some(p) = self.library_packages.get(library) {
            return p.clone();
        }
        self.embedded_libraries
            .find(library)
            .map(|pkgs| pkgs.split(' ').map(str::to_string).collect())
            .unwrap_or_default()
    }

    /// Every library file name starting with `prefix` (`libicuuc.so.`) and its packages: for
    /// a library a program probes for by version at run time. A linear pass; rarely needed.
    pub fn libraries_with_prefix(&self, prefix: &str) -> Vec<(String, Vec<String>)> {
        let mut out: Vec<(String, Vec<String>)> = self
            .library_packages
            .iter()
            .filter(|(k, _)| k.starts_with(prefix))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        // The table is sorted: the names with this prefix are one run of lines.
        out.extend(self.embedded_libraries.lines_from(prefix).map_while(|l| {
            let (k, v) = l.split_once('\t')?;
            k.starts_with(prefix)
                .then(|| (k.to_string(), v.split(' ').map(str::to_string).collect()))
        }));
        out
    }

    /// The Debian packages that ship the command `name` in `/usr/bin` or `/bin` (only for
    /// the names the catalog lists interpreters for; empty otherwise).
    pub fn packages_for_command(&self, name: &str) -> Vec<String> {
        self.interpreters
            .get()
            .get(name)
            .cloned()
            .unwrap_or_default()
    }
}

/// `text` split at its first tab (a byte search: this runs in every binary-search step).
fn split_tab(text: &str) -> Option<(&str, &str)> {
    let at = memchr::memchr(b'\t', text.as_bytes())?;
    Some((text.get(..at)?, text.get(at + 1..)?))
}

/// The key of a `key\tvalue` line.
fn table_key(line: &str) -> &str {
    split_tab(line).map_or(line, |(k, _)| k)
}

/// Lines as build.rs embeds them, with the byte offset where each line starts (computed by
/// build.rs too). The searched tables (path table, distro maps) are sorted `key\tvalue\n`
/// lines: a lookup is a binary search over the offsets that compares keys in place, so
/// nothing is split, parsed or allocated at run time. The package and object tables are
/// record lines read by position (`line`, `range`), never searched, and not sorted. Empty
/// for a catalog read at run time, whose maps are parsed instead.
///
/// A large table (the distro library maps: 16,000 lines, 600 KB) also carries a sample: the
/// key of every [`LineTable::SAMPLE_STRIDE`]th line, as a small table of its own. A lookup
/// searches the sample first and then one block of lines, so it reads three or four pages of
/// the binary instead of one per probe of a plain binary search (a dozen page faults).
#[derive(Debug, Clone, Copy, Default)]
pub struct LineTable {
    text: &'static str,
    starts: &'static [u32],
    /// Keys of lines 0, STRIDE, 2 × STRIDE, ... one per line, and their offsets; empty for a
    /// small table.
    sample_text: &'static str,
    sample_starts: &'static [u32],
}

impl LineTable {
    /// Lines between two sampled keys (build.rs writes the sample with the same stride).
    pub const SAMPLE_STRIDE: usize = 64;

    pub const fn new(text: &'static str, starts: &'static [u32]) -> LineTable {
        LineTable {
            text,
            starts,
            sample_text: "",
            sample_starts: &[],
        }
    }

    /// A table with its sample of keys (every [`LineTable::SAMPLE_STRIDE`]th line's).
    pub const fn sampled(
        text: &'static str,
        starts: &'static [u32],
        sample_text: &'static str,
        sample_starts: &'static [u32],
    ) -> LineTable {
        LineTable {
            text,
            starts,
            sample_text,
            sample_starts,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// Lines `range` of this table as a table of their own (`None` when empty).
    pub fn range(self, range: std::ops::Range<usize>) -> Option<LineTable> {
        let starts = self.starts.get(range)?;
        (!starts.is_empty()).then_some(LineTable::new(self.text, starts))
    }

    /// Every line, in order, without its newline.
    pub fn lines(self) -> impl Iterator<Item = &'static str> {
        (0..self.len()).filter_map(move |i| self.line(i))
    }

    /// Line `i`, without its newline.
    pub fn line(&self, i: usize) -> Option<&'static str> {
        let start = *self.starts.get(i)? as usize;
        // A line ends where the next begins (less its newline); only the last is searched.
        let end = match self.starts.get(i + 1) {
            Some(&next) => (next as usize).checked_sub(1)?,
            None => {
                let rest = self.text.get(start..)?;
                start + memchr::memchr(b'\n', rest.as_bytes()).unwrap_or(rest.len())
            }
        };
        self.text.get(start..end)
    }

    /// How the key of the line starting at byte `start` compares with `key`, which has no
    /// control characters. No catalog key has any (build.rs checks), so a line's key ends at
    /// the first byte below a space, and one byte comparison of `key`'s length decides: at
    /// the first difference, a line key that has ended shows a tab or newline, smaller than
    /// any byte of `key`, exactly as a shorter key orders first.
    fn cmp_key_at(&self, start: u32, key: &[u8]) -> std::cmp::Ordering {
        use std::cmp::Ordering;
        let rest = self
            .text
            .as_bytes()
            .get(start as usize..)
            .unwrap_or_default();
        let n = key.len().min(rest.len());
        match rest[..n].cmp(&key[..n]) {
            Ordering::Equal => match rest.get(key.len()) {
                None if rest.len() < key.len() => Ordering::Less,
                None | Some(b'\t' | b'\n') => Ordering::Equal,
                Some(_) => Ordering::Greater,
            },
            other => other,
        }
    }

    /// The lines from the first whose key is not less than `key`, in order. A key with a
    /// control character is in no table: it gets no lines.
    fn lines_from(self, key: &str) -> impl Iterator<Item = &'static str> {
        let key = key.as_bytes();
        let from = if key.iter().any(|&b| b < b' ') {
            self.starts.len()
        } else {
            self.first_not_less(key)
        };
        (from..self.starts.len()).map_while(move |i| self.line(i))
    }

    /// The index of the first line whose key is not less than `key`.
    fn first_not_less(&self, key: &[u8]) -> usize {
        let less = |table: &LineTable, s: u32| table.cmp_key_at(s, key).is_lt();
        // Without a sample, or one that does not match the table: a plain binary search.
        let sample = LineTable::new(self.sample_text, self.sample_starts);
        let stride = Self::SAMPLE_STRIDE;
        if sample.starts.is_empty() || sample.starts.len() != self.starts.len().div_ceil(stride) {
            return self.starts.partition_point(|&s| less(self, s));
        }
        // Sampled keys below `key` put every line up to the last of them below it too; the
        // next sampled line is not below it. The answer is in the block between.
        let below = sample.starts.partition_point(|&s| less(&sample, s));
        let (lo, hi) = match below {
            0 => return 0,
            b => ((b - 1) * stride + 1, (b * stride).min(self.starts.len())),
        };
        let block = self.starts.get(lo..hi).unwrap_or_default();
        lo + block.partition_point(|&s| less(self, s))
    }

    /// The value of the line whose key is `key`.
    fn find(self, key: &str) -> Option<&'static str> {
        let (k, v) = split_tab(self.lines_from(key).next()?)?;
        (k == key).then_some(v)
    }

    /// Whether `starts` are exactly the starts of the lines of `text`, and the lines are
    /// `key\tvalue` with sorted keys free of control characters: build.rs makes them so, and
    /// a test checks every embedded table with this.
    pub fn is_consistent(&self) -> bool {
        let keys: Vec<&str> = self.text.lines().map(table_key).collect();
        let sorted = keys.windows(2).all(|w| w[0] <= w[1]);
        let clean = keys.iter().all(|k| k.bytes().all(|b| b >= b' '));
        let mut expected = Vec::new();
        let mut at = 0usize;
        for line in self.text.split_inclusive('\n') {
            expected.push(at);
            at += line.len();
        }
        let sample = LineTable::new(self.sample_text, self.sample_starts);
        let sample_ok = sample.is_empty()
            || (sample.len() == self.starts.len().div_ceil(Self::SAMPLE_STRIDE)
                && (0..sample.len())
                    .all(|j| sample.line(j) == keys.get(j * Self::SAMPLE_STRIDE).copied()));
        sorted
            && clean
            && sample_ok
            && self.text.ends_with('\n')
            && self.starts.len() == expected.len()
            && self
                .starts
                .iter()
                .zip(&expected)
                .all(|(&s, &e)| s as usize == e)
    }
}

/// The single-file form accepted by `--catalog FILE`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CombinedCatalog {
    pub index: CatalogIndex,
    pub platforms: Vec<PlatformCatalog>,
    pub distros: Vec<DistroCatalog>,
}

impl PlatformCatalog {
    /// A platform description made at run time (of a root filesystem, say), with one
    /// package per group of files and the images made of them.
    pub fn assembled(
        platform: &str,
        triplet: &str,
        search_dirs: Vec<String>,
        dir_links: BTreeMap<String, String>,
        packages: BTreeMap<String, LazyPackage>,
        images: Vec<ImageEntry>,
    ) -> PlatformCatalog {
        PlatformCatalog {
            release: String::new(),
            arch: String::new(),
            platform: platform.to_string(),
            triplet: triplet.to_string(),
            merged_usr: false,
            search_dirs,
            dir_links,
            packages: packages
                .into_iter()
                .map(|(name, p)| (Text::from(name), p))
                .collect(),
            images,
            index: OnceLock::new(),
            memo: LookupMemo::default(),
            embedded_paths: LineTable::default(),
            distinct_dirs: OnceLock::new(),
            more_images: None,
            all_images: OnceLock::new(),
        }
    }

    /// Every image of the platform, smallest first.
    pub fn images(&self) -> &[ImageEntry] {
        let Some(text) = self.more_images else {
            return &self.images;
        };
        self.all_images.get_or_init(|| {
            let mut all = self.images.clone();
            // The embedded text was checked by the tests; a broken one leaves the native images.
            all.extend(serde_json::from_str::<Vec<ImageEntry>>(text).unwrap_or_default());
            all
        })
    }

    /// The images for native programs (static to cc), smallest first, without parsing the
    /// language-runtime images.
    pub fn native_images(&self) -> impl Iterator<Item = &ImageEntry> {
        self.images.iter().filter(|i| i.tier <= Tier::Cc)
    }

    /// The position of `image` among [`PlatformCatalog::images`]: the native images are
    /// searched first, so a native program's lookups never parse the runtime images.
    fn position(&self, image: &ImageEntry) -> Option<usize> {
        self.images
            .iter()
            .position(|i| i.name == image.name)
            .or_else(|| self.images().iter().position(|i| i.name == image.name))
    }

    pub fn image(&self, tier: Tier) -> Option<&ImageEntry> {
        // Several runtime images share a tier (nodejs22/24/26); the first listed is the
        // smallest, which the generator keeps in definition order.
        if tier <= Tier::Cc {
            if let Some(native) = self.images.iter().find(|i| i.tier == tier) {
                return Some(native);
            }
        }
        self.images().iter().find(|i| i.tier == tier)
    }

    /// One package's contents, parsed on first use.
    pub fn package(&self, name: &str) -> Option<&PackageContents> {
        self.packages.get(name)?.get()
    }

    fn image_index(&self, image: &ImageEntry) -> Option<&ImageIndex> {
        let pos = self.position(image)?;
        self.image_index_at(image, pos)
    }

    fn image_index_at(&self, image: &ImageEntry, pos: usize) -> Option<&ImageIndex> {
        let cells = self
            .index
            .get_or_init(|| self.images().iter().map(|_| OnceLock::new()).collect());
        Some(cells.get(pos)?.get_or_init(|| {
            let mut idx = ImageIndex::default();
            for (p, name) in image.packages.iter().enumerate() {
                let Some(pkg) = self.package(name) else {
                    continue;
                };
                let p = u16::try_from(p).unwrap_or(u16::MAX);
                for (i, o) in pkg.objects.iter().enumerate() {
                    let i = u32::try_from(i).unwrap_or(u32::MAX);
                    idx.objects.push((path_hash(&o.path), p, i));
                }
                for from in pkg.links.keys() {
                    idx.links.push((path_hash(from), p));
                }
            }
            // Stable sorts keep package order within a hash: the first package wins, as
            // when the image's layers are applied in order.
            idx.objects.sort_by_key(|e| e.0);
            idx.links.sort_by_key(|e| e.0);
            idx
        }))
    }

    /// The object a bare library name resolves to through the default search directories,
    /// with its package: the first directory, in the loader's order, where the name leads to
    /// an object. A few hash lookups per directory, once per image and name.
    pub fn by_default_dirs<'a>(
        &'a self,
        image: &'a ImageEntry,
        name: &str,
    ) -> Option<(&'a SharedObject, &'a str)> {
        if name.contains('/') {
            return None;
        }
        self.remembered(image, Asked::Name, name, |pos| {
            // One buffer for every candidate path: this runs for each new library name.
            let mut path = String::with_capacity(64);
            self.distinct_search_dirs().iter().find_map(|dir| {
                path.clear();
                path.push_str(dir.trim_end_matches('/'));
                path.push('/');
                path.push_str(name);
                self.locate(image, pos, &path)
            })
        })
    }

    /// The default search directories with merged-/usr links applied, each once: on a
    /// merged-/usr platform `/lib/x86_64-linux-gnu` and `/usr/lib/x86_64-linux-gnu` are one
    /// directory, and a name missing from it would otherwise be looked up twice.
    fn distinct_search_dirs(&self) -> &[String] {
        self.distinct_dirs.get_or_init(|| {
            let mut dirs: Vec<String> = Vec::new();
            for d in &self.search_dirs {
                let d = self.apply_dir_links(d.trim_end_matches('/')).into_owned();
                if !dirs.contains(&d) {
                    dirs.push(d);
                }
            }
            dirs
        })
    }

    /// The answer to `question` about `key` in `image`, found with `find` (given the image's
    /// position) the first time and remembered.
    fn remembered<'a>(
        &'a self,
        image: &'a ImageEntry,
        question: Asked,
        key: &str,
        find: impl FnOnce(usize) -> Option<(u16, u32)>,
    ) -> Option<(&'a SharedObject, &'a str)> {
        let pos = self.position(image)?;
        let known = {
            let memo = self.memo.0.lock().unwrap_or_else(|e| e.into_inner());
            memo.per_image
                .get(pos)
                .and_then(|answers| answers[question as usize].get(key).copied())
        };
        let at = match known {
            Some(at) => at,
            None => {
                let at = find(pos);
                let cost = key.len() + MEMO_ENTRY_COST;
                let mut memo = self.memo.0.lock().unwrap_or_else(|e| e.into_inner());
                if key.len() <= MEMO_KEY_MAX && memo.bytes + cost <= MEMO_BUDGET {
                    if memo.per_image.len() <= pos {
                        memo.per_image.resize_with(pos + 1, Default::default);
                    }
                    if let Some(answers) = memo.per_image.get_mut(pos) {
                        if answers[question as usize].insert(key.into(), at).is_none() {
                            memo.bytes += cost;
                        }
                    }
                }
                at
            }
        };
        let (p, i) = at?;
        let name = image.packages.get(usize::from(p))?;
        let obj = self.packages.get(name.as_ref())?.object(i as usize)?;
        Some((obj, name.as_ref()))
    }

    /// The canonical form of a path inside this platform's images: merged-/usr directory
    /// links applied, then package symlinks followed (at most [`MAX_LINK_HOPS`], as a loop
    /// guard). For a catalog read at run time; the embedded one canonicalises in `locate`.
    fn canonical<'p>(&self, image: &ImageEntry, path: &'p str) -> Cow<'p, str> {
        let mut p = self.apply_dir_links(path);
        let Some(idx) = self.image_index(image) else {
            return p;
        };
        for _ in 0..MAX_LINK_HOPS {
            let h = path_hash(&p);
            let start = idx.links.partition_point(|e| e.0 < h);
            let target = idx.links[start..]
                .iter()
                .take_while(|e| e.0 == h)
                .find_map(|&(_, pk)| {
                    let name = image.packages.get(usize::from(pk))?;
                    self.package(name)?.links.get(p.as_ref()).cloned()
                });
            match target {
                Some(target) => p = Cow::Owned(self.apply_dir_links(&target).into_owned()),
                None => break,
            }
        }
        p
    }

    /// From the embedded path table, in one pass over `path`'s lines: the symlink target and
    /// the object index at `path`, each of the first package of `image` that has one, with
    /// that package's position.
    fn table_entries(&self, image: &ImageEntry, path: &str) -> TableEntries {
        let mut found = TableEntries::default();
        for (package, value) in self.table_lines(path) {
            let Some(position) = image.packages.iter().position(|n| n == package) else {
                continue;
            };
            let slot = match value.strip_prefix('>') {
                Some(target) => (&mut found.link, target),
                None if value != "=" => (&mut found.object, value),
                None => continue,
            };
            if slot.0.is_none_or(|(first, _)| position < first) {
                *slot.0 = Some((position, slot.1));
            }
        }
        found
    }

    /// The (package, value) pairs of the embedded path table's lines for `path`.
    fn table_lines<'p>(
        &'p self,
        path: &'p str,
    ) -> impl Iterator<Item = (&'static str, &'static str)> + 'p {
        self.embedded_paths.lines_from(path).map_while(move |line| {
            let (key, rest) = split_tab(line)?;
            if key != path {
                return None;
            }
            split_tab(rest)
        })
    }

    /// The first package, by name, whose file list has `file` (a CA bundle, `/bin/sh`).
    pub fn package_with_file<'a>(&'a self, file: &str) -> Option<&'a str> {
        if !self.embedded_paths.is_empty() {
            return self
                .table_lines(file)
                .find(|&(_, value)| value == "=")
                .map(|(package, _)| package);
        }
        self.packages.iter().find_map(|(name, lp)| {
            lp.get()
                .filter(|c| c.files.iter().any(|x| x == file))
                .map(|_| name.as_ref())
        })
    }

    /// `path` with a merged-/usr directory link applied (`/lib/x` -> `/usr/lib/x`), copied
    /// only when one applies.
    fn apply_dir_links<'p>(&self, path: &'p str) -> Cow<'p, str> {
        for (link, target) in &self.dir_links {
            if let Some(rest) = path.strip_prefix(link.as_str()) {
                if rest.is_empty() || rest.starts_with('/') {
                    return Cow::Owned(format!("{target}{rest}"));
                }
            }
        }
        Cow::Borrowed(path)
    }

    /// The shared object at `path` in `image`, after canonicalisation, with its package.
    pub fn object_at<'a>(
        &'a self,
        image: &'a ImageEntry,
        path: &str,
    ) -> Option<(&'a SharedObject, &'a str)> {
        self.remembered(image, Asked::Path, path, |pos| {
            self.locate(image, pos, path)
        })
    }

    /// Where the object at `path` is in `image` (at position `pos`): (package position in the
    /// image, object index).
    fn locate(&self, image: &ImageEntry, pos: usize, path: &str) -> Option<(u16, u32)> {
        if !self.embedded_paths.is_empty() {
            // Canonicalise and find the object with one table search per path on the way.
            let mut canonical = self.apply_dir_links(path);
            let mut hops = 0;
            let (p, index) = loop {
                let found = self.table_entries(image, &canonical);
                match found.link {
                    Some((_, target)) if hops < MAX_LINK_HOPS => {
                        canonical = Cow::Owned(self.apply_dir_links(target).into_owned());
                        hops += 1;
                    }
                    _ => break found.object?,
                }
            };
            let i: u32 = index.parse().ok()?;
            let name = image.packages.get(p)?;
            let obj = self.packages.get(name.as_ref())?.object(i as usize)?;
            return (obj.path == canonical).then_some((u16::try_from(p).ok()?, i));
        }
        let canonical = self.canonical(image, path);
        let idx = self.image_index_at(image, pos)?;
        let h = path_hash(&canonical);
        let start = idx.objects.partition_point(|e| e.0 < h);
        idx.objects[start..]
            .iter()
            .take_while(|e| e.0 == h)
            .find(|&&(_, p, i)| {
                image
                    .packages
                    .get(usize::from(p))
                    .and_then(|name| self.package(name))
                    .and_then(|pkg| pkg.objects.get(i as usize))
                    .is_some_and(|obj| obj.path == canonical)
            })
            .map(|&(_, p, i)| (p, i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A table as build.rs would embed it (leaked: the tables are `'static`).
    fn table_of(text: &str) -> LineTable {
        let text: &'static str = Box::leak(text.to_string().into_boxed_str());
        let mut starts = Vec::new();
        let mut at = 0u32;
        for line in text.split_inclusive('\n') {
            starts.push(at);
            at += line.len() as u32;
        }
        let table = LineTable::new(text, Box::leak(starts.into_boxed_slice()));
        assert!(table.is_consistent());
        table
    }

    #[test]
    fn sorted_table_lookups_agree_with_a_linear_pass() {
        let text = "liba.so.1\tp1\nlibicuuc.so.72\tlibicu72\nlibicuuc.so.76\tlibicu76\nlibicuucx.so.1\tx\nlibz.so.1\tzlib1g\n";
        let table = table_of(text);
        for prefix in [
            "",
            "liba",
            "libicuuc.so.",
            "libicuuc",
            "libz",
            "lib0",
            "libzz",
            "m",
        ] {
            let fast: Vec<&str> = table
                .lines_from(prefix)
                .take_while(|l| l.starts_with(prefix))
                .collect();
            let slow: Vec<&str> = text.lines().filter(|l| l.starts_with(prefix)).collect();
            assert_eq!(fast, slow, "prefix {prefix:?}");
        }
        assert_eq!(table.find("libz.so.1"), Some("zlib1g"));
        assert_eq!(table.find("liba.so.1"), Some("p1"));
        assert_eq!(table.find("libicuuc.so"), None);
        assert_eq!(table.find("libzz"), None);
        assert_eq!(table.find("libz.so.1\tzlib1g"), None);
        assert_eq!(table.find("libz.so.1\u{1}"), None);
        // Every key of the table finds its own line, and keys between them find nothing.
        for line in text.lines() {
            let (k, v) = line.split_once('\t').unwrap();
            assert_eq!(table.find(k), Some(v));
            assert_eq!(table.find(&format!("{k}!")), None);
            assert_eq!(table.find(&k[..k.len() - 1]), None);
        }
        assert!(!LineTable::new("a\tb\n", &[0, 1]).is_consistent());
        assert!(!LineTable::sampled("a\tb\n", &[0], "b\n", &[0]).is_consistent());
        assert!(!LineTable::new("a\tb", &[0]).is_consistent());
    }

    /// A table with a sample of keys finds exactly what a plain binary search finds, for
    /// every key, every key between two keys, and keys around each block's edges.
    #[test]
    fn sampled_table_lookups_agree_with_a_plain_search() {
        let stride = LineTable::SAMPLE_STRIDE;
        for n in [
            1,
            2,
            stride - 1,
            stride,
            stride + 1,
            3 * stride,
            3 * stride + 7,
        ] {
            // Keys k0010, k0020, ...: the probes k0015 fall between two of them.
            let text: String = (1..=n).map(|i| format!("k{:04}\tv{i}\n", i * 10)).collect();
            let plain = table_of(&text);
            let sample: String = (0..n)
                .step_by(stride)
                .map(|i| format!("k{:04}\n", (i + 1) * 10))
                .collect();
            let sample_table = {
                let t: &'static str = Box::leak(sample.into_boxed_str());
                let mut starts = Vec::new();
                let mut at = 0u32;
                for line in t.split_inclusive('\n') {
                    starts.push(at);
                    at += line.len() as u32;
                }
                (t, &*Box::leak(starts.into_boxed_slice()))
            };
            let sampled =
                LineTable::sampled(plain.text, plain.starts, sample_table.0, sample_table.1);
            assert!(sampled.is_consistent(), "n = {n}");
            for probe in 0..=(n * 10 + 20) {
                let key = format!("k{probe:04}");
                assert_eq!(
                    sampled.first_not_less(key.as_bytes()),
                    plain.first_not_less(key.as_bytes()),
                    "n = {n}, {key}"
                );
                assert_eq!(sampled.find(&key), plain.find(&key), "n = {n}, {key}");
            }
            assert_eq!(sampled.first_not_less(b"a"), 0);
            assert_eq!(sampled.first_not_less(b"z"), n);
        }
    }
}
