//! Filesystem needs against the catalog: for each need the inspector found, the smallest image
//! of the platform that has the files it reads, or the Debian package that ships them.
//!
//! Whether a need counts is the user's call as much as ours: `certain` and `likely` needs
//! count, `possible` ones only with `--strict`, and `--ignore KIND` drops one (the user
//! mounts certificates, say). Every need is reported either way, with its status.

use super::resolve::{resolve, Request};
use super::resolves_fully;
use crate::catalog::{DistroCatalog, ImageEntry, PlatformCatalog, ReleaseInfo, Tier};
use crate::inspect::{Confidence, FsNeed, NeedKind, Toolchain};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Whether a need took part in the verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NeedStatus {
    /// Counted: the verdict's image satisfies it.
    Counted,
    /// `possible` and `--strict` not given: shown, not counted.
    NotCounted,
    /// The user said `--ignore` it.
    Ignored,
}

/// One filesystem need with the verdict's decision on it.
#[derive(Debug, Clone, Serialize)]
pub struct NeedDecision {
    pub kind: NeedKind,
    pub confidence: Confidence,
    pub evidence: String,
    /// Files that satisfy it, or for `runtime-libraries` the library names.
    pub files: Vec<String>,
    pub status: NeedStatus,
    /// The smallest tier whose image satisfies it.
    pub tier: Tier,
    /// The image or package that satisfies it, or why nothing does.
    pub satisfied_by: String,
}

/// What the verdict needs to place the needs of one program on one platform.
pub struct Place<'a> {
    /// `None` when distroless publishes nothing for the platform (the needs are then met by
    /// copying files into `scratch`).
    pub platform: Option<&'a PlatformCatalog>,
    /// The platform's native images, smallest first.
    pub images: &'a [&'a ImageEntry],
    pub release: Option<&'a ReleaseInfo>,
    pub distro: &'a dyn Fn() -> Option<&'a DistroCatalog>,
    /// The Debian GCC package version recorded in the program's `.comment`
    /// (`GCC: (Debian 12.2.0-14+deb12u1) 12.2.0` -> `12.2.0-14+deb12u1`): which release built it.
    pub debian_gcc: Option<&'a str>,
}

/// The decisions, and the Debian packages the `distro` tier would need for them.
pub struct Placed {
    pub decisions: Vec<NeedDecision>,
    /// Package -> the need kinds that want it (only packages the slim image lacks).
    pub packages: BTreeMap<String, BTreeSet<NeedKind>>,
}

pub fn place(needs: &[FsNeed], at: &Place, ignore: &BTreeSet<NeedKind>, strict: bool) -> Placed {
    let mut packages = BTreeMap::new();
    let decisions = needs
        .iter()
        .map(|n| {
            let status = if ignore.contains(&n.kind) {
                NeedStatus::Ignored
            } else if n.confidence == Confidence::Possible && !strict {
                NeedStatus::NotCounted
            } else {
                NeedStatus::Counted
            };
            let (tier, satisfied_by, package) = smallest_tier(n, at);
            if status == NeedStatus::Counted {
                for p in package {
                    packages
                        .entry(p)
                        .or_insert_with(BTreeSet::new)
                        .insert(n.kind);
                }
            }
            // gconv modules live in the platform's multiarch directory.
            let files = match (n.kind, at.platform) {
                (NeedKind::LocaleData, Some(p)) => vec![format!("/usr/lib/{}/gconv", p.triplet)],
                _ => n.files.clone(),
            };
            NeedDecision {
                kind: n.kind,
                confidence: n.confidence,
                evidence: n.evidence.clone(),
                files,
                status,
                tier,
                satisfied_by,
            }
        })
        .collect();
    Placed {
        decisions,
        packages,
    }
}

fn image_has(img: &ImageEntry, file: &str) -> bool {
    img.files
        .iter()
        .any(|f| f == file || (f.starts_with(file) && f.as_bytes().get(file.len()) == Some(&b'/')))
}

