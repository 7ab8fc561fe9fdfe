//! Catalog generation: from the Debian packages staged by `scripts/debian.py stage` and the
//! image definitions in `scripts/images.json`, write the catalog files.
//!
//! Run only by `scripts/gen-catalog.sh` (through `examples/gen-catalog.rs`), never by
//! `whichbase` itself. Every shared object is read with whichbase's own inspector, so the
//! catalog and the programs checked against it are read by the same code.

use super::model::*;
use crate::inspect::{self, Facts, Limits};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

/// `scripts/images.json`: the image definitions (packages per image, distroless's own files).
#[derive(Debug, Deserialize)]
pub struct Definitions {
    pub mirror: String,
    pub registry: String,
    pub default_release: String,
    pub releases: Vec<ReleaseDef>,
    pub architectures: BTreeMap<String, ArchDef>,
    /// The command names the distro section lists interpreter packages for.
    #[serde(default)]
    pub interpreter_commands: Vec<String>,
    pub images: Vec<ImageDef>,
}

#[derive(Debug, Deserialize)]
pub struct ReleaseDef {
    pub name: String,
    pub codename: String,
    pub version_id: String,
    pub merged_usr: bool,
    pub arches: Vec<String>,
    pub slim_reference: String,
}

#[derive(Debug, Deserialize)]
pub struct ArchDef {
    pub platform: String,
    pub triplet: String,
}

#[derive(Debug, Deserialize)]
pub struct ImageDef {
    pub name: String,
    pub tier: Tier,
    pub base: Option<String>,
    pub packages: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub arches: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub ca_bundle_from: Option<String>,
    #[serde(default)]
    pub files: BTreeMap<String, String>,
    #[serde(default)]
    pub dirs: BTreeMap<String, String>,
    #[serde(default)]
    pub external_runtime: Option<String>,
    #[serde(default)]
    pub runtime: Option<RuntimeDef>,
}

