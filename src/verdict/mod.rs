//! The verdict: from [`Facts`] and the [`Catalog`], the smallest image the artifact runs on.
//!
//! Pure and infallible: no filesystem, no host state. "Nothing fits" is a verdict (`none`)
//! with its cause and fix, not an error. Each need of the artifact (interpreter, each needed
//! library with its own dependencies, each set of symbol versions) becomes a [`Reason`] with
//! the smallest tier that satisfies it; the verdict is the largest of those, confirmed by
//! resolving the whole program in that image. The runtime tiers (java, nodejs, python3) are
//! never proposed for a native program: a native program that needs more than `cc` gets
//! `distro` with the exact packages.

pub mod against;
mod needs;
mod resolve;
mod runtime;

pub use needs::{NeedDecision, NeedStatus};
pub use resolve::{resolve, Lookup, Outcome, Request, Resolution};

use crate::catalog::{Catalog, DistroCatalog, ImageEntry, PlatformCatalog, Tier};
use crate::inspect::{
    Confidence, ElfFacts, ElfKind, Facts, ForeignFacts, LibcFamily, Linkage, NeedKind,
};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Choices that change a verdict.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Consider only this release (`--release debian12`).
    pub release: Option<String>,
    /// Filesystem needs the user provides some other way (`--ignore ca-certificates`).
    pub ignore: BTreeSet<NeedKind>,
    /// Count `possible` needs too (`--strict`).
    pub strict: bool,
    /// Keep the resolved library tree (`Verdict::tree`), which only `-v` shows: without it a
    /// verdict builds no tree, and a directory's outcomes kept until printing are smaller.
    pub library_tree: bool,
}

/// One need of the artifact and the smallest tier that satisfies it.
#[derive(Debug, Clone, Serialize)]
pub struct Reason {
    /// What is needed, in plain words: `libstdc++.so.6`, `GLIBC_2.34 from libc.so.6`.
    pub need: String,
    /// Where in the file the need was read.
    pub evidence: String,
    /// How sure the need is: libraries and versions read from the dynamic table are
    /// `certain`; filesystem needs carry their own.
    pub confidence: Confidence,
    /// The smallest tier that satisfies it (`none` when nothing does).
    pub tier: Tier,
    /// Image (or package) that satisfies it, or why nothing does.
    pub detail: String,
    /// For a filesystem need, its kind (the JSON carries it in `needs`).
    #[serde(skip)]
    pub need_kind: Option<NeedKind>,
}

/// A line of the resolved library tree (`-v`).
#[derive(Debug, Clone, Serialize)]
pub struct TreeLine {
    pub requester: Option<String>,
    pub library: String,
    pub found: Option<String>,
    pub package: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    pub tier: Tier,
    /// The image to use, with its release suffix (`gcr.io/distroless/cc-debian13`),
    /// `scratch`, or a Debian slim image for `distro`; `None` for `none`.
    pub image: Option<String>,
    pub release: Option<String>,
    /// Debian packages to install on top of the image (`distro`).
    pub packages: Vec<String>,
    pub reasons: Vec<Reason>,
    /// What would have to change to fit the next smaller tier.
    pub to_go_smaller: Vec<String>,
    /// Libraries found only through `$ORIGIN`: copy them beside the program.
    pub copy_beside: Vec<String>,
    /// Anything else the user should know (other releases, unchecked versions, fixes).
    pub notes: Vec<String>,
    pub tree: Vec<TreeLine>,
    /// Every filesystem need found, with whether it counted and what satisfies it.
    pub needs: Vec<NeedDecision>,
    /// Not a program and not loaded by one when found in a directory (a library JAR, an
    /// object file, a core dump): its `none` does not make a directory's verdict `none`.
    #[serde(skip)]
    pub not_a_program: bool,
    /// The libraries beside the program that were read and decided with it (paths on this
    /// machine): in a directory, they are judged with the program, not on their own.
    #[serde(skip)]
    pub brought: Vec<String>,
    /// In a directory: the program that brings this library and with which it is judged.
    #[serde(skip)]
    pub judged_with: Option<String>,
    /// Libraries whose version needs the catalog cannot check in this release (a package
    /// the slim image lacks, apt adds it): the release choice prefers the one that built it.
    #[serde(skip)]
    pub unchecked_versions: Vec<String>,
}

impl Verdict {
    /// The needs that put the verdict at its tier (what a `--max` gate reports).
    pub fn blocking_needs(&self) -> Vec<&str> {
        needs_at(&self.reasons, self.tier)
    }

    fn none(reasons: Vec<Reason>, notes: Vec<String>) -> Verdict {
        Verdict {
            tier: Tier::None,
            image: None,
            release: None,
            packages: Vec::new(),
            reasons,
            to_go_smaller: Vec::new(),
            copy_beside: Vec::new(),
            notes,
            tree: Vec::new(),
            needs: Vec::new(),
            not_a_program: false,
            brought: Vec::new(),
            judged_with: None,
            unchecked_versions: Vec::new(),
        }
    }

    fn not_a_program(mut self) -> Verdict {
        self.not_a_program = true;
        self
    }
}

/// Decides the verdict for one inspected artifact.
pub fn decide(facts: &Facts, catalog: &Catalog, options: &Options) -> Verdict {
    match facts {
        Facts::Foreign(f) => decide_foreign(f),
        Facts::Script(s) => runtime::decide_script(s, catalog, options),
        Facts::Java(j) => runtime::decide_java(j, catalog, options),
        Facts::Elf(e) => {
            let mut v = runtime::decide_runtime_library(e, catalog, options)
                .unwrap_or_else(|| decide_elf(e, catalog, options));
            if let Some(b) = &e.bundle {
                v.notes.insert(0, bundle_note(b));
            }
            v
        }
    }
}

/// What a bundle means for the image, in one line.
fn bundle_note(b: &crate::inspect::Bundle) -> String {
    let carries = b
        .runtime
        .as_ref()
        .map(|r| format!(" (carries {r})"))
        .unwrap_or_default();
    let what = match b.kind.as_str() {
        "PyInstaller" => "the Python runtime is inside; the verdict is the bootloader's, and a one-file bundle unpacks into $TMPDIR (/tmp) at every start",
        "AppImage" => "needs FUSE to mount itself, which containers lack: run it with --appimage-extract-and-run, or extract it at build time and ship the contents",
        "Node.js single executable" | "Bun" | "Deno" => "the script is inside the runtime binary: the verdict is the runtime's",
        "GraalVM native image" => "compiled ahead of time: no JVM needed",
        ".NET single-file" if carries.contains("framework-dependent") => "the application is inside; the .NET runtime must be installed: use mcr.microsoft.com/dotnet/runtime",
        ".NET single-file" => "the application and the .NET runtime are inside; the verdict is what the runtime's native parts need (ICU unless invariant globalization)",
        ".NET apphost" => "a launcher for an application .dll beside it: needs the .NET runtime installed (mcr.microsoft.com/dotnet/runtime)",
        _ => "",
    };
    format!("{} bundle{carries}: {what} ({})", b.kind, b.evidence)
}

