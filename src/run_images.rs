//! The runs that read root filesystems: `whichbase image PATH...` (one report per image and
//! platform), and `--root DIR` checks of inspected files.

use crate::catalog::Catalog;
use crate::cli::{Config, Format, Mode};
use crate::render::{self, Outcome};
use crate::rootfs::image::{self, ImageConfig};
use crate::rootfs::layers::LayerLimits;
use crate::rootfs::RootFs;
use crate::run::{EXIT_ERROR, EXIT_OK, EXIT_OVER_MAX};
use crate::survey::{self, AgainstRoot, ImageReport};
use crate::text::escape_path;
use crate::verdict::Options;
use std::io::{self, Write};

/// `whichbase image PATH...`.
pub fn run_images(config: &Config, catalog: &Catalog, options: &Options) -> u8 {
    let Mode::Images { against, platform } = &config.mode else {
        return EXIT_ERROR;
    };
    let limits = LayerLimits::default();
    let mut errors = Vec::new();
    let mut reports: Vec<ImageReport> = Vec::new();
    for path in &config.paths {
        let images = match image::load(path, &limits) {
            Ok(i) => i,
            Err(e) => {
                errors.push(e.to_string());
                continue;
            }
        };
        let mut matched = false;
        for img in images {
            if platform.as_ref().is_some_and(|p| p != &img.platform) {
                continue;
            }
            matched = true;
            let target = match against {
                Some(a) => match against_root(a, &img.platform, catalog, &limits) {
                    Ok(t) => Some(t),
                    Err(e) => {
                        errors.push(e);
                        continue;
                    }
                },
                None => None,
            };
            reports.push(survey::survey(img, catalog, options, target.as_ref()));
        }
        if !matched {
            errors.push(format!(
                "{}: no image for platform {}",
                escape_path(path),
                platform.as_deref().unwrap_or("?")
            ));
        }
    }
    for e in &errors {
        eprintln!("whichbase: {e}");
    }
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut refused = false;
    let written = (|| -> io::Result<()> {
        if config.dockerfile {
            for (i, r) in reports.iter().enumerate() {
                if i > 0 {
                    writeln!(out)?;
                }
                match render::dockerfile::for_image(r, config.user.as_deref().unwrap_or("nonroot"))
                {
                    Ok(text) => out.write_all(text.as_bytes())?,
                    Err(e) => {
                        eprintln!("whichbase: {e}");
                        refused = true;
                    }
                }
            }
            return Ok(());
        }
        match config.format {
            Format::Json => render::image::write_json(&mut out, &reports, &errors),
            Format::Sarif | Format::Github | Format::Markdown => {
                let (outcomes, directories) = as_outcomes(&reports);
                crate::run::ci_format(&mut out, config, &outcomes, &directories, &catalog.index)
            }
            Format::Table => {
                for (i, r) in reports.iter().enumerate() {
                    if i > 0 {
                        writeln!(out)?;
                    }
                    render::image::write_report(&mut out, r, config.verbose)?;
                }
                Ok(())
            }
        }
    })()
    .and_then(|()| out.flush());
    if let Err(e) = written {
        if e.kind() != io::ErrorKind::BrokenPipe {
            eprintln!("whichbase: writing output: {e}");
            return EXIT_ERROR;
        }
    }
    let mut over = refused;
    for r in &reports {
        if let Some(max) = config.max {
            if r.verdict.tier > max {
                over = true;
                eprintln!(
                    "whichbase: {}: needs {} (over --max {max})",
                    escape_path(std::path::Path::new(&r.source)),
                    render::directory_line(&r.verdict)
                );
            }
        }
        if r.runs_against == Some(false) {
            over = true;
        }
        if r.entrypoint.problem.is_some() && !r.entrypoint.argv.is_empty() {
            over = true;
        }
    }
    if !errors.is_empty() {
        EXIT_ERROR
    } else if over {
        EXIT_OVER_MAX
    } else {
        EXIT_OK
    }
}