/// The interpreter of a language image. Either `version` and `command` are given (a runtime
/// from outside Debian: the image definition says which), or `from_package` names the Debian
/// package of the image that ships it: the version is that package's upstream version and
/// the command the one executable it ships in `/usr/bin` or `/bin` (or `command`, checked
/// against the package).
#[derive(Debug, Deserialize)]
pub struct RuntimeDef {
    pub language: String,
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub command: Option<String>,
    #[serde(default)]
    pub from_package: Option<String>,
    /// Links distroless adds to the command (`/usr/bin/python3`): recorded as image files.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// `staging.json`, written by `scripts/debian.py stage`.
#[derive(Debug, Deserialize)]
pub struct Staging {
    pub generated_at: String,
    pub mirror: String,
    #[serde(default)]
    pub index_dates: BTreeMap<String, BTreeMap<String, String>>,
    #[serde(default)]
    pub index_warnings: Vec<String>,
    pub releases: BTreeMap<String, StagedRelease>,
}

#[derive(Debug, Deserialize)]
pub struct StagedRelease {
    pub arches: BTreeMap<String, StagedArch>,
    pub slim: StagedSlim,
}

#[derive(Debug, Deserialize)]
pub struct StagedArch {
    pub packages: BTreeMap<String, StagedPackage>,
}

#[derive(Debug, Deserialize)]
pub struct StagedPackage {
    pub version: String,
    #[serde(default)]
    pub installed_size_kib: u64,
    pub root: PathBuf,
}

#[derive(Debug, Deserialize)]
pub struct StagedSlim {
    pub reference: String,
    pub packages: BTreeMap<String, BTreeMap<String, String>>,
    pub soname_packages: BTreeMap<String, Vec<String>>,
    /// Interpreter command name -> packages shipping `/usr/bin/NAME` or `/bin/NAME`.
    #[serde(default)]
    pub command_packages: BTreeMap<String, Vec<String>>,
    /// The slim image's packages for amd64, unpacked: their libraries' version definitions.
    #[serde(default)]
    pub roots: BTreeMap<String, StagedPackage>,
}

/// The path of the CA bundle distroless builds from `ca-certificates` (rules_distroless
/// `cacerts`).
pub const CA_BUNDLE: &str = "/etc/ssl/certs/ca-certificates.crt";

/// Paths recorded when a package ships them, because a later need asks about them. A path
/// ending in `/` stands for a directory: it is recorded once if anything is inside.
const NOTABLE: &[&str] = &[
    "/usr/share/zoneinfo/",
    "/usr/share/zoneinfo/UTC",
    "/etc/services",
    "/etc/protocols",
    "/etc/mime.types",
    "/etc/os-release",
    "/usr/lib/os-release",
    "/etc/ld.so.cache",
    "/bin/sh",
    "/usr/bin/sh",
    "/bin/bash",
    "/usr/bin/bash",
    "/bin/dash",
    "/usr/bin/dash",
    "/usr/lib/locale/C.utf8/",
    "/etc/ssl/certs/java/cacerts",
];

pub struct Output {
    pub index: CatalogIndex,
    pub platforms: Vec<PlatformCatalog>,
    pub distros: Vec<DistroCatalog>,
}

pub fn generate(defs: &Definitions, staging: &Staging, generator: &str) -> Result<Output, String> {
    let mut releases = Vec::new();
    let mut platforms = Vec::new();
    let mut distros = Vec::new();
    for rdef in &defs.releases {
        let staged = staging
            .releases
            .get(&rdef.name)
            .ok_or_else(|| format!("staging has no release {}", rdef.name))?;
        let mut arches = Vec::new();
        let mut glibc = None;
        for arch in &rdef.arches {
            let adef = defs
                .architectures
                .get(arch)
                .ok_or_else(|| format!("images.json: no architecture {arch}"))?;
            let sarch = staged
                .arches
                .get(arch)
                .ok_or_else(|| format!("staging has no {}/{arch}", rdef.name))?;
            let platform = generate_platform(defs, rdef, arch, adef, sarch)?;
            if glibc.is_none() {
                glibc = platform
                    .package("libc6")
                    .map(|p| upstream_version(&p.version));
            }
            arches.push(ArchInfo {
                arch: arch.clone(),
                platform: adef.platform.clone(),
            });
            platforms.push(platform);
        }
        releases.push(ReleaseInfo {
            name: rdef.name.clone(),
            codename: rdef.codename.clone(),
            version_id: rdef.version_id.clone(),
            glibc: glibc.ok_or_else(|| format!("{}: no libc6 staged", rdef.name))?,
            slim_reference: rdef.slim_reference.clone(),
            arches,
        });
        let slim_packages = staged
            .slim
            .packages
            .get("amd64")
            .or_else(|| staged.slim.packages.values().next())
            .cloned()
            .unwrap_or_default();
        let mut interpreters = BTreeMap::new();
        for name in &defs.interpreter_commands {
            let mut pkgs = staged.slim.command_packages.get(name).cloned().ok_or_else(|| {
                format!(
                    "staging has no interpreter packages for {name} in {}: run scripts/debian.py stage again",
                    rdef.name
                )
            })?;
            pkgs.sort();
            pkgs.dedup();
            interpreters.insert(name.clone(), pkgs);
        }
        let triplet = defs
            .architectures
            .get("amd64")
            .map_or("x86_64-linux-gnu", |a| a.triplet.as_str());
        let slim_versions = slim_library_versions(&staged.slim.roots, triplet)
            .map_err(|e| format!("{} slim image: {e}", rdef.name))?;
        distros.push(DistroCatalog {
            release: rdef.name.clone(),
            reference: staged.slim.reference.clone(),
            slim_packages,
            library_packages: staged.slim.soname_packages.clone(),
            interpreters: Deferred::new(interpreters),
            slim_versions,
            embedded_libraries: LineTable::default(),
            embedded_slim: LineTable::default(),
            embedded_slim_versions: LineTable::default(),
        });
    }
    let index = CatalogIndex {
        schema_version: SCHEMA_VERSION,
        provenance: Provenance {
            generated_at: staging.generated_at.clone(),
            generator: generator.to_string(),
            definitions: "scripts/images.json (package lists from GoogleContainerTools/distroless build files)".into(),
            mirror: staging.mirror.clone(),
            index_dates: Deferred::new(staging.index_dates.clone()),
            warnings: Deferred::new(staging.index_warnings.clone()),
            note: "Generated from the Debian archive's .deb files; do not edit by hand. Regenerate with scripts/gen-catalog.sh.".into(),
        },
        registry: defs.registry.clone(),
        default_release: defs.default_release.clone(),
        releases,
    };
    Ok(Output {
        index,
        platforms,
        distros,
    })
}

/// The version names defined by each library the slim image's packages put in the loader's
/// default directories, by the file name the loader looks for: the object's own name and
/// every symlink to it there (`libtinfo.so.6` -> `libtinfo.so.6.4`). Both slim images are
/// merged-/usr.
fn slim_library_versions(
    roots: &BTreeMap<String, StagedPackage>,
    triplet: &str,
) -> Result<BTreeMap<String, Vec<String>>, String> {
    let dir_links = merged_dir_links(true);
    let loader_dirs: BTreeSet<String> = default_search_dirs(triplet)
        .iter()
        .map(|d| canonical(d, &dir_links))
        .collect();
    let mut defines: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut links = BTreeMap::new();
    for (name, sp) in roots {
        let contents =
            read_package(sp, &dir_links, &loader_dirs).map_err(|e| format!("{name}: {e}"))?;
        for o in contents.objects {
            defines.insert(o.path, o.defines.iter().map(|v| v.to_string()).collect());
        }
        links.extend(contents.links);
    }
    let in_loader_dir = |path: &str| {
        path.rsplit_once('/')
            .is_some_and(|(dir, _)| loader_dirs.contains(dir))
    };
    let mut out = BTreeMap::new();
    for (path, versions) in &defines {
        if let Some((_, file)) = path.rsplit_once('/') {
            out.insert(file.to_string(), versions.clone());
        }
    }
    for link in links.keys().filter(|l| in_loader_dir(l)) {
        // Follow the chain (libfoo.so.1 -> libfoo.so.1.2 -> ...) a few steps at most.
        let mut at = link;
        for _ in 0..8 {
            match links.get(at) {
                Some(next) => at = next,
                None => break,
            }
        }
        if let (Some(versions), Some((_, file))) = (defines.get(at), link.rsplit_once('/')) {
            out.entry(file.to_string())
                .or_insert_with(|| versions.clone());
        }
    }
    Ok(out)
}

/// `2.36-9+deb12u14` -> `2.36`; `1:1.3.dfsg-1` -> `1.3.dfsg`.
pub fn upstream_version(v: &str) -> String {
    let v = v.split_once(':').map_or(v, |(_, rest)| rest);
    let v = v.rsplit_once('-').map_or(v, |(up, _)| up);
    v.to_string()
}

fn merged_dir_links(merged: bool) -> BTreeMap<String, String> {
    if !merged {
        return BTreeMap::new();
    }
    ["bin", "sbin", "lib", "lib64"]
        .iter()
        .map(|d| (format!("/{d}"), format!("/usr/{d}")))
        .collect()
}

fn generate_platform(
    defs: &Definitions,
    rdef: &ReleaseDef,
    arch: &str,
    adef: &ArchDef,
    staged: &StagedArch,
) -> Result<PlatformCatalog, String> {
    let dir_links = merged_dir_links(rdef.merged_usr);
    let search_dirs = default_search_dirs(&adef.triplet);
    // Objects in these directories can be loaded by name; the rest are modules.
    let loader_dirs: BTreeSet<String> = search_dirs
        .iter()
        .map(|d| canonical(d, &dir_links))
        .collect();
    // The runtimes first: a runtime read from a package adds its command to that package's
    // files, whichever image reads the package first.
    let mut runtimes: BTreeMap<&str, RuntimeInfo> = BTreeMap::new();
    let mut runtime_files: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for idef in &defs.images {
        let (Some(rt), Some(chain)) = (&idef.runtime, image_chain(defs, idef, &rdef.name, arch))
        else {
            continue;
        };
        let names = image_packages(&chain, &rdef.name);
        let at = format!("{}/{arch} image {}", rdef.name, idef.name);
        let info =
            runtime_info(rt, &names, staged, &dir_links).map_err(|e| format!("{at}: {e}"))?;
        if let Some(pkg) = &rt.from_package {
            runtime_files
                .entry(pkg.clone())
                .or_default()
                .insert(info.command.clone());
        }
        runtimes.insert(idef.name.as_str(), info);
    }
    let mut packages = BTreeMap::new();
    let mut images = Vec::new();
    for idef in &defs.images {
        let Some(chain) = image_chain(defs, idef, &rdef.name, arch) else {
            continue;
        };
        let names = image_packages(&chain, &rdef.name);
        let mut files: BTreeSet<String> = BTreeSet::new();
        for link in &chain {
            files.extend(link.files.keys().cloned());
            files.extend(link.dirs.keys().cloned());
        }
        for name in &names {
            if packages.contains_key(name.as_str()) {
                continue;
            }
            let sp = staged
                .packages
                .get(name)
                .ok_or_else(|| format!("staging has no package {name} for {}/{arch}", rdef.name))?;
            let is_ca_bundle = chain
                .iter()
                .any(|l| l.ca_bundle_from.as_deref() == Some(name.as_str()));
            let contents = if is_ca_bundle {
                // distroless extracts only the certificates and concatenates them.
                PackageContents {
                    version: sp.version.clone(),
                    installed_size_kib: sp.installed_size_kib,
                    objects: Vec::new(),
                    modules: Vec::new(),
                    links: BTreeMap::new(),
                    files: vec![CA_BUNDLE.to_string()],
                }
            } else {
                let mut c = read_package(sp, &dir_links, &loader_dirs)
                    .map_err(|e| format!("{}/{arch} {name}: {e}", rdef.name))?;
                if let Some(extra) = runtime_files.get(name) {
                    let mut all: BTreeSet<String> =
                        std::mem::take(&mut c.files).into_iter().collect();
                    all.extend(extra.iter().cloned());
                    c.files = all.into_iter().collect();
                }
                c
            };
            packages.insert(Text::from(name.clone()), LazyPackage::new(contents));
        }
        for n in &names {
            if let Some(p) = packages.get(n.as_str()).and_then(LazyPackage::get) {
                files.extend(p.files.iter().cloned());
            }
        }
        // The image's own text first: java17's, not java-base's.
        let external_runtime = chain.iter().rev().find_map(|l| l.external_runtime.clone());
        let runtime = runtimes.remove(idef.name.as_str());
        if let (Some(info), Some(rt)) = (&runtime, &idef.runtime) {
            // distroless adds the interpreter (or its link) and the aliases itself.
            files.insert(info.command.clone());
            files.extend(rt.aliases.iter().map(|a| canonical(a, &dir_links)));
        }
        images.push(ImageEntry {
            name: idef.name.clone(),
            tier: idef.tier,
            reference: format!("{}/{}-{}", defs.registry, idef.name, rdef.name),
            packages: names.into_iter().map(Text::from).collect(),
            files: files.into_iter().map(Text::from).collect(),
            external_runtime,
            runtime,
        });
    }
    Ok(PlatformCatalog {
        release: rdef.name.clone(),
        arch: arch.to_string(),
        platform: adef.platform.clone(),
        triplet: adef.triplet.clone(),
        merged_usr: rdef.merged_usr,
        search_dirs,
        dir_links,
        packages,
        images,
        index: Default::default(),
        memo: Default::default(),
        embedded_paths: LineTable::default(),
        distinct_dirs: Default::default(),
        more_images: None,
        all_images: Default::default(),
    })
}

/// Every package an image is made of, base first, each once: per link of the chain its CA
/// bundle source, then its packages.
fn image_packages(chain: &[&ImageDef], release: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for link in chain {
        if let Some(ca) = &link.ca_bundle_from {
            names.push(ca.clone());
        }
        for p in link.packages.get(release).into_iter().flatten() {
            names.push(p.clone());
        }
    }
    let mut seen = BTreeSet::new();
    names.retain(|n| seen.insert(n.clone()));
    names
}

/// An image's runtime: as defined, or read from the staged package that ships it.
fn runtime_info(
    rt: &RuntimeDef,
    image_packages: &[String],
    staged: &StagedArch,
    dir_links: &BTreeMap<String, String>,
) -> Result<RuntimeInfo, String> {
    let Some(pkg) = &rt.from_package else {
        let (Some(version), Some(command)) = (&rt.version, &rt.command) else {
            return Err("runtime needs version and command, or from_package".into());
        };
        return Ok(RuntimeInfo {
            language: rt.language.clone(),
            version: version.clone(),
            command: canonical(command, dir_links),
        });
    };
    if rt.version.is_some() {
        return Err(format!(
            "runtime gives a version and from_package {pkg}: the version is read from the package"
        ));
    }
    if !image_packages.contains(pkg) {
        return Err(format!(
            "runtime package {pkg} is not one of the image's packages"
        ));
    }
    let sp = staged
        .packages
        .get(pkg)
        .ok_or_else(|| format!("staging has no runtime package {pkg}"))?;
    let shipped = executables_in_bin(&sp.root)?;
    let command = match &rt.command {
        Some(c) => {
            let c = canonical(c, dir_links);
            if !shipped.iter().any(|s| canonical(s, dir_links) == c) {
                return Err(format!("runtime package {pkg} does not ship {c}"));
            }
            c
        }
        None => match shipped.as_slice() {
            [one] => canonical(one, dir_links),
            _ => {
                return Err(format!(
                    "runtime package {pkg} ships {} executables in /usr/bin and /bin ({}); name \
                     the interpreter in runtime.command",
                    shipped.len(),
                    shipped.join(" ")
                ))
            }
        },
    };
    Ok(RuntimeInfo {
        language: rt.language.clone(),
        version: upstream_version(&sp.version),
        command,
    })
}

/// The regular executable files a package ships directly in `/usr/bin` and `/bin` (links
/// excluded: `python3.13-minimal` ships `/usr/bin/python3.13` and nothing else there).
fn executables_in_bin(root: &Path) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for dir in ["usr/bin", "bin"] {
        let full = root.join(dir);
        if !full.is_dir() {
            continue;
        }
        let rd = std::fs::read_dir(&full).map_err(|e| format!("{}: {e}", full.display()))?;
        for entry in rd {
            let entry = entry.map_err(|e| e.to_string())?;
            let meta = std::fs::symlink_metadata(entry.path()).map_err(|e| e.to_string())?;
            if meta.is_file() && is_executable(&meta) {
                out.push(format!("/{dir}/{}", entry.file_name().to_string_lossy()));
            }
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(unix)]
fn is_executable(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o111 != 0
}

#[cfg(not(unix))]
fn is_executable(_: &std::fs::Metadata) -> bool {
    true
}

/// Debian's glibc searches its multiarch directories before /lib and /usr/lib even without
/// /etc/ld.so.cache (which distroless images do not have).
pub fn default_search_dirs(triplet: &str) -> Vec<String> {
    vec![
        format!("/lib/{triplet}"),
        format!("/usr/lib/{triplet}"),
        "/lib".into(),
        "/usr/lib".into(),
    ]
}

/// The image and its bases, base first, if the image exists for this release and arch.
fn image_chain<'a>(
    defs: &'a Definitions,
    idef: &'a ImageDef,
    release: &str,
    arch: &str,
) -> Option<Vec<&'a ImageDef>> {
    idef.packages.get(release)?;
    if let Some(arches) = idef.arches.get(release) {
        if !arches.iter().any(|a| a == arch) {
            return None;
        }
    } else if !idef.arches.is_empty() {
        return None;
    }
    let mut chain = vec![idef];
    let mut cur = idef;
    while let Some(base) = &cur.base {
        cur = defs.images.iter().find(|i| &i.name == base)?;
        chain.push(cur);
        if chain.len() > 16 {
            return None;
        }
    }
    chain.reverse();
    Some(chain)
}

