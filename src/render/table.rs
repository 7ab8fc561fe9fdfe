//! The human format: a verdict line per file, then a table of reasons (tabled), then what would
//! make it smaller and notes. `-v` adds the facts and the resolved library tree. With colour
//! (`--color`, decided by `run`), the tier at the start of each verdict line is coloured.

use super::{verdict_line, Outcome};
use crate::catalog::Tier;
use crate::inspect::Facts;
use crate::text::escape_path;
use crate::verdict::Verdict;
use std::io::{self, Write};
use tabled::settings::Style;

/// Writes one pre-rendered block: blocks are separated by a blank line, and a failed input
/// (empty block; its error went to stderr) writes nothing.
pub fn write_block(out: &mut impl Write, block: &[u8], first: &mut bool) -> io::Result<()> {
    if block.is_empty() {
        return Ok(());
    }
    if !*first {
        writeln!(out)?;
    }
    *first = false;
    out.write_all(block)
}

/// A directory: its verdict line, one line per file (full blocks with `verbose`), what the
/// walk skipped, and the notes.
pub fn write_directory(
    out: &mut impl Write,
    d: &super::DirectoryOutcome,
    outcomes: &[Outcome],
    blocks: &[Vec<u8>],
    verbose: bool,
    color: bool,
    first: &mut bool,
) -> io::Result<()> {
    if !*first {
        writeln!(out)?;
    }
    *first = false;
    writeln!(
        out,
        "{}: {}",
        escape_path(&d.path),
        tint(super::directory_line(&d.verdict), d.verdict.tier, color)
    )?;
    for n in &d.verdict.notes {
        writeln!(out, "  note: {n}")?;
    }
    for (o, block) in outcomes[d.files.clone()]
        .iter()
        .zip(&blocks[d.files.clone()])
    {
        match (&o.result, verbose) {
            (Ok((_, v)), false) if v.judged_with.is_some() => writeln!(
                out,
                "  {}: judged with {}, which loads it from beside itself",
                escape_path(&o.path),
                v.judged_with.as_deref().unwrap_or_default()
            )?,
            (Ok((_, v)), false) => writeln!(
                out,
                "  {}: {}",
                escape_path(&o.path),
                tint(verdict_line(v), v.tier, color)
            )?,
            (Ok(_), true) => {
                for line in String::from_utf8_lossy(block).lines() {
                    writeln!(out, "  {line}")?;
                }
            }
            (Err(e), _) => writeln!(out, "  {e}")?,
        }
    }
    for s in &d.skipped {
        writeln!(out, "  skipped: {s}")?;
    }
    Ok(())
}

/// One input's block: the verdict line, its reasons, what would make it smaller, notes, and
/// with `verbose` the facts and the library tree. Rendered by the worker threads so that a
/// large batch does not wait on one thread to lay out tables.
pub fn render_one(out: &mut impl Write, o: &Outcome, verbose: bool, color: bool) -> io::Result<()> {
    {
        let Ok((facts, verdict)) = &o.result else {
            return Ok(());
        };
        writeln!(
            out,
            "{}: {}",
            escape_path(&o.path),
            tint(verdict_line(verdict), verdict.tier, color)
        )?;
        if verbose {
            render_facts(out, facts)?;
        }
        render_reasons(out, verdict)?;
        for s in &verdict.to_go_smaller {
            writeln!(out, "  {s}")?;
        }
        for n in &verdict.notes {
            writeln!(out, "  note: {n}")?;
        }
        if verbose && !verdict.tree.is_empty() {
            writeln!(out, "  libraries as the loader would find them:")?;
            for t in &verdict.tree {
                let by = t.requester.as_deref().unwrap_or("program");
                let at = match (&t.found, &t.package) {
                    (Some(p), Some(pkg)) => format!("{p} [{pkg}]"),
                    (Some(p), None) => p.clone(),
                    _ => "not found".into(),
                };
                writeln!(out, "    {} => {at}  (needed by {by})", t.library)?;
            }
        }
    }
    Ok(())
}