/// The smallest tier that satisfies the need, what satisfies it, and for `distro` the package
/// to install (when the slim image lacks it).
fn smallest_tier(n: &FsNeed, at: &Place) -> (Tier, String, Vec<String>) {
    let Some(platform) = at.platform else {
        return (
            Tier::Scratch,
            "no distroless image for this platform: copy the files into the image".into(),
            Vec::new(),
        );
    };
    let slim = at
        .release
        .map(|r| r.slim_reference.as_str())
        .unwrap_or("debian slim");
    let in_slim = |pkg: &str| (at.distro)().is_some_and(|d| d.in_slim(pkg));
    match n.kind {
        NeedKind::RuntimeLibraries => runtime_libraries(n, platform, at),
        NeedKind::NssModules => nss_modules(n, platform, at),
        NeedKind::NameService => (
            Tier::Scratch,
            "the container runtime (it mounts /etc/hosts and /etc/resolv.conf, scratch included)"
                .into(),
            Vec::new(),
        ),
        NeedKind::Programs => (
            Tier::Distro,
            format!("no distroless image has programs besides yours: {slim} with them installed"),
            Vec::new(),
        ),
        NeedKind::LocaleData => {
            let has_gconv = |img: &&&ImageEntry| {
                img.packages.iter().any(|p| {
                    platform
                        .packages
                        .get(p.as_ref())
                        .is_some_and(|lp| lp.has_module_path("/gconv/"))
                })
            };
            match at.images.iter().find(has_gconv) {
                Some(img) => (
                    img.tier,
                    format!("{} (gconv modules)", img.reference),
                    Vec::new(),
                ),
                None => (
                    Tier::Distro,
                    format!("{slim} (libc6 gconv modules)"),
                    Vec::new(),
                ),
            }
        }
        _ => {
            if let Some(img) = at
                .images
                .iter()
                .find(|img| n.files.iter().all(|f| image_has(img, f)))
            {
                return (img.tier, img.reference.clone(), Vec::new());
            }
            // No distroless image: the slim image, plus the package that ships the files.
            let owner = n
                .files
                .iter()
                .find_map(|f| platform.package_with_file(f).map(str::to_string));
            match owner {
                Some(pkg) if !in_slim(&pkg) => {
                    (Tier::Distro, format!("package {pkg} on {slim}"), vec![pkg])
                }
                Some(pkg) => (Tier::Distro, format!("{slim} (package {pkg})"), Vec::new()),
                None if n.kind == NeedKind::Shell && in_slim("dash") => (
                    Tier::Distro,
                    format!("{slim} (dash is /bin/sh)"),
                    Vec::new(),
                ),
                None => (
                    Tier::Distro,
                    format!("{slim} (Debian base system)"),
                    Vec::new(),
                ),
            }
        }
    }
}

/// The smallest image in which the library `name` loads by name (with its own dependencies
/// and versions), as dlopen would find it through the default directories.
fn smallest_image_loading<'a>(
    platform: &PlatformCatalog,
    images: &[&'a ImageEntry],
    name: &str,
) -> Option<&'a ImageEntry> {
    let needed = [name.to_string()];
    let no_dirs: [String; 0] = [];
    let no_versions = BTreeMap::new();
    let request = Request {
        interpreter: None,
        needed: &needed,
        rpath: &no_dirs,
        runpath: &no_dirs,
        version_needs: &no_versions,
    };
    images
        .iter()
        .find(|img| resolves_fully(&resolve(platform, img, &request), name, false, 0))
        .copied()
}

/// A static glibc program's NSS modules: only those of the glibc it was linked with load
/// safely (on a newer glibc the module crashes the program). The build release is known when
/// the `.comment` names Debian's GCC and that version is the release's own `libgcc-s1`.
fn nss_modules(n: &FsNeed, platform: &PlatformCatalog, at: &Place) -> (Tier, String, Vec<String>) {
    let release = at
        .release
        .map(|r| r.name.as_str())
        .unwrap_or("this release");
    let glibc = at.release.map(|r| r.glibc.as_str()).unwrap_or("?");
    let Some(gcc) = at.debian_gcc else {
        return (
            Tier::None,
            "the file does not say which glibc it was linked with; only that glibc's libnss_compat.so.2 loads safely".into(),
            Vec::new(),
        );
    };
    let same_release = platform
        .packages
        .get("libgcc-s1")
        .and_then(|p| p.get())
        .is_some_and(|c| c.version == gcc);
    if !same_release {
        return (
            Tier::None,
            format!("built with Debian GCC {gcc}, not {release}'s toolchain: {release}'s libnss_compat.so.2 (glibc {glibc}) is not its glibc"),
            Vec::new(),
        );
    }
    let name = n
        .files
        .first()
        .map(String::as_str)
        .unwrap_or("libnss_compat.so.2");
    match smallest_image_loading(platform, at.images, name) {
        Some(img) => (
            img.tier,
            format!(
                "{} ({name} of glibc {glibc}, the glibc it was built with)",
                img.reference
            ),
            Vec::new(),
        ),
        None => (
            Tier::None,
            format!("no {release} image has {name}"),
            Vec::new(),
        ),
    }
}