/// Libraries a program brings beside it, found on disk through its `$ORIGIN` paths (read by
/// `survey::libraries_beside`) and decided with: the verdict was decided on the program's
/// needs with theirs in place of them. This adds one reason per library the program names,
/// the files to copy, and a note for a need that sits beside them where the loader will
/// not look. `shown`: a library's path as the user should read it (relative to the program).
pub fn with_libraries_beside(
    v: &mut Verdict,
    program_needed: &[String],
    libraries: &[String],
    unreachable: &[(String, String, String)],
    shown: impl Fn(&str) -> String,
) {
    let file_name = |p: &str| p.rsplit('/').next().unwrap_or(p).to_string();
    for name in program_needed {
        if let Some(lib) = libraries.iter().find(|l| file_name(l) == *name) {
            v.reasons.push(reason(
                name.clone(),
                "DT_NEEDED",
                Tier::Scratch,
                format!(
                    "beside the program ({}): copy it along; what it needs is counted here",
                    shown(lib)
                ),
            ));
        }
    }
    v.copy_beside = libraries.iter().map(|l| file_name(l)).collect();
    v.brought = libraries.to_vec();
    let listed: Vec<String> = libraries.iter().map(|l| shown(l)).collect();
    v.notes.push(format!(
        "reads the libraries its RUNPATH/RPATH ($ORIGIN) finds beside it, as the loader would load them: {}; copy them along",
        listed.join(", ")
    ));
    for (need, by, at) in unreachable {
        v.notes.push(format!(
            "{need} is beside the program ({}), but the loader does not look there for {}: a RUNPATH applies to its own object's needs only; give {} a RUNPATH of $ORIGIN, or link the program with an RPATH (-Wl,--disable-new-dtags)",
            shown(at),
            shown(by),
            file_name(by)
        ));
    }
}

fn reason(
    need: impl Into<String>,
    evidence: impl Into<String>,
    tier: Tier,
    detail: impl Into<String>,
) -> Reason {
    Reason {
        need: need.into(),
        evidence: evidence.into(),
        confidence: Confidence::Certain,
        tier,
        detail: detail.into(),
        need_kind: None,
    }
}

fn decide_foreign(f: &ForeignFacts) -> Verdict {
    if let Some(d) = &f.dotnet {
        return decide_dotnet(f, d);
    }
    let target = match f.format.as_str() {
        "WebAssembly" => "run it with a WebAssembly runtime, or build a native linux/amd64 program",
        "PE" if f.description.starts_with(".NET") => {
            "a .NET assembly needs the .NET runtime (mcr.microsoft.com/dotnet/runtime), not a distroless image"
        }
        _ => "build for Linux (for Go: GOOS=linux GOARCH=amd64; for Rust: --target x86_64-unknown-linux-gnu)",
    };
    Verdict::none(
        vec![reason(
            "a Linux program",
            format!("{} file", f.format),
            Tier::None,
            format!("{}: not a Linux program", f.description),
        )],
        vec![target.to_string()],
    )
}

/// A managed .NET assembly: no distroless image runs it; the official runtime image does.
fn decide_dotnet(f: &ForeignFacts, d: &crate::inspect::DotnetInfo) -> Verdict {
    let tf = d.target_framework.clone().unwrap_or_default();
    let version = tf.split("Version=v").nth(1).unwrap_or("").to_string();
    let (detail, fix) = if tf.starts_with(".NETCoreApp") {
        let image = if d.aspnet { "aspnet" } else { "runtime" };
        (
            format!("{} targets {tf}: no distroless image has the .NET runtime", f.description),
            format!("use mcr.microsoft.com/dotnet/{image}:{version} (Microsoft's runtime image), or publish self-contained for linux-x64 and run whichbase on the result"),
        )
    } else if tf.starts_with(".NETStandard") {
        (
            format!(
                "{} targets {tf}: a class library, not an application",
                f.description
            ),
            "run whichbase on the application that references it".into(),
        )
    } else if tf.starts_with(".NETFramework") {
        (
            format!(
                "{} targets {tf}: the Windows-only .NET Framework",
                f.description
            ),
            "retarget it to .NET (net8.0 or newer) to run on Linux".into(),
        )
    } else {
        (
            format!(
                "{}: target framework not found in its metadata",
                f.description
            ),
            "a .NET assembly needs the .NET runtime (mcr.microsoft.com/dotnet/runtime)".into(),
        )
    };
    let v = Verdict::none(
        vec![reason(
            "the .NET runtime",
            "CLI header and metadata",
            Tier::None,
            detail,
        )],
        vec![fix],
    );
    if tf.starts_with(".NETStandard") {
        v.not_a_program()
    } else {
        v
    }
}

/// One verdict for a directory: the largest of its files' verdicts, naming the files that
/// force it. Files that are not programs (library JARs, object files) do not count.
#[derive(Debug, Clone, Serialize)]
pub struct DirectoryVerdict {
    pub tier: Tier,
    pub image: Option<String>,
    pub release: Option<String>,
    pub packages: Vec<String>,
    /// The files whose verdict is the directory's tier.
    pub forced_by: Vec<String>,
    pub notes: Vec<String>,
}

