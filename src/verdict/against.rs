//! "Will it run on this one?": one program checked against one given root filesystem (an
//! image the user already has), reporting every missing piece the way the loader would.
//!
//! Pure like the rest of `verdict`: the root's libraries come as a catalog-shaped
//! [`PlatformCatalog`] (built by `rootfs::view`), and the files the program's needs ask for
//! come as the set of those present, checked by the caller ([`paths_to_check`] lists them).

use super::resolve::{resolve, Outcome, Request};
use super::{Options, TreeLine};
use crate::catalog::{ImageEntry, PlatformCatalog};
use crate::inspect::{Confidence, ElfFacts, Facts, FsNeed, JavaFacts, NeedKind, ScriptFacts};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The root a program is checked against, as plain data.
pub struct Target<'a> {
    /// How messages name the root (`./rootfs`, `image.tar`).
    pub name: &'a str,
    pub libraries: &'a PlatformCatalog,
    /// The image of `libraries` to resolve in.
    pub image: &'a ImageEntry,
    /// Which of [`paths_to_check`]'s paths exist in the root (symlinks followed).
    pub present: &'a BTreeSet<String>,
    /// `PATH` inside the root, for `#!/usr/bin/env NAME` and `java`.
    pub path_dirs: &'a [String],
}

#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// Everything needed is there.
    pub runs: bool,
    /// One line per missing piece, in the loader's words where it has some.
    pub missing: Vec<String>,
    /// Needs shown but not counted (`possible` ones without `--strict`, ignored ones).
    pub notes: Vec<String>,
    /// Where each library was found in the root.
    pub tree: Vec<TreeLine>,
}

impl Check {
    /// A check with only missing pieces to report (scripts, JARs).
    fn from_missing(missing: Vec<String>) -> Check {
        Check {
            runs: missing.is_empty(),
            missing,
            notes: Vec::new(),
            tree: Vec::new(),
        }
    }
}

/// Paths in the root whose presence decides the check: the interpreter, the files of every
/// filesystem need, and the candidates for a script's interpreter.
pub fn paths_to_check(facts: &Facts, path_dirs: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    match facts {
        Facts::Elf(e) => {
            if let Some(i) = e.interpreter.as_ref().and_then(|i| i.as_clean_str()) {
                out.push(i.to_string());
            }
            for n in &e.needs {
                if n.kind != NeedKind::RuntimeLibraries && n.kind != NeedKind::NssModules {
                    out.extend(n.files.iter().cloned());
                }
            }
        }
        Facts::Script(s) => {
            out.extend(script_candidates(s, path_dirs));
        }
        Facts::Java(_) => out.extend(in_path("java", path_dirs)),
        Facts::Foreign(_) => {}
    }
    out
}

fn in_path(name: &str, path_dirs: &[String]) -> Vec<String> {
    path_dirs
        .iter()
        .map(|d| format!("{}/{name}", d.trim_end_matches('/')))
        .collect()
}

/// The `#!` interpreter path, and for `#!/usr/bin/env NAME` also NAME in each PATH directory.
fn script_candidates(s: &ScriptFacts, path_dirs: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let command = s.interpreter.as_clean_str().unwrap_or_default();
    if let Some(line) = s.shebang.as_ref().and_then(|l| l.as_clean_str()) {
        if let Some(first) = line.trim_start_matches("#!").split_whitespace().next() {
            out.push(first.to_string());
        }
    }
    if s.via_env || s.shebang.is_none() {
        out.extend(in_path(command, path_dirs));
    }
    out
}

/// Whether the program with `facts` runs on `target`. `program` is where it sits in the root
/// (its directory is `$ORIGIN`); `shown` is the name messages give it, as the loader would
/// (the path the user named, for `--root`).
pub fn check(
    facts: &Facts,
    program: &str,
    shown: &str,
    target: &Target,
    options: &Options,
) -> Check {
    match facts {
        Facts::Elf(e) => check_elf(e, program, shown, target, options),
        Facts::Script(s) => check_script(s, target),
        Facts::Java(j) => check_java(j, target),
        Facts::Foreign(f) => Check {
            runs: false,
            missing: vec![format!("{}: not a Linux program", f.description)],
            notes: Vec::new(),
            tree: Vec::new(),
        },
    }
}

