//! `--dockerfile`: the runner stage for a verdict, each line with a comment saying why.
//!
//! Exec-form `ENTRYPOINT` always: the shell form runs `/bin/sh -c`, which distroless and
//! scratch do not have (`exec /bin/sh: no such file or directory`).

use crate::catalog::{Catalog, Tier};
use crate::inspect::{Facts, NeedKind};
use crate::survey::ImageReport;
use crate::verdict::Verdict;
use std::collections::BTreeMap;
use std::fmt::Write;

/// One `COPY --from=STAGE SRC... DST` line and why it is there.
struct Copy {
    sources: Vec<String>,
    dest: String,
    why: String,
    chmod: Option<&'static str>,
}

/// Everything the stage says, before it is written.
struct Plan {
    header: Vec<String>,
    stage: String,
    from: String,
    from_why: String,
    packages: Vec<String>,
    copies: Vec<Copy>,
    workdir: Option<String>,
    env: Vec<String>,
    user: Option<String>,
    entrypoint: Vec<String>,
}

/// The tag and `USER` line for `--user`: distroless has a `:nonroot` tag (uid 65532); other
/// images get the uid itself, which needs no passwd entry.
fn user_lines(tier: Tier, user: &str) -> (&'static str, Option<String>) {
    let distroless = !matches!(tier, Tier::Scratch | Tier::Distro);
    match user {
        "root" | "0" => ("", None),
        "nonroot" if distroless => (":nonroot", Some("nonroot".into())),
        "nonroot" => ("", Some("65532:65532".into())),
        u => ("", Some(u.to_string())),
    }
}

/// The image a tier would be on the verdict's release (for staying below the verdict).
fn tier_image(catalog: &Catalog, platform: &str, release: &str, tier: Tier) -> Option<String> {
    if tier == Tier::Scratch {
        return Some("scratch".into());
    }
    let arch = catalog.arch_for_platform(platform)?;
    let p = catalog.platform(release, arch)?.ok()?;
    p.image(tier).map(|i| i.reference.clone())
}

/// Files a filesystem need can be given by copying them from the build stage.
fn copyable(kind: NeedKind) -> bool {
    matches!(
        kind,
        NeedKind::CaCertificates
            | NeedKind::TimeZoneData
            | NeedKind::UserDatabase
            | NeedKind::TempDir
            | NeedKind::MimeTypes
            | NeedKind::HomeDir
    )
}

/// Below the verdict, within `max`: possible when every reason above `max` is a filesystem
/// need whose files can be copied. Returns the tier and the copies.
fn stay_below(v: &Verdict, max: Tier) -> Option<(Tier, Vec<Copy>)> {
    if max >= v.tier {
        return None;
    }
    let above: Vec<_> = v.reasons.iter().filter(|r| r.tier > max).collect();
    if above.is_empty() || !above.iter().all(|r| r.need_kind.is_some_and(copyable)) {
        return None;
    }
    let mut copies = Vec::new();
    for d in v
        .needs
        .iter()
        .filter(|d| d.tier > max && d.status == crate::verdict::NeedStatus::Counted)
    {
        for f in &d.files {
            copies.push(Copy {
                sources: vec![f.clone()],
                dest: f.clone(),
                why: format!(
                    "{} ({}), copied to stay on {max}",
                    d.kind.describe(),
                    d.evidence
                ),
                chmod: (d.kind == NeedKind::TempDir).then_some("1777"),
            });
        }
    }
    Some((max, copies))
}