/// Combines the verdicts of a directory's files (`(path, verdict)`, in path order).
pub fn combine(files: &[(String, &Verdict)]) -> DirectoryVerdict {
    let programs: Vec<&(String, &Verdict)> =
        files.iter().filter(|(_, v)| !v.not_a_program).collect();
    let mut notes = Vec::new();
    let Some(tier) = programs.iter().map(|(_, v)| v.tier).max() else {
        return DirectoryVerdict {
            tier: Tier::None,
            image: None,
            release: None,
            packages: Vec::new(),
            forced_by: Vec::new(),
            notes: vec!["no program or runtime artifact found".into()],
        };
    };
    let runtimes: std::collections::BTreeSet<Tier> = programs
        .iter()
        .map(|(_, v)| v.tier)
        .filter(|t| matches!(t, Tier::Java | Tier::Nodejs | Tier::Python3))
        .collect();
    let at_max: Vec<&&(String, &Verdict)> =
        programs.iter().filter(|(_, v)| v.tier == tier).collect();
    let mut forced_by: Vec<String> = at_max.iter().map(|(p, _)| p.clone()).collect();
    let first = at_max.first().map(|(_, v)| *v);
    let mut out = DirectoryVerdict {
        tier,
        image: first.and_then(|v| v.image.clone()),
        release: first.and_then(|v| v.release.clone()),
        packages: Vec::new(),
        forced_by: Vec::new(),
        notes: Vec::new(),
    };
    if runtimes.len() > 1 && tier != Tier::None {
        let names: Vec<&str> = runtimes.iter().map(|t| t.as_str()).collect();
        notes.push(format!(
            "needs {}: no single language image has them all; build on a Debian slim image with each runtime installed",
            names.join(" and ")
        ));
        out.tier = Tier::Distro;
        out.image = None;
        forced_by = programs
            .iter()
            .filter(|(_, v)| runtimes.contains(&v.tier))
            .map(|(p, _)| p.clone())
            .collect();
    } else if runtimes.contains(&Tier::Java) {
        if let Some((p, v)) = programs
            .iter()
            .find(|(_, v)| v.tier > Tier::BaseNossl && v.tier <= Tier::Cc)
        {
            notes.push(format!(
                "the java images are built on base-nossl; {p} needs {} ({}): check it resolves there",
                v.tier,
                v.image.as_deref().unwrap_or_default()
            ));
        }
    }
    if out.tier == Tier::Distro {
        let mut pkgs: Vec<String> = programs
            .iter()
            .flat_map(|(_, v)| v.packages.clone())
            .collect();
        pkgs.sort();
        pkgs.dedup();
        out.packages = pkgs;
    }
    let releases: std::collections::BTreeSet<&str> = at_max
        .iter()
        .filter_map(|(_, v)| v.release.as_deref())
        .collect();
    if releases.len() > 1 {
        notes.push(format!(
            "the files at this tier fit different releases ({}): see each file's notes",
            releases.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    out.forced_by = forced_by;
    out.notes = notes;
    out
}

fn decide_elf(e: &ElfFacts, catalog: &Catalog, options: &Options) -> Verdict {
    let kind_reason = |detail: &str| {
        reason(
            "a program",
            e.evidence.kind.clone(),
            Tier::None,
            format!("{}: {detail}", e.kind.describe()),
        )
    };
    match e.kind {
        ElfKind::Relocatable => {
            return Verdict::none(
                vec![kind_reason("not a program")],
                vec!["link it into a program first".into()],
            )
            .not_a_program()
        }
        ElfKind::Core => {
            return Verdict::none(vec![kind_reason("a memory dump, not a program")], vec![])
                .not_a_program()
        }
        ElfKind::Other => {
            return Verdict::none(vec![kind_reason("not a program")], vec![]).not_a_program()
        }
        _ => {}
    }
    let linkage = e.linkage.unwrap_or(Linkage::Dynamic);
    let platform_name = e.platform.clone();
    if linkage != Linkage::Dynamic {
        // The kernel runs it as it is: nothing from the image is needed to start, only the
        // files its needs read.
        let mut notes = Vec::new();
        if let Some(tag) = &e.abi_tag {
            notes.push(format!("needs a {} kernel {} or newer", tag.os, tag.kernel));
        }
        let Some(platform) = platform_name else {
            return no_platform(e, notes);
        };
        return decide_static(e, linkage, &platform, catalog, options, notes);
    }

    let Some(platform) = platform_name else {
        return no_platform(e, Vec::new());
    };
    if e.interpreter.is_none() && e.kind != ElfKind::SharedLibrary {
        return Verdict::none(
            vec![reason(
                "an interpreter",
                e.evidence.linkage.clone(),
                Tier::None,
                "the program needs shared libraries but names no interpreter to load them",
            )],
            vec!["relink it as a normal dynamic or static program".into()],
        );
    }
    let Some(arch) = catalog.arch_for_platform(&platform) else {
        return Verdict::none(
            vec![reason(
                format!("images for {platform}"),
                format!("machine {}", e.machine),
                Tier::None,
                format!("distroless publishes no image for {platform}"),
            )],
            vec![format!(
                "link it statically to run FROM scratch on {platform}, or use a distribution image that supports {platform}"
            )],
        );
    };

    let Some(program) = ProgramNeeds::from_facts(e) else {
        return Verdict::none(
            vec![reason(
                "readable names",
                "dynamic section",
                Tier::None,
                "a library name or version contains control characters or invalid UTF-8",
            )],
            vec![],
        );
    };

    let mut outcomes = Vec::new();
    for r in releases_to_try(catalog, options) {
        outcomes.push((
            r.to_string(),
            decide_release(e, &program, catalog, r, arch, &platform, options),
        ));
    }
    let mut chosen = outcomes.iter().position(|(_, v)| v.tier != Tier::None);
    // Versions needed from a package the slim image lacks are checked nowhere. The release
    // the program was built on (its Debian GCC) is where its linker found them: prefer it.
    // dbus-monitor of Debian 12 needs LIBDBUS_PRIVATE_1.14.10, which Debian 13's
    // libdbus-1-3 does not define.
    let mut built_on_note = None;
    if let Some(i) = chosen.filter(|&i| !outcomes[i].1.unchecked_versions.is_empty()) {
        let built = build_release(e, catalog, arch);
        let other = built.and_then(|b| {
            outcomes
                .iter()
                .position(|(n, v)| n == b && v.tier != Tier::None && n != &outcomes[i].0)
        });
        if let (Some(j), Some(gcc)) = (other, debian_gcc(e)) {
            built_on_note = Some(format!(
                "{} rather than {}: built with Debian GCC {gcc}, the toolchain of {}, where it was linked against the versions it needs of {}, which the catalog cannot check",
                outcomes[j].0,
                outcomes[i].0,
                outcomes[j].0,
                outcomes[i].1.unchecked_versions.join(", "),
            ));
            chosen = Some(j);
        }
    }
    // The verdict is taken out of the list (not copied); the others stay, in order, for the
    // comparison notes.
    let mut verdict = match chosen {
        Some(i) => outcomes.remove(i).1,
        None => {
            // Nothing fits anywhere: report the default (or pinned) release's causes.
            let mut v = if outcomes.is_empty() {
                Verdict::none(vec![], vec![])
            } else {
                outcomes.remove(0).1
            };
            v.release = None;
            v
        }
    };
    // Say how the other releases compare, so "fits debian13 only" is explicit.
    for (name, v) in &outcomes {
        if v.tier == Tier::None {
            if let Some(chosen_name) = verdict.release.clone() {
                verdict.notes.push(fits_only(&chosen_name, name, v));
            }
        } else if chosen.is_some() && v.tier < verdict.tier {
            verdict.notes.push(format!(
                "on {name} it would fit the smaller {} ({})",
                v.tier,
                v.image.clone().unwrap_or_default()
            ));
        }
    }
    if let Some(note) = built_on_note {
        verdict.notes.push(note);
    }
    if e.kind == ElfKind::SharedLibrary {
        verdict.notes.insert(
            0,
            "a shared library is not a program: the tier is where its own libraries resolve, for the program that loads it".into(),
        );
    }
    verdict
}

/// "fits debian13 only; on debian12: <why nothing fits there>".
fn fits_only(chosen: &str, other: &str, other_verdict: &Verdict) -> String {
    let cause = other_verdict
        .reasons
        .iter()
        .filter(|r| r.tier == Tier::None)
        .map(|r| r.detail.clone())
        .collect::<Vec<_>>()
        .join("; ");
    format!("fits {chosen} only; on {other}: {cause}")
}

/// `none` for a file whose machine (or OS ABI) maps to no Linux container platform.
fn no_platform(e: &ElfFacts, notes: Vec<String>) -> Verdict {
    Verdict::none(
        vec![reason(
            "a Linux platform",
            format!("machine {}", e.machine),
            Tier::None,
            format!(
                "{} ({:?}) is not a Linux container platform",
                e.machine, e.class
            ),
        )],
        notes,
    )
}

/// The program's needs as plain strings (names with control characters are refused before).
struct ProgramNeeds {
    interpreter: Option<String>,
    needed: Vec<String>,
    rpath: Vec<String>,
    runpath: Vec<String>,
    version_needs: BTreeMap<String, Vec<String>>,
}

impl ProgramNeeds {
    fn from_facts(e: &ElfFacts) -> Option<ProgramNeeds> {
        let s = |t: &crate::text::RawText| t.as_clean_str().map(str::to_string);
        let all = |v: &[crate::text::RawText]| v.iter().map(s).collect::<Option<Vec<_>>>();
        let mut version_needs = BTreeMap::new();
        for vn in &e.version_needs {
            version_needs
                .entry(s(&vn.library)?)
                .or_insert_with(Vec::new)
                .extend(all(&vn.versions)?);
        }
        Some(ProgramNeeds {
            interpreter: match &e.interpreter {
                Some(i) => Some(s(i)?),
                None => None,
            },
            needed: all(&e.needed)?,
            rpath: all(&e.rpath)?,
            runpath: all(&e.runpath)?,
            version_needs,
        })
    }

    fn request(&self) -> Request<'_> {
        Request {
            interpreter: self.interpreter.as_deref(),
            needed: &self.needed,
            rpath: &self.rpath,
            runpath: &self.runpath,
            version_needs: &self.version_needs,
        }
    }
}

/// The native-program candidates of a platform, smallest first.
fn native_images(p: &PlatformCatalog) -> Vec<&ImageEntry> {
    let mut imgs: Vec<&ImageEntry> = p.native_images().collect();
    imgs.sort_by_key(|i| i.tier);
    imgs
}

/// The program resolved in each native image, smallest first, each image only when first
/// asked: a program whose needs all fit base-nossl is never resolved in base and cc. The
/// answers are the same as resolving every image up front; only unasked ones are skipped.
struct Resolutions<'r, 'a> {
    platform: &'a PlatformCatalog,
    request: &'r Request<'a>,
    images: &'r [&'a ImageEntry],
    cells: Vec<std::cell::OnceCell<Resolution<'a>>>,
}

impl<'r, 'a> Resolutions<'r, 'a> {
    fn new(
        platform: &'a PlatformCatalog,
        request: &'r Request<'a>,
        images: &'r [&'a ImageEntry],
    ) -> Self {
        Resolutions {
            platform,
            request,
            images,
            cells: images.iter().map(|_| std::cell::OnceCell::new()).collect(),
        }
    }

    fn at(&self, i: usize) -> Option<(&'a ImageEntry, &Resolution<'a>)> {
        let image = *self.images.get(i)?;
        let r = self
            .cells
            .get(i)?
            .get_or_init(|| resolve(self.platform, image, self.request));
        Some((image, r))
    }

    /// Smallest first, resolving as the iteration goes.
    fn iter(&self) -> impl Iterator<Item = (&'a ImageEntry, &Resolution<'a>)> {
        (0..self.images.len()).filter_map(move |i| self.at(i))
    }

    /// The largest image's.
    fn last(&self) -> Option<(&'a ImageEntry, &Resolution<'a>)> {
        self.at(self.images.len().checked_sub(1)?)
    }
}

