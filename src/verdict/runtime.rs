//! Verdicts for artifacts a language runtime runs: scripts (by their interpreter), Java
//! archives, and native libraries loaded by a runtime (Node.js addons, Python extension
//! modules, libraries packed in a JAR). The runtime images (java17/21/25, nodejs22/24/26,
//! python3) and the Debian packages of the interpreters come from the catalog; the versions a
//! runtime image has are its catalog `runtime` record.

use super::resolve::{resolve, Request, Resolution};
use super::{reason, releases_to_try, Options, Reason, Verdict};
use crate::catalog::{Catalog, DistroCatalog, ImageEntry, PlatformCatalog, ReleaseInfo, Tier};
use crate::inspect::{ElfFacts, JavaFacts, JavaKind, ScriptFacts, ScriptLanguage};
use std::collections::BTreeMap;

/// Scripts, JARs and runtime libraries are judged for this platform when nothing in the file
/// names one (a script runs anywhere its interpreter does).
pub const DEFAULT_PLATFORM: &str = "linux/amd64";

/// One release's view: its platform catalog, release info and distro catalog.
struct Release<'a> {
    name: &'a str,
    platform: &'a PlatformCatalog,
    info: &'a ReleaseInfo,
    distro: Option<&'a DistroCatalog>,
}

fn releases<'a>(catalog: &'a Catalog, options: &'a Options, platform: &str) -> Vec<Release<'a>> {
    let arch = catalog.arch_for_platform(platform);
    releases_to_try(catalog, options)
        .into_iter()
        .filter_map(|r| {
            Some(Release {
                name: r,
                platform: catalog.platform(r, arch?)?.ok()?,
                info: catalog.release(r)?,
                distro: catalog.distro(r).and_then(Result::ok),
            })
        })
        .collect()
}

/// The runtime images of one language in a release, smallest version first.
fn runtime_images<'a>(p: &'a PlatformCatalog, language: &str) -> Vec<&'a ImageEntry> {
    let mut v: Vec<&ImageEntry> = p
        .images()
        .iter()
        .filter(|i| i.runtime.as_ref().is_some_and(|r| r.language == language))
        .collect();
    v.sort_by_key(|i| {
        version_key(
            &i.runtime
                .as_ref()
                .map(|r| r.version.clone())
                .unwrap_or_default(),
        )
    });
    v
}

/// `3.13.5` is a `3.13`; `3.13` is a `3.13`; `3.130` is not.
fn version_matches(have: &str, wanted: &str) -> bool {
    have == wanted
        || have
            .strip_prefix(wanted)
            .is_some_and(|rest| rest.starts_with('.'))
}

fn version_key(v: &str) -> Vec<u32> {
    v.split('.').map(|p| p.parse().unwrap_or(0)).collect()
}

fn verdict(
    tier: Tier,
    image: Option<String>,
    release: Option<&str>,
    reasons: Vec<Reason>,
    notes: Vec<String>,
) -> Verdict {
    let mut v = Verdict::none(reasons, notes);
    v.tier = tier;
    v.image = image;
    v.release = release.map(str::to_string);
    v
}

/// `php8.2` of `php`; `mawk` and `gawk` of `awk`.
fn is_variant(name: &str, command: &str) -> bool {
    match name.strip_prefix(command) {
        Some(rest) => rest.starts_with(|c: char| c.is_ascii_digit()),
        None => command == "awk" && name.ends_with("awk") && name != "awk",
    }
}

/// The verdict "runs in this image of this release".
fn in_image(img: &ImageEntry, release: &str, reasons: Vec<Reason>, notes: Vec<String>) -> Verdict {
    verdict(
        img.tier,
        Some(img.reference.clone()),
        Some(release),
        reasons,
        notes,
    )
}