/// Canonical absolute path inside the image for a path inside a package.
fn canonical(path: &str, dir_links: &BTreeMap<String, String>) -> String {
    for (link, target) in dir_links {
        if let Some(rest) = path.strip_prefix(link.as_str()) {
            if rest.is_empty() || rest.starts_with('/') {
                return format!("{target}{rest}");
            }
        }
    }
    path.to_string()
}

/// Joins a relative symlink target onto the link's directory, resolving `.` and `..`.
fn resolve_link(link: &str, target: &Path) -> String {
    let mut parts: Vec<String> = if target.is_absolute() {
        Vec::new()
    } else {
        link.split('/')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    };
    if !target.is_absolute() {
        parts.pop();
    }
    for c in target.components() {
        match c {
            Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            Component::ParentDir => {
                parts.pop();
            }
            _ => {}
        }
    }
    format!("/{}", parts.join("/"))
}

fn is_library_name(name: &str) -> bool {
    name.contains(".so")
}

fn read_package(
    sp: &StagedPackage,
    dir_links: &BTreeMap<String, String>,
    loader_dirs: &BTreeSet<String>,
) -> Result<PackageContents, String> {
    let mut objects = Vec::new();
    let mut links = BTreeMap::new();
    let mut files = BTreeSet::new();
    let mut stack = vec![sp.root.clone()];
    let limits = Limits::default();
    while let Some(dir) = stack.pop() {
        let rd = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for entry in rd {
            let entry = entry.map_err(|e| e.to_string())?;
            let full = entry.path();
            let rel = full
                .strip_prefix(&sp.root)
                .map_err(|e| e.to_string())?
                .to_string_lossy()
                .into_owned();
            let raw = format!("/{rel}");
            let path = canonical(&raw, dir_links);
            let name = entry.file_name().to_string_lossy().into_owned();
            let ft = entry.file_type().map_err(|e| e.to_string())?;
            for n in NOTABLE {
                let n = canonical(n, dir_links);
                if let Some(d) = n.strip_suffix('/') {
                    if path.starts_with(&n) {
                        files.insert(d.to_string());
                    }
                } else if path == n {
                    files.insert(path.clone());
                }
            }
            if ft.is_dir() {
                stack.push(full);
            } else if ft.is_symlink() {
                if is_library_name(&name) {
                    let target = std::fs::read_link(&full).map_err(|e| e.to_string())?;
                    let resolved = canonical(&resolve_link(&raw, &target), dir_links);
                    links.insert(path, resolved);
                }
            } else if ft.is_file() && is_library_name(&name) {
                // Linker scripts named libc.so and other non-ELF files are not objects.
                if let Ok(Facts::Elf(f)) = inspect::inspect(&full, &limits) {
                    objects.push(shared_object(path, &f));
                }
            }
        }
    }
    objects.sort_by(|a, b| a.path.cmp(&b.path));
    let (objects, modules): (Vec<SharedObject>, Vec<SharedObject>) =
        objects.into_iter().partition(|o| {
            o.path
                .rsplit_once('/')
                .is_some_and(|(dir, _)| loader_dirs.contains(dir))
        });
    Ok(PackageContents {
        version: sp.version.clone(),
        installed_size_kib: sp.installed_size_kib,
        objects,
        modules,
        links,
        files: files.into_iter().collect(),
    })
}