/// The runner stage for one inspected file built in a stage named `build`.
pub fn for_file(
    path: &str,
    facts: &Facts,
    v: &Verdict,
    catalog: &Catalog,
    user: &str,
    max: Option<Tier>,
) -> Result<String, String> {
    if v.tier == Tier::None {
        return Err(format!(
            "{path}: no base image runs it: {}",
            super::verdict_line(v)
        ));
    }
    let name = path.rsplit('/').next().unwrap_or(path);
    let dest = format!("/app/{name}");
    let mut plan = Plan {
        header: vec![format!("Runner stage for {path}, written by whichbase {}.", env!("CARGO_PKG_VERSION")),
            "The program is built in a stage named `build`; adjust the COPY sources to where it is there.".into()],
        stage: "build".into(),
        from: String::new(),
        from_why: String::new(),
        packages: v.packages.clone(),
        copies: vec![Copy {
            sources: vec![path.to_string()],
            dest: dest.clone(),
            why: "the program".into(),
            chmod: None,
        }],
        workdir: None,
        env: Vec::new(),
        user: None,
        entrypoint: vec![dest.clone()],
    };
    let mut tier = v.tier;
    let mut image = v.image.clone().unwrap_or_else(|| "scratch".into());
    let platform = match facts {
        Facts::Elf(e) => e.platform.clone().unwrap_or_default(),
        _ => "linux/amd64".into(),
    };
    if let (Some(max), Some(release)) = (max, v.release.as_deref()) {
        if let Some((t, copies)) = stay_below(v, max) {
            if let Some(img) = tier_image(catalog, &platform, release, t) {
                tier = t;
                image = img;
                plan.copies.extend(copies);
            }
        }
    }
    plan.from_why = if tier == v.tier {
        format!("the smallest image it runs on: {}", verdict_reason(v))
    } else {
        format!("--max {tier}: the files it needs are copied in instead of a larger image")
    };
    if let Facts::Elf(e) = facts {
        // Libraries found through $ORIGIN go where the program looks for them.
        let via = e
            .runpath
            .iter()
            .chain(&e.rpath)
            .map(ToString::to_string)
            .find(|d| d.contains("$ORIGIN") || d.contains("${ORIGIN}"));
        if let Some(via) = via {
            let sub = via
                .replace("${ORIGIN}", "$ORIGIN")
                .trim_start_matches("$ORIGIN")
                .trim_matches('/')
                .to_string();
            let src_dir = path.rsplit_once('/').map_or(".", |(d, _)| d);
            for lib in &v.copy_beside {
                let rel = if sub.is_empty() {
                    lib.clone()
                } else {
                    format!("{sub}/{lib}")
                };
                plan.copies.push(Copy {
                    sources: vec![format!("{src_dir}/{rel}")],
                    dest: format!("/app/{rel}"),
                    why: format!(
                        "found through RUNPATH {via}: it must sit there beside the program"
                    ),
                    chmod: None,
                });
            }
        }
    }
    match facts {
        Facts::Script(s) => {
            let command = runtime_command(catalog, &platform, &image)
                .unwrap_or_else(|| s.interpreter.to_string());
            plan.entrypoint = vec![command, dest];
        }
        Facts::Java(_) => {
            let command =
                runtime_command(catalog, &platform, &image).unwrap_or_else(|| "java".into());
            plan.entrypoint = vec![command, "-jar".into(), dest];
        }
        _ => {}
    }
    let (tag, user_line) = user_lines(tier, user);
    plan.from = format!("{image}{tag}");
    plan.user = user_line;
    Ok(write_plan(&plan))
}

/// The runtime command of a language image (`/usr/bin/python3`), from the catalog.
fn runtime_command(catalog: &Catalog, platform: &str, reference: &str) -> Option<String> {
    let arch = catalog.arch_for_platform(platform).unwrap_or("amd64");
    catalog.index.releases.iter().find_map(|r| {
        let p = catalog.platform(&r.name, arch)?.ok()?;
        p.images()
            .iter()
            .find(|i| i.reference == reference)
            .and_then(|i| i.runtime.as_ref())
            .map(|rt| rt.command.clone())
    })
}

fn verdict_reason(v: &Verdict) -> String {
    let needs = v.blocking_needs();
    if needs.is_empty() {
        v.tier.to_string()
    } else {
        format!("it needs {}", needs.join(", "))
    }
}