/// Whether `name` (as requested by `requester`) resolved, with everything it pulls in.
fn resolves_fully(res: &Resolution, name: &str, allow_beside: bool, depth: usize) -> bool {
    if depth > 32 {
        return false;
    }
    let Some(l) = res.lookups.iter().find(|l| l.name == name) else {
        return false;
    };
    match &l.outcome {
        Outcome::NotFound => false,
        Outcome::BesideProgram { .. } => allow_beside,
        Outcome::Found { path, .. } => {
            let req = Some(*path);
            !res.missing_versions.iter().any(|m| m.requester == req)
                && res
                    .lookups
                    .iter()
                    .filter(|c| c.requester == req)
                    .all(|c| resolves_fully(res, c.name, allow_beside, depth + 1))
        }
    }
}

fn decide_release(
    e: &ElfFacts,
    program: &ProgramNeeds,
    catalog: &Catalog,
    release: &str,
    arch: &str,
    platform_name: &str,
    options: &Options,
) -> Verdict {
    let Some(rinfo) = catalog.release(release) else {
        return Verdict::none(
            vec![reason(
                format!("release {release}"),
                "--release",
                Tier::None,
                format!("the catalog has no release {release}"),
            )],
            vec![],
        );
    };
    let platform = match catalog.platform(release, arch) {
        Some(Ok(p)) => p,
        Some(Err(err)) => {
            return Verdict::none(
                vec![reason(
                    "the image catalog",
                    "catalog",
                    Tier::None,
                    err.to_string(),
                )],
                vec![],
            )
        }
        None => {
            return Verdict::none(
                vec![reason(
                    format!("images for {platform_name}"),
                    format!("machine {}", e.machine),
                    Tier::None,
                    format!("distroless {release} is not published for {platform_name}"),
                )],
                vec![],
            )
        }
    };
    let images = native_images(platform);
    let request = program.request();
    let resolutions = Resolutions::new(platform, &request, &images);
    let smallest = |ok: &dyn Fn(&Resolution) -> bool| -> Option<&ImageEntry> {
        resolutions.iter().find(|(_, r)| ok(r)).map(|(i, _)| i)
    };
    let mut reasons = Vec::new();
    let mut notes = Vec::new();
    let mut packages = Vec::new();

    // The interpreter.
    if let Some(interp) = &program.interpreter {
        match smallest(&|r| r.interpreter_found == Some(true)) {
            Some(img) => reasons.push(reason(
                format!("interpreter {interp}"),
                "PT_INTERP",
                img.tier,
                img.reference.clone(),
            )),
            None => {
                let (detail, fix) = missing_interpreter(interp, e.libc, &rinfo.name);
                reasons.push(reason(
                    format!("interpreter {interp}"),
                    "PT_INTERP",
                    Tier::None,
                    detail,
                ));
                notes.push(fix);
            }
        }
    }

    // Each needed library, with its own dependencies and their versions. The distro index is
    // large and only needed for a library in no distroless image, so it is loaded on demand.
    let distro_cell = std::cell::OnceCell::new();
    let distro = || -> Option<&DistroCatalog> {
        *distro_cell.get_or_init(|| catalog.distro(release).and_then(Result::ok))
    };
    let mut copy_beside = Vec::new();
    for name in &program.needed {
        // A library any image has is taken from the image; only one that no image has is
        // expected beside the program through $ORIGIN.
        let found = smallest(&|r| resolves_fully(r, name, false, 0))
            .or_else(|| smallest(&|r| resolves_fully(r, name, true, 0)));
        if let Some(img) = found {
            let beside = resolutions
                .iter()
                .find(|(i, _)| i.tier == img.tier)
                .and_then(|(_, r)| {
                    r.lookups
                        .iter()
                        .find(|l| l.name == name)
                        .and_then(|l| match &l.outcome {
                            Outcome::BesideProgram { via } => Some(via.to_string()),
                            _ => None,
                        })
                });
            match beside {
                Some(via) => {
                    copy_beside.push(name.clone());
                    // Not read from disk here (the program's directory may not have it yet):
                    // where the loader would look, and the Debian package that has it, if any.
                    let debian = distro()
                        .and_then(|d| distro_package(d, name.rsplit('/').next().unwrap_or(name)))
                        .map(|(pkg, _)| format!("; Debian's {pkg} has it"))
                        .unwrap_or_default();
                    reasons.push(reason(
                        name.clone(),
                        "DT_NEEDED",
                        Tier::Scratch,
                        format!("in no image; the loader looks in {via}: copy it there{debian}"),
                    ));
                }
                None => reasons.push(reason(
                    name.clone(),
                    "DT_NEEDED",
                    img.tier,
                    img.reference.clone(),
                )),
            }
            continue;
        }
        // Not in any distroless image: which Debian package ships it, where the loader looks?
        match distro().and_then(|d| distro_package_for(d, program, name)) {
            Some((pkg, in_slim)) => {
                if !in_slim && !packages.contains(&pkg) {
                    packages.push(pkg.clone());
                }
                let detail = if in_slim {
                    format!("in {} (package {pkg})", rinfo.slim_reference)
                } else {
                    format!("package {pkg} on {}", rinfo.slim_reference)
                };
                reasons.push(reason(name.clone(), "DT_NEEDED", Tier::Distro, detail));
            }
            None => reasons.push(reason(
                name.clone(),
                "DT_NEEDED",
                Tier::None,
                format!(
                    "in no distroless image and no Debian {} package",
                    rinfo.version_id
                ),
            )),
        }
    }

    // Symbol versions, one reason per library: every version must be defined (sets, not a
    // single maximum: GLIBC_ABI_DT_RELR or GLIBCXX_3.4.30 are checked by name).
    let mut unchecked_versions = Vec::new();
    for (lib, versions) in &program.version_needs {
        if copy_beside.contains(lib) {
            continue;
        }
        let evidence = format!("needs {}", versions.join(", "));
        let need = format!("{lib} versions");
        let ok = |r: &Resolution| {
            resolves_fully(r, lib, false, 0)
                && !r
                    .missing_versions
                    .iter()
                    .any(|m| m.requester.is_none() && m.library == lib)
        };
        if let Some(img) = smallest(&ok) {
            reasons.push(reason(need, evidence, img.tier, img.reference.clone()));
            continue;
        }
        // The library is not in distroless at all: its versions are the distro package's.
        let largest = resolutions.last();
        let lib_found = largest.is_some_and(|(_, r)| resolves_fully(r, lib, false, 0));
        if !lib_found {
            let Some((d, (pkg, in_slim))) =
                distro().and_then(|d| Some((d, distro_package_for(d, program, lib)?)))
            else {
                continue;
            };
            // The slim image's own libraries are in the catalog with their definitions; a
            // package apt would add is not (its versions are left unchecked, and said so).
            let file = lib.rsplit('/').next().unwrap_or(lib);
            let defines = d
                .slim_defines(file)
                .filter(|_| in_slim && distro_package(d, file).is_some_and(|(p, _)| p == pkg));
            let Some(defines) = defines else {
                notes.push(format!(
                    "{lib}: versions {} not checked (its package is not in the catalog)",
                    versions.join(", ")
                ));
                unchecked_versions.push(lib.clone());
                continue;
            };
            // A library that defines no versions satisfies any need (glibc checks none).
            let missing: Vec<String> = versions
                .iter()
                .filter(|v| !defines.is_empty() && !defines.contains(&v.as_str()))
                .cloned()
                .collect();
            if missing.is_empty() {
                let detail = format!(
                    "defined by {}'s {lib} (package {pkg})",
                    rinfo.slim_reference
                );
                reasons.push(reason(need, evidence, Tier::Distro, detail));
            } else {
                let detail = format!(
                    "{} not defined by {}'s {lib} (package {pkg})",
                    missing.join(", "),
                    rinfo.slim_reference
                );
                reasons.push(reason(need, evidence, Tier::None, detail));
                notes.push(version_fix(lib, &missing, rinfo));
            }
            continue;
        }
        let missing: Vec<String> = largest
            .map(|(_, r)| {
                r.missing_versions
                    .iter()
                    .filter(|m| m.requester.is_none() && m.library == lib)
                    .map(|m| m.version.to_string())
                    .collect()
            })
            .unwrap_or_default();
        let detail = format!(
            "{} not defined by {release}'s {lib}{}",
            missing.join(", "),
            glibc_note(lib, rinfo)
        );
        reasons.push(reason(need, evidence, Tier::None, detail));
        notes.push(version_fix(lib, &missing, rinfo));
    }

    // Filesystem needs, placed in this release's images.
    let gcc = debian_gcc(e);
    let placed = needs::place(
        &e.needs,
        &needs::Place {
            platform: Some(platform),
            images: &images,
            release: Some(rinfo),
            distro: &distro,
            debian_gcc: gcc.as_deref(),
        },
        &options.ignore,
        options.strict,
    );
    reasons.extend(need_reasons(&placed.decisions));
    notes.extend(e.scan_notes.iter().cloned());
    notes.extend(need_notes(&placed.decisions));

    let mut tier = reasons
        .iter()
        .map(|r| r.tier)
        .max()
        .unwrap_or(Tier::Scratch);
    // A dynamic program needs at least its loader and libc.
    if tier < Tier::BaseNossl && program.interpreter.is_some() {
        tier = Tier::BaseNossl;
    }
    // Confirm the whole program resolves in the chosen image (and take the next one up if a
    // combination of needs only fits there).
    let mut image_ref = None;
    let mut tree = Vec::new();
    if tier == Tier::Scratch {
        // Only possible for a library that needs nothing (a program has an interpreter).
        image_ref = Some("scratch".to_string());
    } else if tier <= Tier::Cc {
        match resolutions
            .iter()
            .find(|(img, r)| img.tier >= tier && r.fits())
        {
            Some((img, r)) => {
                tier = img.tier;
                image_ref = Some(img.reference.clone());
                if options.library_tree {
                    tree = tree_lines(r);
                }
            }
            None => tier = Tier::None,
        }
    } else if tier == Tier::Distro {
        image_ref = Some(rinfo.slim_reference.clone());
        if let Some((_, r)) = resolutions.last().filter(|_| options.library_tree) {
            tree = tree_lines(r);
        }
    }
    let to_go_smaller = if tier > Tier::Scratch && tier < Tier::None {
        to_go_smaller(&reasons, tier)
    } else {
        Vec::new()
    };
    if !copy_beside.is_empty() {
        notes.push(format!(
            "copy {} beside the program, where its RUNPATH/RPATH ($ORIGIN) looks; their own dependencies and symbol versions are not checked here: run whichbase on them too",
            copy_beside.join(", ")
        ));
    }
    // In a distro image, libraries that distroless has may still be missing from the slim
    // image: their packages must be installed too (apt brings their dependencies).
    if tier == Tier::Distro {
        for p in placed.packages.keys() {
            if !packages.contains(p) {
                packages.push(p.clone());
            }
        }
        if let (Some(d), Some((_, r))) = (distro(), resolutions.last()) {
            for l in r.lookups.iter().filter(|l| l.requester.is_none()) {
                if let Outcome::Found { package, .. } = &l.outcome {
                    if !d.in_slim(package) && !packages.iter().any(|p| p == package) {
                        packages.push(package.to_string());
                    }
                }
            }
        }
    }
    Verdict {
        tier,
        image: if tier == Tier::None { None } else { image_ref },
        release: (tier != Tier::None).then(|| release.to_string()),
        packages: if tier == Tier::Distro {
            packages
        } else {
            Vec::new()
        },
        reasons,
        to_go_smaller,
        copy_beside,
        notes,
        tree,
        needs: placed.decisions,
        not_a_program: false,
        brought: Vec::new(),
        judged_with: None,
        unchecked_versions,
    }
}

