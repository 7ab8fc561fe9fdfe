//! Images and roots: find the programs of an image, decide each one's verdict with the
//! libraries the application brings folded in, and check programs against a given root.
//! The glue between `rootfs` (reading) and `verdict` (deciding), as `run` is for files.

use crate::catalog::{Catalog, ImageEntry, PlatformCatalog, SharedObject};
use crate::inspect::{ElfFacts, Facts};
use crate::rootfs::image::{ImageConfig, LoadedImage};
use crate::rootfs::packages::{self, Base};
use crate::rootfs::{view, Node, RootFs};
use crate::verdict::against::{self, Check, Target};
use crate::verdict::{self, DirectoryVerdict, Options, Verdict};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// How the runtime starts the image, resolved inside it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Entrypoint {
    /// Entrypoint followed by Cmd.
    pub argv: Vec<String>,
    /// The file that runs (the application, when argv[0] is an interpreter or a shell).
    pub program: Option<String>,
    /// How it was found: PATH lookup, symlinks, interpreter, shell form.
    pub steps: Vec<String>,
    /// Why it cannot start, when it cannot.
    pub problem: Option<String>,
}

/// One program of an image and its verdict.
#[derive(Debug, Serialize)]
pub struct ProgramReport {
    pub path: String,
    /// `entrypoint` or `application`.
    pub role: &'static str,
    #[serde(skip)]
    pub facts: Option<Facts>,
    pub verdict: Option<Verdict>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Libraries of the application (no package owns them) that it loads: copy them along.
    pub brings: Vec<String>,
    /// With `--against`: whether it runs there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check: Option<Check>,
}

/// An application file: no package of the base owns it.
#[derive(Debug, Clone, Serialize)]
pub struct AppFile {
    pub path: String,
    pub size: u64,
}

#[derive(Debug, Serialize)]
pub struct ImageReport {
    pub source: String,
    pub name: Option<String>,
    pub platform: String,
    pub layers: usize,
    pub config: ImageConfig,
    pub base: Base,
    pub entrypoint: Entrypoint,
    pub programs: Vec<ProgramReport>,
    /// The smallest image for all programs together.
    pub verdict: DirectoryVerdict,
    /// Files no package owns: what a smaller image must be given (`COPY --from`).
    pub application_files: Vec<AppFile>,
    /// Whether package ownership was known (else application files are those outside the
    /// system directories).
    pub ownership_known: bool,
    /// Bytes of regular files in the image now.
    pub size_now: u64,
    /// The recommended base's installed size plus the application files, when the catalog
    /// knows the base's packages.
    pub size_recommended: Option<u64>,
    /// With `--against`: what the programs were checked against, and whether all run.
    pub against: Option<String>,
    pub runs_against: Option<bool>,
    pub notes: Vec<String>,
}

/// Programs checked per image at most (an image with thousands of its own programs gets a
/// note instead).
const MAX_PROGRAMS: usize = 256;
/// Entries read from a directory root when listing application files.
const MAX_ENTRIES: usize = 2_000_000;

/// Interpreters whose first non-option argument (or `-jar FILE`) is the application.
const INTERPRETERS: &[&str] = &[
    "python", "python3", "node", "nodejs", "java", "ruby", "perl", "php", "bun", "deno",
];