/// The runner stage replacing an image: the application's files copied from it.
pub fn for_image(r: &ImageReport, user: &str) -> Result<String, String> {
    let v = &r.verdict;
    if v.tier == Tier::None {
        return Err(format!(
            "{}: no base image runs its programs: {}",
            r.source,
            super::directory_line(v)
        ));
    }
    let Some(image) = v.image.clone() else {
        return Err(format!(
            "{}: {}: no single image (see the report)",
            r.source,
            super::directory_line(v)
        ));
    };
    let source = r.name.clone().unwrap_or_else(|| "IMAGE".into());
    let mut by_dir: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in &r.application_files {
        let dir = f
            .path
            .rsplit_once('/')
            .map_or("/", |(d, _)| if d.is_empty() { "/" } else { d });
        by_dir
            .entry(dir.to_string())
            .or_default()
            .push(f.path.clone());
    }
    let copies = by_dir
        .into_iter()
        .map(|(dir, files)| Copy {
            why: format!("{} application file(s) no package owns", files.len()),
            sources: files,
            dest: format!("{}/", dir.trim_end_matches('/')),
            chmod: None,
        })
        .collect();
    let entrypoint = match (&r.entrypoint.program, r.entrypoint.argv.first()) {
        (Some(p), Some(first))
            if first.ends_with("sh")
                && r.entrypoint.argv.get(1).map(String::as_str) == Some("-c") =>
        {
            // Shell form: run the program itself, with the words after it.
            let line = r.entrypoint.argv.get(2).cloned().unwrap_or_default();
            let mut words = line
                .split_whitespace()
                .skip_while(|w| *w == "exec" || w.contains('='));
            words.next();
            std::iter::once(p.clone())
                .chain(words.map(str::to_string))
                .collect()
        }
        // argv[0] as the path it resolved to: the new image's PATH may not have its directory.
        (Some(p), Some(_)) if !r.entrypoint.steps.iter().any(|s| s.contains(" runs ")) => {
            std::iter::once(p.clone())
                .chain(r.entrypoint.argv.iter().skip(1).cloned())
                .collect()
        }
        _ => r.entrypoint.argv.clone(),
    };
    let (tag, user_line) = user_lines(v.tier, user);
    let plan = Plan {
        header: vec![
            format!(
                "Runner stage for {source} ({}), written by whichbase {}.",
                r.platform,
                env!("CARGO_PKG_VERSION")
            ),
            format!(
                "Stage `app` is the image read; its base was {}.",
                r.base.os.clone().unwrap_or_else(|| "unknown".into())
            ),
        ],
        stage: "app".into(),
        from: format!("{image}{tag}"),
        from_why: format!(
            "the smallest image its programs run on (forced by {})",
            v.forced_by.join(", ")
        ),
        packages: v.packages.clone(),
        copies,
        workdir: (!r.config.working_dir.is_empty()).then(|| r.config.working_dir.clone()),
        env: r
            .config
            .env
            .iter()
            .filter(|e| !e.starts_with("PATH=") && !e.starts_with("HOME="))
            .cloned()
            .collect(),
        user: user_line,
        entrypoint,
    };
    let mut text = format!("FROM {source} AS app\n\n");
    text.push_str(&write_plan(&plan));
    Ok(text)
}

fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

fn write_plan(p: &Plan) -> String {
    let mut s = String::new();
    for h in &p.header {
        let _ = writeln!(s, "# {h}");
    }
    let _ = writeln!(s, "# {}", p.from_why);
    let _ = writeln!(s, "FROM {}", p.from);
    if !p.packages.is_empty() {
        let _ = writeln!(
            s,
            "# Libraries and files no distroless image has, from Debian."
        );
        let _ = writeln!(
            s,
            "RUN apt-get update \\\n && apt-get install -y --no-install-recommends {} \\\n && rm -rf /var/lib/apt/lists/*",
            p.packages.join(" ")
        );
    }
    for c in &p.copies {
        let _ = writeln!(s, "# {}", c.why);
        let chmod = c.chmod.map(|m| format!(" --chmod={m}")).unwrap_or_default();
        let _ = writeln!(
            s,
            "COPY --from={}{chmod} {} {}",
            p.stage,
            c.sources.join(" "),
            c.dest
        );
    }
    if let Some(w) = &p.workdir {
        let _ = writeln!(s, "WORKDIR {w}");
    }
    for e in &p.env {
        if let Some((k, v)) = e.split_once('=') {
            let _ = writeln!(s, "ENV {k}={}", quote(v));
        }
    }
    if let Some(u) = &p.user {
        if u == "nonroot" {
            let _ = writeln!(s, "# Not root: the image's nonroot user (uid 65532).");
        } else {
            let _ = writeln!(s, "# Not root: a uid needs no passwd entry to run.");
        }
        let _ = writeln!(s, "USER {u}");
    }
    let argv: Vec<String> = p.entrypoint.iter().map(|a| quote(a)).collect();
    let _ = writeln!(s, "# Exec form: no shell is needed to start it.");
    let _ = writeln!(s, "ENTRYPOINT [{}]", argv.join(", "));
    s
}