/// The releases to try: the pinned one, or the default first, then the others newest first.
fn releases_to_try<'a>(catalog: &'a Catalog, options: &'a Options) -> Vec<&'a str> {
    let mut releases: Vec<&str> = match &options.release {
        Some(r) => vec![r.as_str()],
        None => {
            let mut rs: Vec<&str> = catalog
                .index
                .releases
                .iter()
                .map(|r| r.name.as_str())
                .collect();
            rs.sort_by(|a, b| b.cmp(a));
            rs.sort_by_key(|r| *r != catalog.index.default_release);
            rs
        }
    };
    releases.dedup();
    releases
}

/// A static or static-pie program: `scratch`, unless its filesystem needs ask for more. The
/// needs are placed release by release (the pinned one, or the default first); any release
/// serves a program that brings its own C library, unless a need ties it to its build glibc.
fn decide_static(
    e: &ElfFacts,
    linkage: Linkage,
    platform_name: &str,
    catalog: &Catalog,
    options: &Options,
    notes: Vec<String>,
) -> Verdict {
    if e.needs.is_empty() {
        // Nothing to place: no catalog needed.
        let mut v = decide_static_release(e, linkage, platform_name, catalog, options, None);
        let mut all = notes;
        all.append(&mut v.notes);
        v.notes = all;
        return v;
    }
    let releases = releases_to_try(catalog, options);
    let outcomes: Vec<(String, Verdict)> = releases
        .iter()
        .map(|r| {
            let v = decide_static_release(e, linkage, platform_name, catalog, options, Some(r));
            (r.to_string(), v)
        })
        .collect();
    let chosen = outcomes.iter().position(|(_, v)| v.tier != Tier::None);
    let mut verdict = match chosen {
        Some(i) => outcomes[i].1.clone(),
        None => match outcomes.first() {
            Some((_, v)) => v.clone(),
            None => decide_static_release(e, linkage, platform_name, catalog, options, None),
        },
    };
    for (i, (name, v)) in outcomes.iter().enumerate() {
        if Some(i) == chosen || v.tier != Tier::None {
            continue;
        }
        if let Some(chosen_name) = verdict.release.clone() {
            verdict.notes.push(fits_only(&chosen_name, name, v));
        }
    }
    let mut all = notes;
    all.append(&mut verdict.notes);
    verdict.notes = all;
    verdict
}