fn runtime_libraries(
    n: &FsNeed,
    platform: &PlatformCatalog,
    at: &Place,
) -> (Tier, String, Vec<String>) {
    if n.files.is_empty() {
        return (
            Tier::Scratch,
            "no library names found: nothing to check".into(),
            Vec::new(),
        );
    }
    let mut tier = Tier::Scratch;
    let mut parts = Vec::new();
    let mut packages = Vec::new();
    for name in &n.files {
        let (t, what, pkg) = one_library(name, platform, at);
        tier = tier.max(t);
        parts.push(what);
        packages.extend(pkg);
    }
    packages.sort();
    packages.dedup();
    (tier, parts.join("; "), packages)
}

/// Where one library loaded at run time comes from: the smallest image that has it, or the
/// Debian package (to install when the slim image lacks it).
fn one_library(
    name: &str,
    platform: &PlatformCatalog,
    at: &Place,
) -> (Tier, String, Option<String>) {
    let distro = (at.distro)();
    // A name without a version (`libicuuc.so`) is probed at run time over versions: any the
    // release's Debian ships will do.
    if name.ends_with(".so") && !name.contains('/') {
        let libs = distro
            .map(|d| d.libraries_with_prefix(&format!("{name}.")))
            .unwrap_or_default();
        let Some((file, pkgs)) = libs.into_iter().max_by_key(|(f, _)| (f.len(), f.clone())) else {
            return (
                Tier::Scratch,
                format!("{name}: no version in the catalog; ship it with the program"),
                None,
            );
        };
        let in_slim = pkgs.iter().find(|p| distro.is_some_and(|d| d.in_slim(p)));
        return match in_slim {
            Some(p) => (
                Tier::Distro,
                format!("{file} in the slim image ({p})"),
                None,
            ),
            None => {
                let p = pkgs.first().cloned();
                let shown = p.clone().unwrap_or_default();
                (Tier::Distro, format!("{file}: package {shown}"), p)
            }
        };
    }
    if let Some(img) = smallest_image_loading(platform, at.images, name) {
        return (img.tier, format!("{name} in {}", img.reference), None);
    }
    let file_name = name.rsplit('/').next().unwrap_or(name);
    match distro.and_then(|d| super::distro_package(d, file_name)) {
        Some((pkg, true)) => (
            Tier::Distro,
            format!("{name} in the slim image ({pkg})"),
            None,
        ),
        Some((pkg, false)) => (Tier::Distro, format!("{name}: package {pkg}"), Some(pkg)),
        None => (
            Tier::Scratch,
            format!("{name} in no image or package: ship it with the program"),
            None,
        ),
    }
}

/// Ways to meet a need without a bigger image: files to copy into `scratch`, or a build
/// change that removes the need. Used when a verdict is `static` only because of needs.
pub fn stay_on_scratch(kind: NeedKind, toolchain: Option<&Toolchain>) -> String {
    let lang = toolchain.map(|t| t.language.as_str()).unwrap_or("");
    let copy = |files: &str| format!("COPY --from=build {files}");
    match (kind, lang) {
        (NeedKind::TimeZoneData, "Go") => {
            "embed the zone database: import _ \"time/tzdata\" or build with -tags timetzdata".into()
        }
        (NeedKind::TimeZoneData, "Rust") => format!(
            "bundle the zone database (chrono-tz, or jiff with its tzdb-bundle-always feature), or {}",
            copy("/usr/share/zoneinfo /usr/share/zoneinfo")
        ),
        (NeedKind::TimeZoneData, _) => copy("/usr/share/zoneinfo /usr/share/zoneinfo"),
        (NeedKind::CaCertificates, "Rust") => format!(
            "use compiled-in roots (webpki-roots), or {}",
            copy("/etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/")
        ),
        (NeedKind::CaCertificates, "Go") => format!(
            "embed roots (import _ \"golang.org/x/crypto/x509roots/fallback\"), or {}",
            copy("/etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/")
        ),
        (NeedKind::CaCertificates, _) => copy("/etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/"),
        (NeedKind::UserDatabase, _) => format!(
            "{} (with a nonroot entry), or use numeric ids only",
            copy("/etc/passwd /etc/group /etc/")
        ),
        (NeedKind::NameService, _) => "nothing: the container runtime provides /etc/hosts and /etc/resolv.conf".into(),
        (NeedKind::NssModules, _) => format!(
            "{} and an /etc/nsswitch.conf saying `passwd: files` and `group: files` (built into glibc, nothing loaded)",
            copy("/etc/passwd /etc/group /etc/")
        ),
        (NeedKind::TempDir, _) => "create it: COPY --from=build --chmod=1777 /tmp /tmp".into(),
        (NeedKind::HomeDir, _) => "set HOME to a directory the program may write".into(),
        (NeedKind::MimeTypes, _) => copy("/etc/mime.types /etc/"),
        _ => "remove the need in the program".into(),
    }
}