/// What the loader emulation needs of one shared object: its names, versions and needs.
pub fn shared_object(path: String, f: &crate::inspect::ElfFacts) -> SharedObject {
    let mut version_needs = BTreeMap::new();
    for vn in &f.version_needs {
        version_needs.insert(
            vn.library.to_string(),
            vn.versions.iter().map(ToString::to_string).collect(),
        );
    }
    SharedObject {
        path,
        soname: f.soname.as_ref().map(ToString::to_string),
        defines: f
            .version_definitions
            .iter()
            .map(|v| Text::from(v.to_string()))
            .collect(),
        needed: f.needed.iter().map(|n| Text::from(n.to_string())).collect(),
        version_needs,
        rpath: Vec::new(),
        runpath: Vec::new(),
    }
}

/// Writes the catalog files into `dir` (pretty JSON, one file per section).
pub fn write_dir(out: &Output, dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let write = |name: &str, value: &dyn erased::Json| -> Result<(), String> {
        let mut text = value.to_pretty()?;
        text.push('\n');
        std::fs::write(dir.join(name), text).map_err(|e| format!("{name}: {e}"))
    };
    write("index.json", &out.index)?;
    for p in &out.platforms {
        write(&super::platform_file(&p.release, &p.arch), p)?;
    }
    for d in &out.distros {
        write(&super::distro_file(&d.release), d)?;
    }
    Ok(())
}

