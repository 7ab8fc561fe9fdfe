//! Image reports and `--root` checks as text and JSON.

use super::{directory_line, verdict_line};
use crate::survey::ImageReport;
use crate::verdict::against::Check;
use std::io::{self, Write};

/// `12.3 MB`: sizes for people (decimal units, as registries show them).
pub fn size(bytes: u64) -> String {
    let b = bytes as f64;
    if b >= 1e9 {
        format!("{:.2} GB", b / 1e9)
    } else if b >= 1e6 {
        format!("{:.1} MB", b / 1e6)
    } else if b >= 1e3 {
        format!("{:.1} kB", b / 1e3)
    } else {
        format!("{bytes} B")
    }
}

fn esc(s: &str) -> String {
    crate::text::RawText::from(s).to_string()
}

pub fn write_report(out: &mut impl Write, r: &ImageReport, verbose: bool) -> io::Result<()> {
    let mut title = esc(&r.source);
    let mut extra = Vec::new();
    if let Some(n) = &r.name {
        extra.push(esc(n));
    }
    if !r.platform.is_empty() {
        extra.push(r.platform.clone());
    }
    if !extra.is_empty() {
        title = format!("{title} ({})", extra.join(", "));
    }
    writeln!(out, "{title}: {}", directory_line(&r.verdict))?;
    let base = match (&r.base.os, &r.base.package_manager) {
        (Some(os), Some(pm)) => format!("{} , {} packages ({pm})", esc(os), r.base.packages.len()),
        (Some(os), None) => format!("{} (no package database)", esc(os)),
        (None, Some(pm)) => format!("{} packages ({pm}), no os-release", r.base.packages.len()),
        (None, None) => "no os-release and no package database (scratch-like)".into(),
    };
    writeln!(out, "  base now:    {}", base.replace(" ,", ","))?;
    if r.layers > 0 {
        writeln!(out, "  layers:      {}", r.layers)?;
    }
    let ep = &r.entrypoint;
    match (&ep.program, &ep.problem) {
        (_, Some(p)) => writeln!(
            out,
            "  entrypoint:  {}  CANNOT START: {}",
            esc(&ep.argv.join(" ")),
            esc(p)
        )?,
        (Some(p), None) => {
            let how = if ep.steps.is_empty() {
                String::new()
            } else {
                format!("  ({})", esc(&ep.steps.join("; ")))
            };
            writeln!(out, "  entrypoint:  {}{how}", esc(p))?
        }
        (None, None) => {}
    }
    if !r.config.user.is_empty() {
        writeln!(out, "  user:        {}", esc(&r.config.user))?;
    }
    let app: u64 = r.application_files.iter().map(|f| f.size).sum();
    match r.size_recommended {
        Some(rec) => writeln!(
            out,
            "  size:        {} now -> {} ({} of base packages + {} of application files)",
            size(r.size_now),
            size(rec),
            size(rec.saturating_sub(app)),
            size(app)
        )?,
        None => writeln!(
            out,
            "  size:        {} now ({} of application files; the recommended base's size is not in the catalog)",
            size(r.size_now),
            size(app)
        )?,
    }
    let shown = if verbose { usize::MAX } else { 12 };
    if !r.application_files.is_empty() {
        let how = if r.ownership_known {
            "owned by no package"
        } else if r.base.package_manager.is_none() {
            "no package database: every file is the application's"
        } else {
            "outside the system directories (the package database lists no files)"
        };
        writeln!(
            out,
            "  copy along:  {} file(s), {}, {how}:",
            r.application_files.len(),
            size(app)
        )?;
        for f in r.application_files.iter().take(shown) {
            writeln!(out, "    {} ({})", esc(&f.path), size(f.size))?;
        }
        if r.application_files.len() > shown {
            writeln!(
                out,
                "    ... and {} more (-v lists all)",
                r.application_files.len() - shown
            )?;
        }
    }
    if let Some(a) = &r.against {
        let runs = r.runs_against == Some(true);
        writeln!(
            out,
            "  against {}: {}",
            esc(a),
            if runs {
                "every program runs"
            } else {
                "does NOT run"
            }
        )?;
    }
    writeln!(out, "  programs:")?;
    for p in &r.programs {
        match (&p.verdict, &p.error) {
            (Some(v), _) => {
                writeln!(
                    out,
                    "    {} ({}): {}",
                    esc(&p.path),
                    p.role,
                    verdict_line(v)
                )?;
                if !p.brings.is_empty() {
                    writeln!(out, "      brings its own: {}", esc(&p.brings.join(", ")))?;
                }
            }
            (None, Some(e)) => writeln!(out, "    {} ({}): error: {}", esc(&p.path), p.role, e)?,
            _ => {}
        }
        if let Some(c) = &p.check {
            write_check_lines(out, c, "      ")?;
        }
        if verbose {
            if let Some(v) = &p.verdict {
                for reason in &v.reasons {
                    writeln!(
                        out,
                        "      {} [{}]: {}",
                        reason.need, reason.tier, reason.detail
                    )?;
                }
                for n in &v.notes {
                    writeln!(out, "      note: {n}")?;
                }
            }
        }
    }
    for n in r.notes.iter().chain(&r.verdict.notes) {
        writeln!(out, "  note: {n}")?;
    }
    Ok(())
}

/// The lines of a check: what is missing, in the loader's words.
pub fn write_check_lines(out: &mut impl Write, c: &Check, indent: &str) -> io::Result<()> {
    for m in &c.missing {
        writeln!(out, "{indent}{m}")?;
    }
    for n in &c.notes {
        writeln!(out, "{indent}note: {n}")?;
    }
    Ok(())
}

/// `./app: runs on ./rootfs` or `./app: does NOT run on ./rootfs` and the missing pieces.
pub fn write_check(
    out: &mut impl Write,
    path: &str,
    on: &str,
    c: &Check,
    verbose: bool,
) -> io::Result<()> {
    if c.runs {
        writeln!(out, "{path}: runs on {on}")?;
    } else {
        writeln!(out, "{path}: does NOT run on {on}")?;
    }
    write_check_lines(out, c, "  ")?;
    if verbose {
        for t in &c.tree {
            writeln!(
                out,
                "  {} => {}",
                t.library,
                t.found.as_deref().unwrap_or("not found")
            )?;
        }
    }
    Ok(())
}

pub fn write_json(
    out: &mut impl Write,
    reports: &[ImageReport],
    errors: &[String],
) -> io::Result<()> {
    let doc = serde_json::json!({
        "schema_version": super::json::OUTPUT_SCHEMA_VERSION,
        "images": reports,
        "errors": errors,
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}