fn check_elf(
    e: &ElfFacts,
    program: &str,
    shown: &str,
    target: &Target,
    options: &Options,
) -> Check {
    let mut missing = Vec::new();
    let mut notes = Vec::new();
    if let Some(platform) = &e.platform {
        if platform != &target.libraries.platform && !target.libraries.platform.is_empty() {
            missing.push(format!(
                "{platform} program, but {} is {}: exec format error",
                target.name, target.libraries.platform
            ));
        }
    }
    let interpreter = e.interpreter.as_ref().map(ToString::to_string);
    if let Some(i) = &interpreter {
        if !target.present.contains(i) {
            missing.push(format!(
                "{i}: not found (the program's interpreter): the start fails with \"no such file or directory\""
            ));
        }
    }
    let expand = |dirs: &[crate::text::RawText]| crate::inspect::expand_origin(dirs, program);
    let needed: Vec<String> = e.needed.iter().map(ToString::to_string).collect();
    let rpath = expand(&e.rpath);
    let runpath = expand(&e.runpath);
    let version_needs: BTreeMap<String, Vec<String>> = e
        .version_needs
        .iter()
        .map(|v| {
            (
                v.library.to_string(),
                v.versions.iter().map(ToString::to_string).collect(),
            )
        })
        .collect();
    let request = Request {
        // Its presence is checked above, by path; passed so that a library asking for the
        // loader by soname is answered by it, wherever the root keeps it.
        interpreter: interpreter.as_deref(),
        needed: &needed,
        rpath: &rpath,
        runpath: &runpath,
        version_needs: &version_needs,
    };
    let image = target.image;
    let res = resolve(target.libraries, image, &request);
    for l in &res.lookups {
        if l.outcome == Outcome::NotFound {
            match &l.requester {
                None => missing.push(format!("{} => not found", l.name)),
                Some(r) => missing.push(format!("{} => not found (required by {r})", l.name)),
            }
        }
    }
    let glibc = glibc_version(target.libraries, image);
    for m in &res.missing_versions {
        let by = m.requester.unwrap_or(shown);
        let mut line = format!(
            "`{}' not found (required by {by}) in {}",
            m.version, m.library
        );
        if m.library == "libc.so.6" {
            if let Some(g) = &glibc {
                line.push_str(&format!("; {} has glibc {g}", target.name));
            }
        }
        missing.push(line);
    }
    for n in &e.needs {
        let counted = !options.ignore.contains(&n.kind)
            && (n.confidence != Confidence::Possible || options.strict);
        let Some(problem) = need_problem(n, target, image) else {
            continue;
        };
        if counted {
            missing.push(problem);
        } else {
            notes.push(format!(
                "{problem} (not counted: {})",
                n.confidence.as_str()
            ));
        }
    }
    let tree = super::tree_lines(&res);
    Check {
        runs: missing.is_empty(),
        missing,
        notes,
        tree,
    }
}

/// What is missing for one filesystem need, if anything.
fn need_problem(n: &FsNeed, target: &Target, image: &ImageEntry) -> Option<String> {
    let what = match n.kind {
        NeedKind::NameService => return None,
        NeedKind::RuntimeLibraries | NeedKind::NssModules => {
            let absent: Vec<&String> = n
                .files
                .iter()
                .filter(|name| {
                    let needed = [name.to_string()];
                    let none: [String; 0] = [];
                    let versions = BTreeMap::new();
                    let r = resolve(
                        target.libraries,
                        image,
                        &Request {
                            interpreter: None,
                            needed: &needed,
                            rpath: &none,
                            runpath: &none,
                            version_needs: &versions,
                        },
                    );
                    !r.fits()
                })
                .collect();
            if absent.is_empty() {
                return None;
            }
            let names: Vec<&str> = absent.iter().map(|s| s.as_str()).collect();
            return Some(format!(
                "{} => not found (loaded at run time with dlopen: {})",
                names.join(", "),
                n.evidence
            ));
        }
        _ => {
            let absent: Vec<&String> = n
                .files
                .iter()
                .filter(|f| !target.present.contains(*f))
                .collect();
            if absent.is_empty() {
                return None;
            }
            absent
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    Some(format!(
        "no {} ({what}) in {}: needed because {}",
        n.kind.describe(),
        target.name,
        n.evidence
    ))
}

fn check_script(s: &ScriptFacts, target: &Target) -> Check {
    let candidates = script_candidates(s, target.path_dirs);
    let mut missing = Vec::new();
    let command = s.interpreter.to_string();
    if s.crlf {
        missing.push("the #! line ends in CR (\\r): the kernel looks for an interpreter whose name ends in \\r".into());
    }
    if let Some(first) = candidates.first() {
        let shebang_found = target.present.contains(first);
        if s.shebang.is_some() && !shebang_found {
            missing.push(format!("{first}: not found (the script's #! interpreter)"));
        } else if (s.via_env || s.shebang.is_none())
            && !candidates
                .iter()
                .skip(usize::from(s.shebang.is_some()))
                .any(|c| target.present.contains(c))
        {
            missing.push(format!(
                "{command}: not found in PATH ({})",
                target.path_dirs.join(":")
            ));
        }
    }
    Check::from_missing(missing)
}

fn check_java(_j: &JavaFacts, target: &Target) -> Check {
    let found = in_path("java", target.path_dirs)
        .iter()
        .any(|p| target.present.contains(p));
    let missing = if found {
        Vec::new()
    } else {
        vec![format!(
            "java: not found in PATH ({})",
            target.path_dirs.join(":")
        )]
    };
    Check::from_missing(missing)
}

/// The newest `GLIBC_2.N` that the root's `libc.so.6` defines (`2.36`), if it has one.
pub fn glibc_version(p: &PlatformCatalog, image: &ImageEntry) -> Option<String> {
    let (libc, _) = p.by_default_dirs(image, "libc.so.6")?;
    libc.defines
        .iter()
        .filter_map(|d| d.strip_prefix("GLIBC_"))
        .filter(|v| v.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .max_by_key(|v| {
            v.split('.')
                .map(|n| n.parse::<u32>().unwrap_or(0))
                .collect::<Vec<_>>()
        })
        .map(str::to_string)
}