/// Writes the single-file form for `--catalog FILE`.
pub fn write_combined(out: &Output, file: &Path) -> Result<(), String> {
    let combined = CombinedCatalog {
        index: out.index.clone(),
        platforms: out.platforms.clone(),
        distros: out.distros.clone(),
    };
    let text = serde_json::to_string(&combined).map_err(|e| e.to_string())?;
    std::fs::write(file, text).map_err(|e| e.to_string())
}

mod erased {
    pub trait Json {
        fn to_pretty(&self) -> Result<String, String>;
    }
    impl<T: serde::Serialize> Json for T {
        fn to_pretty(&self) -> Result<String, String> {
            serde_json::to_string_pretty(self).map_err(|e| e.to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_resolve_against_their_directory() {
        assert_eq!(
            resolve_link(
                "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
                Path::new("libstdc++.so.6.0.30")
            ),
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30"
        );
        assert_eq!(
            resolve_link(
                "/usr/lib64/ld-linux-x86-64.so.2",
                Path::new("../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2")
            ),
            "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"
        );
        assert_eq!(
            resolve_link("/lib64/ld.so", Path::new("/lib/x/ld.so")),
            "/lib/x/ld.so"
        );
    }

    #[test]
    fn upstream_versions_drop_epoch_and_revision() {
        assert_eq!(upstream_version("2.36-9+deb12u14"), "2.36");
        assert_eq!(
            upstream_version("1:1.3.dfsg+really1.3.1-1+b1"),
            "1.3.dfsg+really1.3.1"
        );
        assert_eq!(upstream_version("6.4"), "6.4");
    }

    #[cfg(unix)]
    fn staged_python(files: &[(&str, u32)]) -> (tempfile::TempDir, StagedArch) {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("usr/bin")).unwrap();
        for (name, mode) in files {
            let p = dir.path().join("usr/bin").join(name);
            std::fs::write(&p, b"#").unwrap();
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(*mode)).unwrap();
        }
        std::os::unix::fs::symlink("python3.13", dir.path().join("usr/bin/pydoc3.13")).unwrap();
        let mut packages = BTreeMap::new();
        packages.insert(
            "python3.13-minimal".to_string(),
            StagedPackage {
                version: "3.13.5-2+deb13u5".into(),
                installed_size_kib: 1,
                root: dir.path().to_path_buf(),
            },
        );
        (dir, StagedArch { packages })
    }