/// Resolves the entrypoint the way the runtime does: argv[0] through PATH (when it has no
/// slash) or against WorkingDir, symlinks inside the image; a shell form or an interpreter
/// hands over to the script or archive it names.
pub fn entrypoint(root: &RootFs, config: &ImageConfig) -> Entrypoint {
    let argv: Vec<String> = config
        .entrypoint
        .iter()
        .chain(&config.cmd)
        .cloned()
        .collect();
    let mut e = Entrypoint {
        argv: argv.clone(),
        ..Entrypoint::default()
    };
    let Some(first) = argv.first() else {
        e.problem = Some("no Entrypoint or Cmd: `docker run` needs a command".into());
        return e;
    };
    let Some(path) = locate(root, config, first, &mut e.steps) else {
        e.problem = Some(format!(
            "exec {first}: no such file or directory (PATH={})",
            config.path_dirs().join(":")
        ));
        return e;
    };
    e.program = Some(path.clone());
    // A script: the kernel runs its #! interpreter, which must be in the image.
    if let Some(Ok(Facts::Script(s))) = root.inspect(&path) {
        if let Some(line) = s.shebang.as_ref().and_then(|l| l.as_clean_str()) {
            let mut words = line.trim_start_matches("#!").split_whitespace();
            if let Some(interp) = words.next() {
                e.steps.push(format!("{path} is a script for {interp}"));
                let missing = match root.stat(interp) {
                    Some((_, Node::File(_))) => None,
                    _ => Some(interp.to_string()),
                };
                let missing = missing.or_else(|| {
                    // `#!/usr/bin/env NAME`: NAME through PATH.
                    let name = words.next().filter(|_| interp.ends_with("/env"))?;
                    let name = if name == "-S" { words.next()? } else { name };
                    locate(root, config, name, &mut Vec::new())
                        .is_none()
                        .then(|| format!("{name} (in PATH, for {interp})"))
                });
                if let Some(m) = missing {
                    e.problem = Some(format!(
                        "exec {path}: the #! interpreter {m} is not in the image: the start fails with \"no such file or directory\""
                    ));
                }
            }
        }
    }
    let base = first.rsplit('/').next().unwrap_or(first);
    // Shell form: `/bin/sh -c "exec ./app --flag"`.
    if matches!(base, "sh" | "bash" | "dash" | "ash")
        && argv.get(1).map(String::as_str) == Some("-c")
    {
        e.steps
            .push(format!("shell form: {path} runs the command line"));
        let line = argv.get(2).cloned().unwrap_or_default();
        let word = line
            .split_whitespace()
            .find(|w| *w != "exec" && !w.contains('='))
            .unwrap_or("");
        if !word.is_empty() {
            if let Some(p) = locate(root, config, word, &mut e.steps) {
                e.program = Some(p);
            }
        }
        return e;
    }
    let interpreter = INTERPRETERS.iter().any(|i| {
        base == *i
            || (base.starts_with(i)
                && base[i.len()..]
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b == b'.'))
    });
    if interpreter {
        let rest = &argv[1..];
        let app = match rest.iter().position(|a| a == "-jar") {
            Some(i) => rest.get(i + 1),
            None => rest.iter().find(|a| !a.starts_with('-')),
        };
        if let Some(app) = app {
            let full = if app.starts_with('/') {
                app.clone()
            } else {
                crate::rootfs::join_dir(workdir(config), app)
            };
            if let Some((real, Node::File(_))) = root.stat(&full) {
                e.steps.push(format!("{base} runs {real}"));
                e.program = Some(real);
            }
        }
    }
    e
}

fn workdir(config: &ImageConfig) -> &str {
    if config.working_dir.starts_with('/') {
        &config.working_dir
    } else {
        "/"
    }
}

/// A command name to the regular file it runs, inside the root.
fn locate(
    root: &RootFs,
    config: &ImageConfig,
    name: &str,
    steps: &mut Vec<String>,
) -> Option<String> {
    let candidates: Vec<String> = if name.starts_with('/') {
        vec![name.to_string()]
    } else if name.contains('/') {
        vec![crate::rootfs::join_dir(workdir(config), name)]
    } else {
        config
            .path_dirs()
            .iter()
            .map(|d| crate::rootfs::join_dir(d, name))
            .collect()
    };
    for c in candidates {
        if let Some((real, Node::File(f))) = root.stat(&c) {
            if f.mode & 0o111 == 0 {
                continue;
            }
            if !name.contains('/') {
                steps.push(format!("{name} found in PATH at {c}"));
            }
            if real != c {
                steps.push(format!("{c} is a symlink to {real}"));
            }
            return Some(real);
        }
    }
    None
}