/// The distro verdict for an interpreter: debian slim plus the package that ships it.
fn distro_with(r: &Release, command: &str, why: Reason, mut notes: Vec<String>) -> Option<Verdict> {
    let d = r.distro?;
    let mut pkgs = d.packages_for_command(command);
    if pkgs.is_empty() {
        // `php` and `awk` exist only as alternatives links: take a versioned or named
        // variant that a package ships (`php8.2`, `mawk`), the newest first.
        let mut variants: Vec<(&String, &Vec<String>)> = d
            .interpreters
            .get()
            .iter()
            .filter(|(name, p)| !p.is_empty() && is_variant(name, command))
            .collect();
        variants.sort_by(|a, b| b.0.cmp(a.0));
        if !variants.is_empty() {
            let names: Vec<&str> = variants.iter().map(|(n, _)| n.as_str()).collect();
            notes.push(format!(
                "{command} is an alternatives link in Debian, made by the package of {}",
                names.join(" or ")
            ));
            pkgs = variants
                .iter()
                .flat_map(|(_, p)| p.iter().cloned())
                .collect();
        }
    }
    let (pkg, in_slim) = match pkgs.iter().find(|p| d.in_slim(p)) {
        Some(p) => (p.clone(), true),
        // The package named like the command, then its -minimal variant, then the shortest.
        None => (
            pkgs.iter()
                .min_by_key(|p| {
                    let rank = if **p == command {
                        0
                    } else if **p == format!("{command}-minimal") {
                        1
                    } else {
                        2
                    };
                    (rank, p.len(), p.as_str())
                })?
                .clone(),
            false,
        ),
    };
    let detail = if in_slim {
        format!("{} (package {pkg})", r.info.slim_reference)
    } else {
        format!("package {pkg} on {}", r.info.slim_reference)
    };
    let mut reasons = vec![why];
    if let Some(last) = reasons.last_mut() {
        last.tier = Tier::Distro;
        last.detail = detail;
    }
    notes.retain(|n| !n.is_empty());
    let mut v = verdict(
        Tier::Distro,
        Some(r.info.slim_reference.clone()),
        Some(r.name),
        reasons,
        notes,
    );
    if !in_slim {
        v.packages = vec![pkg];
    }
    Some(v)
}

pub fn decide_script(s: &ScriptFacts, catalog: &Catalog, options: &Options) -> Verdict {
    let command = s.interpreter.to_string();
    let evidence = match &s.shebang {
        Some(line) => line.to_string(),
        None => "file extension (no #! line)".into(),
    };
    let need = if s.zipapp {
        format!("interpreter {command} (Python zipapp)")
    } else {
        format!("interpreter {command}")
    };
    if s.crlf {
        return Verdict::none(
            vec![reason(need, evidence, Tier::None, format!("the #! line ends in CRLF: the kernel looks for an interpreter named \"{command}\\r\" (exec fails: no such file or directory)"))],
            vec!["convert the line endings to LF (dos2unix, or git config core.autocrlf input)".into()],
        );
    }
    let mut notes = Vec::new();
    if s.shebang.is_some() && !s.executable {
        notes.push(format!("not executable: chmod +x it, or start it as `{command} FILE` (as the python3 and nodejs images' entrypoints do)"));
    }
    if s.shebang.is_none() {
        notes.push(format!("no #! line: start it as `{command} FILE` (as the python3 and nodejs images' entrypoints do)"));
    }
    let rels = releases(catalog, options, DEFAULT_PLATFORM);
    let why = reason(need.clone(), evidence.clone(), Tier::None, String::new());
    let mut v = match s.language {
        ScriptLanguage::Python => python(&command, &rels, why, notes),
        ScriptLanguage::Node => node(s, &rels, why, notes),
        ScriptLanguage::Shell | ScriptLanguage::Bash => {
            notes.push("no distroless image has a shell; the :debug images have busybox sh but are not for production".into());
            first_distro(&rels, &command, why, notes)
        }
        _ => first_distro(&rels, &command, why, notes),
    };
    if v.tier != Tier::None {
        // Executing the script itself needs its #! path in the image.
        let runs_directly = s.shebang.as_ref().and_then(|l| l.as_clean_str()).map(|l| {
            l.trim_start_matches("#!")
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_string()
        });
        if let (Some(path), Some(image)) = (runs_directly, v.image.as_deref()) {
            let lang_image = matches!(v.tier, Tier::Python3 | Tier::Nodejs | Tier::Java);
            if lang_image && (s.via_env || !python_or_node_path(&path, v.tier)) {
                v.notes.push(format!("{image} has no {path} (no coreutils, no shell): start it as `{command} FILE`, which is what its entrypoint does, not as ./FILE"));
            }
        }
        v.notes.push(format!("judged for {DEFAULT_PLATFORM}; a script runs on any platform its interpreter's image exists for"));
    }
    v
}