    fn python_def(command: Option<&str>, version: Option<&str>) -> RuntimeDef {
        RuntimeDef {
            language: "python".into(),
            version: version.map(Into::into),
            command: command.map(Into::into),
            from_package: Some("python3.13-minimal".into()),
            aliases: vec!["/usr/bin/python3".into()],
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_runtime_from_a_package_reads_its_version_and_command() {
        let links = merged_dir_links(true);
        let image = ["libc6".to_string(), "python3.13-minimal".to_string()];
        let (_dir, staged) = staged_python(&[("python3.13", 0o755), ("README", 0o644)]);
        let info = runtime_info(&python_def(None, None), &image, &staged, &links).unwrap();
        assert_eq!(
            info,
            RuntimeInfo {
                language: "python".into(),
                version: "3.13.5".into(),
                command: "/usr/bin/python3.13".into(),
            }
        );
        // A named command must be shipped by the package.
        let named = python_def(Some("/usr/bin/python3.13"), None);
        assert_eq!(runtime_info(&named, &image, &staged, &links).unwrap(), info);
        let wrong = python_def(Some("/usr/bin/python3"), None);
        assert!(runtime_info(&wrong, &image, &staged, &links).is_err());
        // The version is never typed next to a package, and the package must be the image's.
        let typed = python_def(None, Some("3.13"));
        assert!(runtime_info(&typed, &image, &staged, &links).is_err());
        assert!(runtime_info(&python_def(None, None), &image[..1], &staged, &links).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_runtime_package_with_several_programs_needs_the_command_named() {
        let links = merged_dir_links(false);
        let image = ["python3.13-minimal".to_string()];
        let (_dir, staged) = staged_python(&[("python3.13", 0o755), ("pygettext3.13", 0o755)]);
        let err = runtime_info(&python_def(None, None), &image, &staged, &links).unwrap_err();
        assert!(err.contains("runtime.command"), "{err}");
        let named = python_def(Some("/usr/bin/python3.13"), None);
        assert_eq!(
            runtime_info(&named, &image, &staged, &links)
                .unwrap()
                .command,
            "/usr/bin/python3.13"
        );
    }

    #[test]
    fn a_runtime_from_outside_debian_is_taken_as_defined() {
        let def = RuntimeDef {
            language: "java".into(),
            version: Some("21".into()),
            command: Some("/usr/bin/java".into()),
            from_package: None,
            aliases: Vec::new(),
        };
        let staged = StagedArch {
            packages: BTreeMap::new(),
        };
        let info = runtime_info(&def, &[], &staged, &merged_dir_links(true)).unwrap();
        assert_eq!(
            (info.version.as_str(), info.command.as_str()),
            ("21", "/usr/bin/java")
        );
        let incomplete = RuntimeDef {
            command: None,
            ..def
        };
        assert!(runtime_info(&incomplete, &[], &staged, &BTreeMap::new()).is_err());
    }

    #[test]
    fn merged_usr_moves_top_level_directories() {
        let links = merged_dir_links(true);
        assert_eq!(
            canonical("/lib/x86_64-linux-gnu/libc.so.6", &links),
            "/usr/lib/x86_64-linux-gnu/libc.so.6"
        );
        assert_eq!(
            canonical("/lib64/ld-linux-x86-64.so.2", &links),
            "/usr/lib64/ld-linux-x86-64.so.2"
        );
        assert_eq!(canonical("/libexec/x", &links), "/libexec/x");
        assert!(merged_dir_links(false).is_empty());
    }
}