/// [`decide_static`] for one release (`None`: the platform is in no release).
fn decide_static_release(
    e: &ElfFacts,
    linkage: Linkage,
    platform_name: &str,
    catalog: &Catalog,
    options: &Options,
    release: Option<&str>,
) -> Verdict {
    let start = reason(
        format!("{} start", linkage.as_str()),
        e.evidence.linkage.clone(),
        Tier::Scratch,
        "needs no interpreter and no shared library",
    );
    let arch = catalog.arch_for_platform(platform_name);
    let platform = release
        .zip(arch)
        .and_then(|(r, a)| catalog.platform(r, a)?.ok());
    let rinfo = release.and_then(|r| catalog.release(r));
    let distro_cell = std::cell::OnceCell::new();
    let distro = || -> Option<&DistroCatalog> {
        *distro_cell.get_or_init(|| release.and_then(|r| catalog.distro(r)).and_then(Result::ok))
    };
    let images = platform.map(native_images).unwrap_or_default();
    let gcc = debian_gcc(e);
    let placed = needs::place(
        &e.needs,
        &needs::Place {
            platform,
            images: &images,
            release: rinfo,
            distro: &distro,
            debian_gcc: gcc.as_deref(),
        },
        &options.ignore,
        options.strict,
    );
    let mut reasons = vec![start];
    reasons.extend(need_reasons(&placed.decisions));
    let tier = reasons
        .iter()
        .map(|r| r.tier)
        .max()
        .unwrap_or(Tier::Scratch);
    let (image, release_out, packages) = match tier {
        Tier::Scratch => (Some("scratch".to_string()), None, Vec::new()),
        Tier::None => (None, None, Vec::new()),
        Tier::Distro => (
            rinfo.map(|r| r.slim_reference.clone()),
            release.map(str::to_string),
            placed.packages.keys().cloned().collect(),
        ),
        t => match images.iter().find(|i| i.tier >= t) {
            Some(img) => (
                Some(img.reference.clone()),
                release.map(str::to_string),
                Vec::new(),
            ),
            None => (None, None, Vec::new()),
        },
    };
    let tier = if image.is_none() { Tier::None } else { tier };
    let mut notes: Vec<String> = e.scan_notes.clone();
    notes.extend(need_notes(&placed.decisions));
    let mut to_go_smaller = if tier > Tier::Scratch && tier < Tier::None {
        to_go_smaller(&reasons, tier)
    } else {
        Vec::new()
    };
    to_go_smaller.extend(scratch_alternatives(e, &placed.decisions, tier));
    if placed
        .decisions
        .iter()
        .any(|d| d.kind == NeedKind::NssModules && d.status == NeedStatus::Counted)
    {
        to_go_smaller.push(format!(
            "to run on static or scratch instead: {}",
            needs::stay_on_scratch(NeedKind::NssModules, e.toolchain.as_ref())
        ));
    }
    Verdict {
        tier,
        image,
        release: release_out,
        packages,
        reasons,
        to_go_smaller,
        copy_beside: Vec::new(),
        notes,
        tree: Vec::new(),
        needs: placed.decisions,
        not_a_program: false,
        brought: Vec::new(),
        judged_with: None,
        unchecked_versions: Vec::new(),
    }
}

