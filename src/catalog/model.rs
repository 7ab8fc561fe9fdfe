//! The catalog's data types: exactly what the generated JSON files hold.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Bumped whenever the shape of the catalog files changes.
pub const SCHEMA_VERSION: u32 = 1;

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
    pub index_dates: BTreeMap<String, BTreeMap<String, String>>,
    /// Anything the archive did not agree with itself about while staging (an index that does
    /// not match its signed InRelease, taken from the mirror as served).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
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
    pub packages: BTreeMap<String, PackageContents>,
    pub images: Vec<ImageEntry>,
}

/// What one Debian package brings that matters to a verdict.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PackageContents {
    pub version: String,
    pub installed_size_kib: u64,
    /// Every ELF shared object the package installs, by canonical path.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objects: Vec<SharedObject>,
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
    pub defines: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub needed: Vec<String>,
    /// Library -> version names needed from it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub version_needs: BTreeMap<String, Vec<String>>,
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
    pub packages: Vec<String>,
    /// Notable files and directories present (distroless's own plus the packages').
    pub files: Vec<String>,
    /// A runtime the image adds from outside Debian (not read into the catalog).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_runtime: Option<String>,
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
}

/// The single-file form accepted by `--catalog FILE`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CombinedCatalog {
    pub index: CatalogIndex,
    pub platforms: Vec<PlatformCatalog>,
    pub distros: Vec<DistroCatalog>,
}

impl PlatformCatalog {
    pub fn image(&self, tier: Tier) -> Option<&ImageEntry> {
        // Several runtime images share a tier (nodejs22/24/26); the first listed is the
        // smallest, which the generator keeps in definition order.
        self.images.iter().find(|i| i.tier == tier)
    }

    /// The canonical form of a path inside this platform's images: merged-/usr directory
    /// links applied, then package symlinks followed (at most 16 hops, as a loop guard).
    pub fn canonical(&self, image: &ImageEntry, path: &str) -> String {
        let mut p = self.apply_dir_links(path);
        for _ in 0..16 {
            let next = image
                .packages
                .iter()
                .filter_map(|name| self.packages.get(name))
                .find_map(|pkg| pkg.links.get(&p));
            match next {
                Some(target) => p = self.apply_dir_links(target),
                None => break,
            }
        }
        p
    }

    fn apply_dir_links(&self, path: &str) -> String {
        for (link, target) in &self.dir_links {
            if let Some(rest) = path.strip_prefix(link.as_str()) {
                if rest.is_empty() || rest.starts_with('/') {
                    return format!("{target}{rest}");
                }
            }
        }
        path.to_string()
    }

    /// The shared object at `path` in `image`, after canonicalisation.
    pub fn object_at<'a>(
        &'a self,
        image: &'a ImageEntry,
        path: &str,
    ) -> Option<(&'a SharedObject, &'a str)> {
        let canonical = self.canonical(image, path);
        image.packages.iter().find_map(|name| {
            let pkg = self.packages.get(name)?;
            pkg.objects
                .iter()
                .find(|o| o.path == canonical)
                .map(|o| (o, name.as_str()))
        })
    }
}