/// Colours the tier that starts a verdict line: green for scratch and static (no libc),
/// yellow for base-nossl to cc (distroless with glibc), magenta for the language runtimes and
/// distro, red for none.
fn tint(line: String, tier: Tier, color: bool) -> String {
    let code = match tier {
        Tier::Scratch | Tier::Static => "32",
        Tier::BaseNossl | Tier::Base | Tier::Cc => "33",
        Tier::Java | Tier::Nodejs | Tier::Python3 | Tier::Distro => "35",
        Tier::None => "31",
    };
    match line.strip_prefix(tier.as_str()) {
        Some(rest) if color => format!("\x1b[1;{code}m{tier}\x1b[0m{rest}"),
        _ => line,
    }
}

fn render_facts(out: &mut impl Write, facts: &Facts) -> io::Result<()> {
    match facts {
        Facts::Elf(e) => {
            writeln!(
                out,
                "  {}, {:?} {:?}, {}, platform {}",
                e.kind.describe(),
                e.class,
                e.byte_order,
                e.machine,
                e.platform.as_deref().unwrap_or("(none)")
            )?;
            if let Some(l) = e.linkage {
                writeln!(out, "  linkage: {} ({})", l.as_str(), e.evidence.linkage)?;
            }
            if let Some(i) = &e.interpreter {
                writeln!(out, "  interpreter: {i} (libc: {:?})", e.libc)?;
            }
            for (label, list) in [("rpath", &e.rpath), ("runpath", &e.runpath)] {
                if !list.is_empty() {
                    let items: Vec<String> = list.iter().map(ToString::to_string).collect();
                    writeln!(out, "  {label}: {}", items.join(":"))?;
                }
            }
            if let Some(t) = &e.abi_tag {
                writeln!(out, "  ABI note: {} {}", t.os, t.kernel)?;
            }
            if let Some(b) = &e.build_id {
                writeln!(out, "  build-id: {b}")?;
            }
            writeln!(out, "  stripped: {}", if e.stripped { "yes" } else { "no" })?;
            if let Some(t) = &e.toolchain {
                write!(out, "  toolchain: {} ({})", t.language, t.evidence)?;
                if let Some(c) = &t.compiler {
                    write!(out, ", {c}")?;
                }
                writeln!(out)?;
                if let Some(m) = &t.module {
                    writeln!(out, "  module: {m}")?;
                }
                for (k, v) in &t.settings {
                    writeln!(
                        out,
                        "  build setting: {}={v}",
                        crate::text::RawText::from(k.as_str())
                    )?;
                }
                if let Some(from) = &t.dependencies_from {
                    let deps: Vec<String> = t
                        .dependencies
                        .iter()
                        .map(|d| format!("{} {}", d.name, d.version))
                        .collect();
                    writeln!(out, "  dependencies ({from}): {}", deps.join(", "))?;
                }
            }
        }
        Facts::Foreign(f) => writeln!(out, "  {}", f.description)?,
        Facts::Script(sf) => {
            let how = match &sf.shebang {
                Some(line) => format!("#! line {line}"),
                None => "file extension".into(),
            };
            writeln!(
                out,
                "  {}script for {} ({how}){}{}",
                if sf.zipapp { "Python zipapp: " } else { "" },
                sf.interpreter,
                if sf.executable {
                    ""
                } else {
                    ", not executable"
                },
                if sf.crlf { ", CRLF line ending" } else { "" }
            )?;
            if let (Some(e), Some(p)) = (&sf.node_engines, &sf.package_json) {
                writeln!(out, "  engines.node {e} ({p})")?;
            }
        }
        Facts::Java(j) => {
            writeln!(
                out,
                "  Java archive: {:?}, {} classes, highest class version {}{}",
                j.kind,
                j.classes,
                j.class_major.map_or("none".into(), |m| m.to_string()),
                j.java_release
                    .map_or(String::new(), |r| format!(" (Java {r})"))
            )?;
            for n in &j.natives {
                writeln!(out, "  native library: {}", n.name)?;
            }
        }
    }
    Ok(())
}