/// Whether a #! path exists in the language image: python3 has /usr/bin/python3 and
/// /usr/bin/python (and python3.N); nodejs has only /nodejs/bin/node.
fn python_or_node_path(path: &str, tier: Tier) -> bool {
    match tier {
        Tier::Python3 => path.starts_with("/usr/bin/python"),
        Tier::Nodejs => path == "/nodejs/bin/node",
        _ => false,
    }
}

/// The first release (default first) whose slim image can get the interpreter.
fn first_distro(rels: &[Release], command: &str, why: Reason, notes: Vec<String>) -> Verdict {
    for r in rels {
        if let Some(v) = distro_with(r, command, why.clone(), notes.clone()) {
            return v;
        }
    }
    let mut why = why;
    why.detail = format!("no Debian package ships /usr/bin/{command}");
    Verdict::none(vec![why], notes)
}

fn python(command: &str, rels: &[Release], why: Reason, notes: Vec<String>) -> Verdict {
    // `python3.11` asks for 3.11; `python3` and `python` for any Python 3.
    let wanted = command
        .strip_prefix("python")
        .filter(|v| v.contains('.'))
        .map(str::to_string);
    if command.starts_with("python2") {
        let mut why = why;
        why.detail = "Python 2 is in no image and no supported Debian release".into();
        return Verdict::none(vec![why], notes);
    }
    for r in rels {
        for img in runtime_images(r.platform, "python") {
            let Some(rt) = &img.runtime else { continue };
            let fits = wanted
                .as_ref()
                .is_none_or(|w| version_matches(&rt.version, w));
            if fits {
                let mut why = why.clone();
                why.tier = img.tier;
                why.detail = format!("{} (Python {})", img.reference, rt.version);
                return in_image(img, r.name, vec![why], notes);
            }
        }
    }
    // No python3 image has that version: a release whose Debian has it.
    let have: Vec<String> = rels
        .iter()
        .flat_map(|r| runtime_images(r.platform, "python"))
        .filter_map(|i| {
            i.runtime
                .as_ref()
                .map(|rt| format!("{} has Python {}", i.reference, rt.version))
        })
        .collect();
    let mut notes = notes;
    if !have.is_empty() {
        notes.push(have.join("; "));
    }
    first_distro(rels, command, why, notes)
}

fn node(s: &ScriptFacts, rels: &[Release], why: Reason, mut notes: Vec<String>) -> Verdict {
    let engines = s.node_engines.as_ref().map(|e| e.to_string());
    for r in rels {
        let images = runtime_images(r.platform, "nodejs");
        let majors: Vec<u32> = images
            .iter()
            .filter_map(|i| i.runtime.as_ref()?.version.parse().ok())
            .collect();
        let allowed = match &engines {
            Some(range) => crate::inspect::node_majors_allowed(range, &majors),
            None => majors.clone(),
        };
        let Some(pick) = allowed.first() else {
            continue;
        };
        let Some(img) = images.iter().find(|i| {
            i.runtime
                .as_ref()
                .is_some_and(|rt| rt.version == pick.to_string())
        }) else {
            continue;
        };
        let mut why = why.clone();
        why.tier = img.tier;
        why.detail = format!("{} (Node.js {pick})", img.reference);
        match (&engines, &s.package_json) {
            (Some(range), Some(pj)) => notes.push(format!(
                "engines.node \"{range}\" in {pj} allows Node.js {}",
                allowed.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
            )),
            _ => notes.push(format!(
                "no engines.node in a package.json nearby: any of Node.js {} (the smallest version is chosen)",
                majors.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
            )),
        }
        return in_image(img, r.name, vec![why], notes);
    }
    if let Some(range) = engines {
        notes.push(format!(
            "engines.node \"{range}\" allows none of the nodejs images' versions"
        ));
    }
    first_distro(rels, "node", why, notes)
}