/// The release whose toolchain built the program: its `.comment` names a Debian GCC of the
/// same major version as that release's `libgcc-s1` (Debian 12 ships GCC 12, Debian 13 GCC 14).
fn build_release<'a>(e: &ElfFacts, catalog: &'a Catalog, arch: &str) -> Option<&'a str> {
    let gcc = debian_gcc(e)?;
    let major = |v: &str| v.split(['.', '-']).next().map(str::to_string);
    let wanted = major(&gcc)?;
    catalog
        .index
        .releases
        .iter()
        .map(|r| r.name.as_str())
        .find(|r| {
            catalog
                .platform(r, arch)
                .and_then(Result::ok)
                .and_then(|p| p.package("libgcc-s1"))
                .is_some_and(|c| major(&c.version).as_deref() == Some(wanted.as_str()))
        })
}

/// The Debian GCC package version in `.comment` (`GCC: (Debian 12.2.0-14+deb12u1) 12.2.0`).
fn debian_gcc(e: &ElfFacts) -> Option<String> {
    let c = e.toolchain.as_ref()?.compiler.as_ref()?.as_clean_str()?;
    let rest = c.strip_prefix("GCC: (Debian ")?;
    Some(rest.split(')').next()?.to_string())
}

/// Reasons for the counted needs (the others are reported in `needs` and the notes).
fn need_reasons(decisions: &[NeedDecision]) -> Vec<Reason> {
    decisions
        .iter()
        .filter(|d| d.status == NeedStatus::Counted)
        .map(|d| Reason {
            need: d.kind.describe().to_string(),
            evidence: d.evidence.clone(),
            confidence: d.confidence,
            tier: d.tier,
            detail: d.satisfied_by.clone(),
            need_kind: Some(d.kind),
        })
        .collect()
}

/// Notes for needs that did not count: ignored by the user, or only possible.
fn need_notes(decisions: &[NeedDecision]) -> Vec<String> {
    decisions
        .iter()
        .filter_map(|d| match d.status {
            NeedStatus::Counted => None,
            NeedStatus::Ignored => Some(format!(
                "ignored (--ignore {}): {} ({}); the image must get {} some other way",
                d.kind.as_str(),
                d.kind.describe(),
                d.evidence,
                if d.files.is_empty() {
                    "it".to_string()
                } else {
                    d.files.join(", ")
                }
            )),
            NeedStatus::NotCounted => Some(format!(
                "possible need not counted (--strict counts it): {} ({}) -> {}",
                d.kind.describe(),
                d.evidence,
                d.tier
            )),
        })
        .collect()
}

/// When a verdict is `static` only because of filesystem needs: how to stay on `scratch`.
fn scratch_alternatives(e: &ElfFacts, decisions: &[NeedDecision], tier: Tier) -> Vec<String> {
    if tier != Tier::Static {
        return Vec::new();
    }
    decisions
        .iter()
        .filter(|d| d.status == NeedStatus::Counted && d.tier == Tier::Static)
        .map(|d| {
            format!(
                "to stay on scratch with {}: {}",
                d.kind.describe(),
                needs::stay_on_scratch(d.kind, e.toolchain.as_ref())
            )
        })
        .collect()
}

fn tree_lines(r: &Resolution) -> Vec<TreeLine> {
    r.lookups
        .iter()
        .map(|l| {
            let (found, package) = match &l.outcome {
                Outcome::Found { path, package } => {
                    (Some(path.to_string()), Some(package.to_string()))
                }
                Outcome::BesideProgram { via } => {
                    (Some(format!("{via} (copy beside the program)")), None)
                }
                Outcome::NotFound => (None, None),
            };
            TreeLine {
                requester: l.requester.map(str::to_string),
                library: l.name.to_string(),
                found,
                package,
            }
        })
        .collect()
}