fn render_reasons(out: &mut impl Write, v: &Verdict) -> io::Result<()> {
    if v.reasons.is_empty() {
        return Ok(());
    }
    // Cells borrow from the verdict; only the tier column is built ("-> base").
    let tiers: Vec<String> = v.reasons.iter().map(|r| format!("-> {}", r.tier)).collect();
    let rows: Vec<[&str; 5]> =
        std::iter::once(["need", "confidence", "evidence", "tier", "satisfied by"])
            .chain(v.reasons.iter().zip(&tiers).map(|(r, tier)| {
                [
                    r.need.as_str(),
                    r.confidence.as_str(),
                    r.evidence.as_str(),
                    tier.as_str(),
                    r.detail.as_str(),
                ]
            }))
            .collect();
    // Every cell is one line (text from a file is escaped, so it has no line break): the
    // columns' widths are known before layout, and tabled's `CompactTable` writes the rows
    // with them straight away instead of building a grid (a third of a one-file run's
    // rendering). A cell with a line break, should one appear, takes the general `Table`.
    if rows.iter().flatten().any(|c| c.contains('\n')) {
        let mut table = tabled::builder::Builder::from_iter(rows).build();
        table.with(Style::blank());
        return write_indented(out, &table.to_string());
    }
    // A column is its widest cell plus the blank style's one space of padding each side.
    // The last column is given no width of its own: its padding would be trailing blanks,
    // which `write_indented` removes anyway (tabled pads a cell, and never cuts one).
    let mut widths = [2usize; 5];
    let (measured, _last) = widths.split_at_mut(4);
    for row in &rows {
        for (w, cell) in measured.iter_mut().zip(row) {
            *w = (*w).max(display_width(cell) + 2);
        }
    }
    let table = tabled::tables::CompactTable::new(&rows)
        .columns(5)
        .width(widths)
        .with(Style::blank())
        .to_string();
    write_indented(out, &table)
}

/// A cell's width in terminal columns, as tabled measures it; printable ASCII (nearly every
/// cell) is one column a byte, without the per-character Unicode table lookup.
fn display_width(cell: &str) -> usize {
    if cell.bytes().all(|b| (b' '..=b'~').contains(&b)) {
        cell.len()
    } else {
        tabled::grid::util::string::get_line_width(cell)
    }
}

/// Writes a laid-out table indented by two spaces, without the trailing blanks of its last
/// column.
fn write_indented(out: &mut impl Write, table: &str) -> io::Result<()> {
    for line in table.lines() {
        out.write_all(b"  ")?;
        out.write_all(line.trim_end().as_bytes())?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inspect::Confidence;
    use crate::verdict::Reason;

    fn reason(need: &str, evidence: &str, detail: &str) -> Reason {
        Reason {
            need: need.into(),
            evidence: evidence.into(),
            confidence: Confidence::Certain,
            tier: Tier::Distro,
            detail: detail.into(),
            need_kind: None,
        }
    }

    /// Columns line up on screen whatever the cells hold: the width of printable ASCII is
    /// taken from its length, anything else is measured as tabled measures it (a CJK
    /// character is two columns, an accented letter one).
    #[test]
    fn columns_line_up_with_wide_and_accented_names() {
        let verdict = Verdict {
            tier: Tier::Distro,
            image: None,
            release: None,
            packages: vec![],
            reasons: vec![
                reason(
                    "libz.so.1",
                    "DT_NEEDED",
                    "in debian:13-slim (package zlib1g)",
                ),
                reason("libü.so.1", "DT_NEEDED", "not found"),
                reason("lib日本語.so", "DT_RUNPATH $ORIGIN/lib", "x"),
            ],
            to_go_smaller: vec![],
            copy_beside: vec![],
            notes: vec![],
            tree: vec![],
            needs: vec![],
            not_a_program: false,
            brought: vec![],
            judged_with: None,
            unchecked_versions: vec![],
        };
        let mut out = Vec::new();
        render_reasons(&mut out, &verdict).unwrap();
        let text = String::from_utf8(out).unwrap();
        let columns_before = |line: &str, what: &str| {
            let at = line.find(what).unwrap();
            tabled::grid::util::string::get_line_width(&line[..at])
        };
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4, "{text}");
        let tier_column = columns_before(lines[0], "tier");
        let evidence_column = columns_before(lines[0], "evidence");
        for line in &lines[1..] {
            assert_eq!(columns_before(line, "-> distro"), tier_column, "{text}");
            assert_eq!(columns_before(line, "DT_"), evidence_column, "{text}");
            assert_eq!(line.trim_end(), *line, "trailing blanks in {line:?}");
        }
        assert_eq!(display_width("lib日本語.so"), 12);
        assert_eq!(display_width("libü.so.1"), 9);
        assert_eq!(display_width("libz.so.1"), 9);
    }
}