pub fn decide_java(j: &JavaFacts, catalog: &Catalog, options: &Options) -> Verdict {
    let main = j
        .main_class
        .as_ref()
        .map(|m| m.to_string())
        .unwrap_or_default();
    match j.kind {
        JavaKind::War => {
            return Verdict::none(
                vec![reason("a servlet container", "WEB-INF/ in the archive", Tier::None, "a WAR is deployed into a servlet container (Tomcat, Jetty), which no distroless image has")],
                vec!["use a servlet-container image (for example tomcat), or package the application as an executable JAR (Spring Boot, embedded Jetty) for the java image".into()],
            )
        }
        JavaKind::LibraryJar => {
            return Verdict::none(
                vec![reason("a program", "no Main-Class in META-INF/MANIFEST.MF", Tier::None, "a library JAR: `java -jar` cannot run it")],
                vec!["run whichbase on the application's executable JAR".into()],
            )
            .not_a_program()
        }
        JavaKind::ExecutableJar => {}
    }
    let release_needed = j.java_release.unwrap_or(8);
    let evidence = match j.class_major {
        Some(m) => format!(
            "class-file major version {m} (highest of {} classes)",
            j.classes
        ),
        None => "no class files: Java version unknown".into(),
    };
    let rels = releases(catalog, options, DEFAULT_PLATFORM);
    let mut notes = vec![format!("Main-Class {main}")];
    if j.multi_release {
        notes.push("multi-release JAR: classes under META-INF/versions/ are used only on newer Javas and do not raise the version".into());
    }
    for r in &rels {
        let Some(img) = runtime_images(r.platform, "java").into_iter().find(|i| {
            i.runtime
                .as_ref()
                .and_then(|rt| rt.version.parse::<u16>().ok())
                .is_some_and(|v| v >= release_needed)
        }) else {
            continue;
        };
        let version = img
            .runtime
            .as_ref()
            .map(|rt| rt.version.clone())
            .unwrap_or_default();
        let mut reasons = vec![reason(
            format!("Java {release_needed}"),
            evidence.clone(),
            img.tier,
            format!("{} (Java {version})", img.reference),
        )];
        let mut tier = img.tier;
        for n in &j.natives {
            let name = n.name.to_string();
            match &n.facts {
                Some(f) if f.platform.as_deref() != Some(DEFAULT_PLATFORM) => notes.push(format!(
                    "{name}: for {}, not used on {DEFAULT_PLATFORM}",
                    f.platform.as_deref().unwrap_or("another platform")
                )),
                Some(f) => {
                    let missing = missing_in(r.platform, img, f);
                    if missing.is_empty() {
                        reasons.push(reason(
                            format!("native {name}"),
                            "ELF inside the JAR",
                            img.tier,
                            format!("its libraries resolve in {}", img.reference),
                        ));
                    } else {
                        tier = Tier::None;
                        reasons.push(reason(
                            format!("native {name}"),
                            "ELF inside the JAR",
                            Tier::None,
                            format!(
                                "{} not in {} (java images are built on base-nossl: no libssl)",
                                missing.join(", "),
                                img.reference
                            ),
                        ));
                    }
                }
                None => notes.push(format!(
                    "{name}: not inspected ({})",
                    n.error.as_deref().unwrap_or("unknown")
                )),
            }
        }
        if tier == Tier::None {
            notes.push("a native library the JAR loads needs libraries no java image has: build an image on distro with a JRE and those packages".into());
            return Verdict::none(reasons, notes);
        }
        return in_image(img, r.name, reasons, notes);
    }
    let newest: Vec<String> = rels
        .iter()
        .flat_map(|r| runtime_images(r.platform, "java"))
        .filter_map(|i| i.runtime.as_ref().map(|rt| rt.version.clone()))
        .collect();
    Verdict::none(
        vec![reason(
            format!("Java {release_needed}"),
            evidence,
            Tier::None,
            format!(
                "no java image runs Java {release_needed} (they have {})",
                if newest.is_empty() {
                    "none".to_string()
                } else {
                    newest.join(", ")
                }
            ),
        )],
        vec![format!(
            "compile for an older release (javac --release {})",
            newest.last().map(String::as_str).unwrap_or("17")
        )],
    )
}

/// The libraries (and versions) a native library needs that `image` lacks.
fn missing_in(platform: &PlatformCatalog, image: &ImageEntry, f: &ElfFacts) -> Vec<String> {
    let Some(needs) = LibraryNeeds::of(f) else {
        return vec!["(unreadable names)".into()];
    };
    let res = resolve(platform, image, &needs.request());
    missing(&res)
}

fn missing(res: &Resolution) -> Vec<String> {
    let mut out: Vec<String> = res
        .lookups
        .iter()
        .filter(|l| l.outcome == super::Outcome::NotFound)
        .map(|l| l.name.to_string())
        .collect();
    out.extend(
        res.missing_versions
            .iter()
            .map(|m| format!("{} {}", m.library, m.version)),
    );
    out.sort();
    out.dedup();
    out
}