/// Paths that are the image's state, not the application: never listed to copy.
fn housekeeping(p: &str) -> bool {
    const SKIP: &[&str] = &[
        "/etc/",
        "/var/",
        "/tmp/",
        "/run/",
        "/proc/",
        "/sys/",
        "/dev/",
        "/root/",
        "/usr/share/doc/",
        "/usr/share/man/",
        "/usr/lib/os-release",
    ];
    SKIP.iter().any(|s| p.starts_with(s))
}

/// Everything `whichbase image` reports for one image.
pub fn survey(
    image: LoadedImage,
    catalog: &Catalog,
    options: &Options,
    against: Option<&AgainstRoot>,
) -> ImageReport {
    let root = &image.root;
    let own = packages::read(root);
    let mut notes = Vec::new();
    if !image.not_inspected.is_empty() {
        notes.push(format!(
            "{} program(s) larger than the inspection limit were not inspected: {}",
            image.not_inspected.len(),
            image.not_inspected.join(", ")
        ));
    }
    let owned = |p: &str| match &own.owned {
        Some(set) => set.contains(p),
        None => own.base.package_manager.is_some() && crate::rootfs::system_path(p),
    };
    let entries = root.entries(MAX_ENTRIES);
    let mut size_now = 0;
    let mut application_files = Vec::new();
    let mut app_programs = Vec::new();
    // Facts read while telling programs from libraries in an unpacked root, kept for the
    // verdict below instead of reading each program a second time.
    let mut read_already: BTreeMap<String, Facts> = BTreeMap::new();
    for (path, node) in &entries {
        let Node::File(f) = node else { continue };
        size_now += f.size;
        if owned(path) || housekeeping(path) {
            continue;
        }
        application_files.push(AppFile {
            path: path.clone(),
            size: f.size,
        });
        let is_program = match &f.content {
            crate::rootfs::Content::Inspected(r) => is_program(r.as_ref().as_ref().ok(), f.mode),
            // An unpacked root's files are read on demand: an executable one is looked at,
            // since compilers mark shared libraries executable too, and a library is not a
            // program of its own (it is judged with the program that loads it). One that
            // cannot be read stays, so its error is reported.
            crate::rootfs::Content::Disk(host) if f.mode & 0o111 != 0 => {
                match crate::inspect::inspect(host, &crate::inspect::Limits::default()) {
                    Ok(facts) => {
                        let program = is_program(Some(&facts), f.mode);
                        if program && read_already.len() < MAX_PROGRAMS {
                            read_already.insert(path.clone(), facts);
                        }
                        program
                    }
                    Err(_) => true,
                }
            }
            _ => false,
        };
        if is_program {
            app_programs.push(path.clone());
        }
    }
    let entry = entrypoint(root, &image.config);
    let mut paths: Vec<(String, &'static str)> = Vec::new();
    if let Some(p) = &entry.program {
        paths.push((p.clone(), "entrypoint"));
    }
    for p in app_programs {
        if paths.len() >= MAX_PROGRAMS {
            notes.push(format!("more than {MAX_PROGRAMS} application programs: the first {MAX_PROGRAMS} were checked"));
            break;
        }
        if !paths.iter().any(|(q, _)| *q == p) {
            paths.push((p, "application"));
        }
    }
    let platform = image.platform.clone();
    let triplet = triplet_for(catalog, &platform);
    let search = view::search_dirs(root, &triplet, &image.config.ld_library_path());
    let views = ViewCache::default();
    let programs: Vec<ProgramReport> = paths
        .into_iter()
        .map(|(path, role)| {
            let facts = match read_already
                .remove(&path)
                .map(Ok)
                .or_else(|| root.inspect(&path))
            {
                Some(Ok(f)) => f,
                Some(Err(e)) => return failed(path, role, e),
                None => {
                    return failed(
                        path.clone(),
                        role,
                        format!("{path}: not a program whichbase reads"),
                    )
                }
            };
            let mut brings = Vec::new();
            let facts_for_verdict = match &facts {
                Facts::Elf(e) => {
                    let libraries =
                        views.get(root, &platform, &triplet, &search, &own_dirs(e, &path));
                    let (folded, b, _) = fold_application_libraries(e, &path, &libraries, &owned);
                    brings = b;
                    Facts::Elf(Box::new(folded))
                }
                other => other.clone(),
            };
            let mut v = verdict::decide(&facts_for_verdict, catalog, options);
            if !brings.is_empty() {
                v.notes.push(format!(
                    "loads libraries the application brings (copy them along): {}",
                    brings.join(", ")
                ));
            }
            // The application's own libraries go along with it: the check is about the base.
            let user = Some(image.config.user.as_str()).filter(|u| !u.is_empty());
            let check = against.map(|a| a.check(&facts_for_verdict, &path, &path, user, options));
            ProgramReport {
                path,
                role,
                facts: Some(facts),
                verdict: Some(v),
                error: None,
                brings,
                check,
            }
        })
        .collect();
    let named: Vec<(String, &Verdict)> = programs
        .iter()
        .filter_map(|p| p.verdict.as_ref().map(|v| (p.path.clone(), v)))
        .collect();
    let verdict = verdict::combine(&named);
    let app_bytes: u64 = application_files.iter().map(|f| f.size).sum();
    let size_recommended = recommended_size(catalog, &verdict, &platform).map(|b| b + app_bytes);
    let runs_against = against.map(|_| {
        programs
            .iter()
            .all(|p| p.check.as_ref().is_some_and(|c| c.runs))
    });
    ImageReport {
        source: image.root.origin.display().to_string(),
        name: image.name.clone(),
        platform,
        layers: image.layers,
        config: image.config.clone(),
        base: own.base,
        entrypoint: entry,
        programs,
        verdict,
        application_files,
        ownership_known: own.owned.is_some(),
        size_now,
        size_recommended,
        against: against.map(|a| a.name.clone()),
        runs_against,
        notes,
    }
}

fn failed(path: String, role: &'static str, error: String) -> ProgramReport {
    ProgramReport {
        path,
        role,
        facts: None,
        verdict: None,
        error: Some(error),
        brings: Vec::new(),
        check: None,
    }
}

fn is_program(facts: Option<&Facts>, mode: u32) -> bool {
    match facts {
        Some(Facts::Elf(e)) => e.kind.is_program(),
        Some(Facts::Script(_)) => mode & 0o111 != 0,
        Some(Facts::Java(j)) => j.main_class.is_some(),
        _ => false,
    }
}

/// The multiarch triplet of a platform, from the catalog (`linux/amd64` -> `x86_64-linux-gnu`).
pub fn triplet_for(catalog: &Catalog, platform: &str) -> String {
    let Some(arch) = catalog.arch_for_platform(platform) else {
        return String::new();
    };
    catalog
        .index
        .releases
        .iter()
        .find_map(|r| catalog.platform(&r.name, arch).and_then(|p| p.ok()))
        .map(|p| p.triplet.clone())
        .unwrap_or_default()
}

/// The libraries a program of this machine brings beside it, through RPATH/RUNPATH entries
/// relative to itself (`$ORIGIN`), as the loader would load them from there.
pub struct Beside {
    /// The program's facts with those libraries' needs in place of the libraries.
    pub facts: ElfFacts,
    /// Their paths on this machine (real paths, sorted).
    pub libraries: Vec<String>,
    /// Needs of those libraries that sit in one of the directories read, but where the
    /// loader will not look for them: `(need, library that needs it, where it is)`.
    pub unreachable: Vec<(String, String, String)>,
    /// The program's directory on this machine ($ORIGIN), its real path.
    pub origin: String,
}

/// For a program whose RPATH or RUNPATH names `$ORIGIN`: the libraries found there (read,
/// never loaded), folded into its needs as an image's application libraries are, so that the
/// verdict covers what they need too. Only the directories relative to the program (and to
/// those libraries) are read, never this machine's library directories: the answer is the
/// same on any machine with the same files. `None` when there is nothing to fold.
pub fn libraries_beside(e: &ElfFacts, path: &std::path::Path) -> Option<Beside> {
    if !e.kind.is_program()
        || !e
            .rpath
            .iter()
            .chain(&e.runpath)
            .any(view::is_origin_relative)
    {
        return None;
    }
    // The loader takes $ORIGIN from the program's real path (/proc/self/exe).
    let real = std::fs::canonicalize(path).ok()?;
    let program = real.to_str()?;
    let mut dirs = view::dirs_of(&e.rpath, program, view::Follow::OriginOnly);
    dirs.extend(view::dirs_of(&e.runpath, program, view::Follow::OriginOnly));
    let root = RootFs::from_dir(std::path::Path::new("/")).ok()?;
    let platform = e.platform.clone().unwrap_or_default();
    let libraries = view::platform(
        &root,
        &platform,
        "",
        Vec::new(),
        &dirs,
        view::Follow::OriginOnly,
    );
    let (folded, brought, loaded) = fold_application_libraries(e, program, &libraries, &|_| false);
    if brought.is_empty() {
        return None;
    }
    // A need of a brought library that is in a directory read, but not found for it: the
    // RUNPATH that found the library applies to the program's own needs only.
    let mut unreachable = Vec::new();
    if let Some(image) = libraries.images().first() {
        for (name, requester) in &loaded.missing {
            let Some(requester) = requester.as_ref().filter(|r| brought.contains(r)) else {
                continue;
            };
            let at = dirs.iter().find_map(|d| {
                let p = crate::rootfs::join_dir(d, name);
                libraries.object_at(image, &p).map(|(o, _)| o.path.clone())
            });
            if let Some(at) = at {
                unreachable.push((name.clone(), requester.clone(), at));
            }
        }
    }
    let origin = real
        .parent()
        .map(|d| d.to_string_lossy().into_owned())
        .unwrap_or_default();
    Some(Beside {
        facts: folded,
        libraries: brought,
        unreachable,
        origin,
    })
}

/// The program's facts with the libraries the application brings taken out of its needs and
/// their own needs put in: the verdict is then about what the base must provide.
fn fold_application_libraries(
    e: &ElfFacts,
    program: &str,
    libraries: &PlatformCatalog,
    owned: &dyn Fn(&str) -> bool,
) -> (ElfFacts, Vec<String>, Loaded) {
    let Some(image) = libraries.images().first() else {
        return (e.clone(), Vec::new(), Loaded::default());
    };
    // The libraries the loader would load, found as it finds them (the program's RPATH
    // inherited by the libraries beneath it, RUNPATH not): an application library among them
    // is brought along, and its own needs are the program's needs now.
    let loaded = loader_lookups(e, program, libraries, image);
    let brought: Vec<SharedObject> = loaded
        .found
        .iter()
        .filter_map(|path| libraries.object_at(image, path))
        .map(|(o, _)| o)
        .filter(|o| !owned(&o.path) && !crate::rootfs::system_path(&o.path))
        .cloned()
        .collect();
    if brought.is_empty() {
        return (e.clone(), Vec::new(), loaded);
    }
    let brought_names: BTreeSet<String> = brought
        .iter()
        .map(|o| o.path.rsplit('/').next().unwrap_or(&o.path).to_string())
        .chain(brought.iter().filter_map(|o| o.soname.clone()))
        .collect();
    let mut f = e.clone();
    let mut needed: Vec<String> = e
        .needed
        .iter()
        .map(ToString::to_string)
        .filter(|n| !brought_names.contains(n))
        .collect();
    for o in &brought {
        for n in &o.needed {
            if !brought_names.contains(n.as_ref()) && !needed.iter().any(|x| x == n) {
                needed.push(n.to_string());
            }
        }
    }
    f.needed = needed
        .iter()
        .map(|n| crate::text::RawText::from(n.as_str()))
        .collect();
    f.version_needs
        .retain(|v| !brought_names.contains(&v.library.to_string()));
    for o in &brought {
        for (lib, versions) in &o.version_needs {
            if brought_names.contains(lib) {
                continue;
            }
            let entry = match f
                .version_needs
                .iter_mut()
                .find(|v| v.library.to_string() == *lib)
            {
                Some(v) => v,
                None => {
                    f.version_needs.push(crate::inspect::VersionNeed {
                        library: lib.as_str().into(),
                        versions: Vec::new(),
                    });
                    f.version_needs.last_mut().expect("just pushed")
                }
            };
            for v in versions {
                if !entry.versions.iter().any(|x| x.to_string() == *v) {
                    entry.versions.push(v.as_str().into());
                }
            }
        }
    }
    // The brought libraries are found in the image, not through $ORIGIN in a smaller one.
    f.rpath.clear();
    f.runpath.clear();
    let mut paths: Vec<String> = brought.into_iter().map(|o| o.path).collect();
    paths.sort();
    (f, paths, loaded)
}

/// What the loader does for a program among `libraries`: the paths it loads (its libraries,
/// theirs, and so on, in load order), and the names it does not find, with who asked for
/// them (`None`: the program).
#[derive(Default)]
struct Loaded {
    found: Vec<String>,
    missing: Vec<(String, Option<String>)>,
}

/// The loader's lookups for a program (its libraries, theirs, and so on) among `libraries`.
fn loader_lookups(
    e: &ElfFacts,
    program: &str,
    libraries: &PlatformCatalog,
    image: &ImageEntry,
) -> Loaded {
    let needed: Vec<String> = e.needed.iter().map(ToString::to_string).collect();
    let rpath = crate::inspect::expand_origin(&e.rpath, program);
    let runpath = crate::inspect::expand_origin(&e.runpath, program);
    let version_needs = std::collections::BTreeMap::new();
    let res = verdict::resolve(
        libraries,
        image,
        &verdict::Request {
            interpreter: None,
            needed: &needed,
            rpath: &rpath,
            runpath: &runpath,
            version_needs: &version_needs,
        },
    );
    let mut loaded = Loaded::default();
    for l in &res.lookups {
        match l.outcome {
            verdict::Outcome::Found { path, .. } => loaded.found.push(path.to_string()),
            verdict::Outcome::NotFound => loaded
                .missing
                .push((l.name.to_string(), l.requester.map(str::to_string))),
            verdict::Outcome::BesideProgram { .. } => {}
        }
    }
    loaded
}

/// A program's RPATH and RUNPATH directories, `$ORIGIN` expanded from its path in the root.
/// With the interpreter's directory: the loader answers requests for itself from wherever
/// it is (`/lib64` is no search directory).
fn own_dirs(e: &ElfFacts, program: &str) -> Vec<String> {
    let mut dirs = crate::inspect::expand_origin(&e.rpath, program);
    dirs.extend(crate::inspect::expand_origin(&e.runpath, program));
    if let Some((dir, _)) = e
        .interpreter
        .as_ref()
        .and_then(|i| i.as_clean_str())
        .and_then(|i| i.rsplit_once('/'))
    {
        dirs.push(if dir.is_empty() { "/" } else { dir }.to_string());
    }
    dirs
}

/// Installed size of the verdict image's packages, from the catalog.
fn recommended_size(catalog: &Catalog, v: &DirectoryVerdict, platform: &str) -> Option<u64> {
    if v.tier == crate::catalog::Tier::Scratch {
        return Some(0);
    }
    let release = v.release.as_deref()?;
    let arch = catalog.arch_for_platform(platform)?;
    let p = catalog.platform(release, arch)?.ok()?;
    let image = p
        .images()
        .iter()
        .find(|i| Some(i.reference.as_str()) == v.image.as_deref())?;
    Some(
        image
            .packages
            .iter()
            .filter_map(|n| p.package(n))
            .map(|c| c.installed_size_kib * 1024)
            .sum(),
    )
}

/// (platform, a program's own directories) -> the view built for them.
type Views = std::collections::BTreeMap<(String, Vec<String>), std::sync::Arc<PlatformCatalog>>;

/// The root's libraries in the catalog's shape, built once per distinct (platform, a
/// program's own RPATH/RUNPATH directories): most programs have none, so a root's library
/// directories are read once, not once per program.
#[derive(Default)]
struct ViewCache(std::sync::Mutex<Views>);

impl ViewCache {
    fn get(
        &self,
        root: &RootFs,
        platform: &str,
        triplet: &str,
        search: &[String],
        own_dirs: &[String],
    ) -> std::sync::Arc<PlatformCatalog> {
        let key = (platform.to_string(), own_dirs.to_vec());
        let mut built = self.0.lock().unwrap_or_else(|e| e.into_inner());
        built
            .entry(key)
            .or_insert_with(|| {
                std::sync::Arc::new(view::platform(
                    root,
                    platform,
                    triplet,
                    search.to_vec(),
                    own_dirs,
                    view::Follow::All,
                ))
            })
            .clone()
    }
}

/// A root to check programs against (`--root DIR`, `--against IMAGE`), read once.
pub struct AgainstRoot {
    pub name: String,
    kind: AgainstKind,
}

enum AgainstKind {
    Root {
        root: RootFs,
        platform: String,
        /// Platform -> multiarch triplet, for a root whose platform comes from the program.
        triplets: Vec<(String, String)>,
        search: Vec<String>,
        ld_library_path: Vec<String>,
        path_dirs: Vec<String>,
        /// User names and uids of the root's /etc/passwd (`None`: no passwd file).
        users: Option<BTreeSet<String>>,
        views: ViewCache,
    },
    Catalog {
        platform: PlatformCatalog,
        image: String,
    },
}

impl AgainstRoot {
    pub fn from_root(
        name: String,
        root: RootFs,
        config: &ImageConfig,
        platform: String,
        catalog: &Catalog,
    ) -> AgainstRoot {
        let triplets: Vec<(String, String)> = catalog
            .index
            .releases
            .iter()
            .flat_map(|r| &r.arches)
            .map(|a| (a.platform.clone(), triplet_for(catalog, &a.platform)))
            .collect();
        let triplet = triplet_for(catalog, &platform);
        let ld = config.ld_library_path();
        let search = view::search_dirs(&root, &triplet, &ld);
        let users = root.read_text("/etc/passwd").map(|t| {
            String::from_utf8_lossy(&t)
                .lines()
                .flat_map(|l| {
                    let mut f = l.split(':');
                    let name = f.next().unwrap_or("").to_string();
                    let uid = f.nth(1).unwrap_or("").to_string();
                    [name, uid]
                })
                .filter(|s| !s.is_empty())
                .collect()
        });
        AgainstRoot {
            name,
            kind: AgainstKind::Root {
                root,
                platform,
                triplets,
                search,
                ld_library_path: ld,
                path_dirs: config.path_dirs(),
                users,
                views: ViewCache::default(),
            },
        }
    }

    /// A catalog image by reference (`gcr.io/distroless/cc-debian13`) or short name
    /// (`cc-debian13`), for the platform given.
    pub fn from_catalog(catalog: &Catalog, reference: &str, platform: &str) -> Option<AgainstRoot> {
        let arch = catalog.arch_for_platform(platform)?;
        for r in &catalog.index.releases {
            let Some(Ok(p)) = catalog.platform(&r.name, arch) else {
                continue;
            };
            let found = p.images().iter().find(|i| {
                let tagless = reference.split(':').next().unwrap_or(reference);
                i.reference == tagless || i.reference.rsplit('/').next() == Some(tagless)
            });
            if let Some(img) = found {
                return Some(AgainstRoot {
                    name: img.reference.clone(),
                    kind: AgainstKind::Catalog {
                        platform: p.clone(),
                        image: img.name.clone(),
                    },
                });
            }
        }
        None
    }

    /// Whether `program` (with `facts`; its path in the root, shown in messages as `shown`)
    /// runs on this root as `user` (a name must be in the root's /etc/passwd).
    pub fn check(
        &self,
        facts: &Facts,
        program: &str,
        shown: &str,
        user: Option<&str>,
        options: &Options,
    ) -> Check {
        match &self.kind {
            AgainstKind::Root {
                root,
                platform,
                triplets,
                search,
                ld_library_path,
                path_dirs,
                users,
                views,
            } => {
                let own_dirs = match facts {
                    Facts::Elf(e) => own_dirs(e, program),
                    _ => Vec::new(),
                };
                let platform = match (platform.is_empty(), facts) {
                    (true, Facts::Elf(e)) => e.platform.clone().unwrap_or_default(),
                    _ => platform.clone(),
                };
                let triplet = triplets
                    .iter()
                    .find(|(p, _)| *p == platform)
                    .map(|(_, t)| t.as_str())
                    .unwrap_or("");
                // A root read without a platform searches the program's multiarch directories.
                let search = if search.iter().any(|d| d.contains(triplet)) || triplet.is_empty() {
                    search.clone()
                } else {
                    view::search_dirs(root, triplet, ld_library_path)
                };
                let libraries = views.get(root, &platform, triplet, &search, &own_dirs);
                let present: BTreeSet<String> = against::paths_to_check(facts, path_dirs)
                    .into_iter()
                    .filter(|p| root.exists(p))
                    .collect();
                let Some(image) = libraries.images().first() else {
                    return Check {
                        runs: false,
                        missing: vec!["no libraries read".into()],
                        notes: Vec::new(),
                        tree: Vec::new(),
                    };
                };
                let target = Target {
                    name: &self.name,
                    libraries: &libraries,
                    image,
                    present: &present,
                    path_dirs,
                };
                let mut check = against::check(facts, program, shown, &target, options);
                // `USER name` needs the name in /etc/passwd, or the container does not start.
                if let Some(u) = user.map(|u| u.split(':').next().unwrap_or(u)) {
                    let named = !u.is_empty() && !u.bytes().all(|b| b.is_ascii_digit());
                    if named && !users.as_ref().is_some_and(|names| names.contains(u)) {
                        check.missing.push(format!(
                            "user {u}: not in {}/etc/passwd: the container does not start (\"unable to find user {u}\"); use a numeric uid",
                            self.name
                        ));
                        check.runs = false;
                    }
                }
                check
            }
            AgainstKind::Catalog { platform, image } => {
                let Some(img) = platform.images().iter().find(|i| &i.name == image) else {
                    return Check {
                        runs: false,
                        missing: vec!["image not in the catalog".into()],
                        notes: Vec::new(),
                        tree: Vec::new(),
                    };
                };
                let path_dirs: Vec<String> = ["/usr/local/bin", "/usr/bin", "/bin"]
                    .map(String::from)
                    .to_vec();
                let present: BTreeSet<String> = against::paths_to_check(facts, &path_dirs)
                    .into_iter()
                    .filter(|p| in_catalog_image(platform, img, p))
                    .collect();
                let target = Target {
                    name: &self.name,
                    libraries: platform,
                    image: img,
                    present: &present,
                    path_dirs: &path_dirs,
                };
                against::check(facts, program, shown, &target, options)
            }
        }
    }
}

/// Whether a catalog image has a file: a notable file it records, or a shared object.
fn in_catalog_image(p: &PlatformCatalog, img: &ImageEntry, path: &str) -> bool {
    img.files
        .iter()
        .any(|f| f == path || (f.starts_with(path) && f.as_bytes().get(path.len()) == Some(&b'/')))
        || p.object_at(img, path).is_some()
}