/// The Debian package that ships the library `name` where the program's loader finds it: in
/// one of its absolute RUNPATH (or, without one, RPATH) directories, which the archive index
/// knows by path one level below the default directories (systemd's programs find
/// libsystemd-shared-252.so in /usr/lib/x86_64-linux-gnu/systemd), else by file name in the
/// default directories. A name with a slash is opened by that path.
fn distro_package_for(
    d: &DistroCatalog,
    program: &ProgramNeeds,
    name: &str,
) -> Option<(String, bool)> {
    let search = if program.runpath.is_empty() {
        &program.rpath
    } else {
        &program.runpath
    };
    let paths: Vec<String> = if name.contains('/') {
        vec![name.to_string()]
    } else {
        search
            .iter()
            .filter(|dir| !dir.contains("$ORIGIN") && !dir.contains("${ORIGIN}"))
            .map(|dir| format!("{}/{name}", dir.trim_end_matches('/')))
            .collect()
    };
    paths
        .iter()
        .filter(|p| p.starts_with('/'))
        .find_map(|p| distro_package(d, &usr_merged(p)))
        .or_else(|| distro_package(d, name.rsplit('/').next().unwrap_or(name)))
}

/// `path` as on a merged-/usr system (`/lib/x` -> `/usr/lib/x`), the form the archive
/// index's paths are kept in.
fn usr_merged(path: &str) -> std::borrow::Cow<'_, str> {
    let top = path.trim_start_matches('/').split('/').next().unwrap_or("");
    if path.starts_with('/')
        && matches!(
            top,
            "bin" | "sbin" | "lib" | "lib32" | "lib64" | "libx32" | "libo32"
        )
    {
        format!("/usr{path}").into()
    } else {
        path.into()
    }
}

/// The package that ships `name`, and whether the slim image already has it.
fn distro_package(d: &DistroCatalog, name: &str) -> Option<(String, bool)> {
    let pkgs = d.packages_for(name);
    if let Some(p) = pkgs.iter().find(|p| d.in_slim(p)) {
        return Some((p.clone(), true));
    }
    // Several packages can ship the same file name (e.g. variants); prefer the plainest name.
    let p = pkgs.iter().min_by_key(|p| (p.len(), p.as_str()))?;
    Some((p.clone(), false))
}

fn glibc_note(lib: &str, r: &crate::catalog::ReleaseInfo) -> String {
    if lib == "libc.so.6" || lib.starts_with("libm.so") || lib.starts_with("libpthread") {
        format!(" (glibc {})", r.glibc)
    } else {
        String::new()
    }
}

fn version_fix(lib: &str, missing: &[String], r: &crate::catalog::ReleaseInfo) -> String {
    if missing.iter().any(|v| v.starts_with("GLIBC_")) {
        format!(
            "{} was built against a newer glibc than {}'s {}: build it on {} (or older), target an older glibc (zig cc -target <arch>-linux-gnu.{}), or link it statically",
            missing.join(", "),
            r.name,
            r.glibc,
            r.slim_reference,
            r.glibc
        )
    } else {
        format!(
            "{lib} on {} lacks {}: build with the compiler and libraries of {}, or link {lib} statically",
            r.name,
            missing.join(", "),
            r.slim_reference
        )
    }
}

fn missing_interpreter(interp: &str, libc: LibcFamily, release: &str) -> (String, String) {
    if interp.starts_with("/nix/store/") {
        return (
            format!("{interp} is a Nix store path, present in no image"),
            "set a standard interpreter (patchelf --set-interpreter /lib64/ld-linux-x86-64.so.2) or rebuild outside Nix".into(),
        );
    }
    if libc == LibcFamily::Musl {
        return (
            format!("no {release} image has the musl loader {interp}"),
            "dynamically linked musl programs need an Alpine-style base: link statically instead (musl-gcc -static, or Rust's x86_64-unknown-linux-musl) to run FROM scratch".into(),
        );
    }
    (
        format!("no {release} image has {interp}"),
        "rebuild with the platform's standard interpreter, or link statically".into(),
    )
}

/// For each reason at the verdict's tier: what changes would let the program fit lower.
fn to_go_smaller(reasons: &[Reason], tier: Tier) -> Vec<String> {
    let others = reasons
        .iter()
        .filter(|r| r.tier < tier)
        .map(|r| r.tier)
        .max()
        .unwrap_or(Tier::Scratch);
    let blockers: Vec<&Reason> = reasons.iter().filter(|r| r.tier == tier).collect();
    let mut out = Vec::new();
    // `static` only for files: the "to stay on scratch" lines say how, need by need.
    if tier == Tier::Static && blockers.iter().all(|r| r.need_kind.is_some()) {
        return out;
    }
    let names = needs_at(reasons, tier);
    if !names.is_empty() {
        let hint = blockers
            .iter()
            .map(|r| hint(r))
            .find(|h| !h.is_empty())
            .unwrap_or_default();
        out.push(format!(
            "to fit {others}: stop needing {}{}",
            names.join(", "),
            if hint.is_empty() {
                String::new()
            } else {
                format!(" ({hint})")
            }
        ));
    }
    out
}

/// The needs at `tier`, without "X versions" when X itself is listed (it adds nothing).
fn needs_at(reasons: &[Reason], tier: Tier) -> Vec<&str> {
    let at: Vec<&str> = reasons
        .iter()
        .filter(|r| r.tier == tier)
        .map(|r| r.need.as_str())
        .collect();
    at.iter()
        .copied()
        .filter(|n| {
            n.strip_suffix(" versions")
                .is_none_or(|lib| !at.contains(&lib))
        })
        .collect()
}

/// Well-known ways to drop a need; keyed by the need's kind or the library's name.
fn hint(r: &Reason) -> &'static str {
    let need = r.need.as_str();
    if let Some(kind) = r.need_kind {
        return match kind {
            NeedKind::Shell => "run programs directly (execve with an argument list) instead of system(), popen() or sh -c",
            NeedKind::Programs => "copy the programs it runs into the image, or do the work in the program",
            NeedKind::RuntimeLibraries => "link the library instead of loading it at run time, or copy it into the image",
            NeedKind::LocaleData => "avoid iconv (or link a converter into the program)",
            NeedKind::NssModules => "look users up without loading NSS modules (see below)",
            _ => "provide the files some other way (COPY them in, or --ignore the need if you mount them)",
        };
    }
    if need.starts_with("libstdc++") {
        "link it statically: g++ -static-libstdc++"
    } else if need.starts_with("libgcc_s") {
        "link libgcc statically: -static-libgcc; Rust: -C target-feature=+crt-static"
    } else if need.starts_with("libssl") || need.starts_with("libcrypto") {
        "use a TLS library built into the program (rustls, Go crypto/tls) or link OpenSSL statically"
    } else if need.starts_with("interpreter") || need.starts_with("libc.so") {
        "link statically: gcc -static / -static-pie, CGO_ENABLED=0, or musl"
    } else {
        "link it statically or drop it"
    }
}