/// A library's own needs as plain strings.
struct LibraryNeeds {
    needed: Vec<String>,
    runpath: Vec<String>,
    versions: BTreeMap<String, Vec<String>>,
}

impl LibraryNeeds {
    fn of(f: &ElfFacts) -> Option<LibraryNeeds> {
        let s = |t: &crate::text::RawText| t.as_clean_str().map(str::to_string);
        let mut versions = BTreeMap::new();
        for vn in &f.version_needs {
            versions
                .entry(s(&vn.library)?)
                .or_insert_with(Vec::new)
                .extend(vn.versions.iter().map(s).collect::<Option<Vec<_>>>()?);
        }
        Some(LibraryNeeds {
            needed: f.needed.iter().map(s).collect::<Option<Vec<_>>>()?,
            runpath: f
                .runpath
                .iter()
                .chain(&f.rpath)
                .map(s)
                .collect::<Option<Vec<_>>>()?,
            versions,
        })
    }

    fn request(&self) -> Request<'_> {
        Request {
            interpreter: None,
            needed: &self.needed,
            rpath: &[],
            runpath: &self.runpath,
            version_needs: &self.versions,
        }
    }
}

/// A Node.js addon or a Python extension module: the runtime image whose interpreter loads
/// it, if its libraries resolve there.
pub fn decide_runtime_library(
    e: &ElfFacts,
    catalog: &Catalog,
    options: &Options,
) -> Option<Verdict> {
    use crate::inspect::ElfRole;
    let role = e.role.as_ref()?;
    let platform = e.platform.clone()?;
    let rels = releases(catalog, options, &platform);
    let (language, what, wanted) = match role {
        ElfRole::NodeAddon => ("nodejs", "Node.js addon (.node)".to_string(), None),
        ElfRole::PythonExtension { abi, python } => (
            "python",
            format!("Python extension module ({abi})"),
            python.clone(),
        ),
        ElfRole::JavaNative => return None,
    };
    let evidence = "file name".to_string();
    let mut tried = Vec::new();
    for r in &rels {
        for img in runtime_images(r.platform, language) {
            let Some(rt) = &img.runtime else { continue };
            if let Some(w) = &wanted {
                if !version_matches(&rt.version, w) {
                    tried.push(format!("{} has Python {}", img.reference, rt.version));
                    continue;
                }
            }
            let missing = missing_in(r.platform, img, e);
            if missing.is_empty() {
                let detail = match language {
                    "nodejs" => format!("{} (loaded by Node.js {})", img.reference, rt.version),
                    _ => format!("{} (Python {})", img.reference, rt.version),
                };
                let mut notes = vec![format!(
                    "a {what}: not a program; the verdict is the image whose runtime loads it"
                )];
                if language == "nodejs" {
                    notes.push("Node-API addons load in every Node.js version; others only in the one they were built for".into());
                }
                return Some(in_image(
                    img,
                    r.name,
                    vec![reason(what.clone(), evidence, img.tier, detail)],
                    notes,
                ));
            }
            if missing.iter().any(|m| m.starts_with("libc.musl")) {
                tried.push("a musl (musllinux) build: it needs musl's libc, which no Debian-based image has; use the manylinux build".into());
            }
            tried.push(format!("{} lacks {}", img.reference, missing.join(", ")));
        }
    }
    let mut notes = tried;
    let version_mismatch = wanted.as_ref().is_some_and(|w| {
        rels.iter()
            .flat_map(|r| runtime_images(r.platform, language))
            .all(|i| {
                i.runtime
                    .as_ref()
                    .is_none_or(|rt| !version_matches(&rt.version, w))
            })
    });
    if let (true, Some(w)) = (version_mismatch, &wanted) {
        // A Debian release whose own Python is that version: its slim image with it.
        let why = reason(what.clone(), evidence.clone(), Tier::None, String::new());
        let v = first_distro(&rels, &format!("python{w}"), why, notes.clone());
        if v.tier != Tier::None {
            let mut v = v;
            v.notes.push(format!("built for Python {w}, which no python3 image has; rebuilding it for the image's Python fits gcr.io/distroless/python3"));
            return Some(v);
        }
        notes.push(format!(
            "built for Python {w}: rebuild the extension for the python3 image's Python"
        ));
    }
    Some(Verdict::none(
        vec![reason(
            what,
            evidence,
            Tier::None,
            format!("no {language} image loads it"),
        )],
        notes,
    ))
}