/// Image reports in the shape of a directory run, for the CI formats: each program is a
/// file named `IMAGE:PATH`, each image a directory of its programs.
fn as_outcomes(reports: &[ImageReport]) -> (Vec<Outcome>, Vec<render::DirectoryOutcome>) {
    let mut outcomes = Vec::new();
    let mut directories = Vec::new();
    for r in reports {
        let start = outcomes.len();
        let label = match (&r.name, r.platform.is_empty()) {
            (Some(n), false) => format!("{} ({n}, {})", r.source, r.platform),
            (Some(n), true) => format!("{} ({n})", r.source),
            (None, false) => format!("{} ({})", r.source, r.platform),
            (None, true) => r.source.clone(),
        };
        for p in &r.programs {
            let path = std::path::PathBuf::from(format!("{}:{}", r.source, p.path));
            let result = match (&p.facts, &p.verdict, &p.error) {
                (Some(f), Some(v), _) => Ok((f.clone(), v.clone())),
                (_, _, e) => Err(crate::inspect::InspectError {
                    path: path.clone(),
                    kind: crate::inspect::InspectErrorKind::Reported(
                        e.clone().unwrap_or_else(|| "not inspected".into()),
                    ),
                }),
            };
            outcomes.push(Outcome { path, result });
        }
        directories.push(render::DirectoryOutcome {
            path: std::path::PathBuf::from(label),
            verdict: r.verdict.clone(),
            files: start..outcomes.len(),
            skipped: Vec::new(),
        });
    }
    (outcomes, directories)
}

/// The root named by `--against`: an image or root directory on disk, else a catalog image.
fn against_root(
    name: &str,
    platform: &str,
    catalog: &Catalog,
    limits: &LayerLimits,
) -> Result<AgainstRoot, String> {
    let path = std::path::Path::new(name);
    if path.exists() {
        let images = image::load(path, limits).map_err(|e| e.to_string())?;
        let n = images.len();
        let img = images
            .into_iter()
            .find(|i| i.platform.is_empty() || i.platform == platform || n == 1)
            .ok_or_else(|| format!("{name}: no image for {platform}"))?;
        let label = escape_path(path);
        return Ok(AgainstRoot::from_root(
            label,
            img.root,
            &img.config,
            img.platform,
            catalog,
        ));
    }
    AgainstRoot::from_catalog(catalog, name, platform).ok_or_else(|| {
        format!("--against {name}: neither a path nor a catalog image (such as gcr.io/distroless/cc-debian13)")
    })
}

/// `--root DIR`: each inspected file checked against the root. Returns whether all run.
pub fn root_checks(
    config: &Config,
    dir: &std::path::Path,
    outcomes: &[Outcome],
    catalog: &Catalog,
    options: &Options,
    out: &mut impl Write,
) -> Result<bool, String> {
    let root = RootFs::from_dir(dir).map_err(|e| e.to_string())?;
    let label = escape_path(dir);
    // The root's platform is each program's own: one target serves every input.
    let target = AgainstRoot::from_root(
        label.clone(),
        root,
        &ImageConfig::default(),
        String::new(),
        catalog,
    );
    let mut all = true;
    let mut json = Vec::new();
    for o in outcomes {
        let Ok((facts, _)) = &o.result else { continue };
        // The program's own place in the root is unknown: $ORIGIN is where it would be
        // copied, /app. Messages name it as the user did.
        let name = o
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let path = escape_path(&o.path);
        let check = target.check(
            facts,
            &format!("/app/{name}"),
            &path,
            config.user.as_deref(),
            options,
        );
        all &= check.runs;
        if config.format == Format::Json {
            json.push(serde_json::json!({"path": path, "root": label, "check": check}));
        } else {
            render::image::write_check(out, &path, &label, &check, config.verbose)
                .map_err(|e| e.to_string())?;
        }
    }
    if config.format == Format::Json {
        let doc = serde_json::json!({
            "schema_version": render::json::OUTPUT_SCHEMA_VERSION,
            "checks": json,
        });
        serde_json::to_writer_pretty(&mut *out, &doc).map_err(|e| e.to_string())?;
        writeln!(out).map_err(|e| e.to_string())?;
    }
    Ok(all)
}
