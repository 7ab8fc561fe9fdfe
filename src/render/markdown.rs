//! The Markdown format, for a GitHub job summary (`>> $GITHUB_STEP_SUMMARY`) or a pull-request
//! comment: a heading, the `--max` outcome, a table of file | tier | image | why, the
//! directories' verdicts, then per file a collapsible `<details>` with its reasons, what would
//! make it smaller and its notes.
//!
//! Text is escaped for where it lands: in Markdown, every character that could start markup,
//! a link, an image, a mention or math is backslash-escaped (and `|` so a cell stays a cell);
//! inside the HTML `<summary>`, HTML-escaped. Strings from binaries were escaped by `RawText`
//! first, so no raw control character or line break reaches the document.

use super::{blocking_text, directory_line, DirectoryOutcome, Outcome};
use crate::catalog::Tier;
use crate::text::escape_path;
use crate::verdict::Verdict;
use std::io::{self, Write};

pub fn render(
    out: &mut impl Write,
    outcomes: &[Outcome],
    directories: &[DirectoryOutcome],
    max: Option<Tier>,
) -> io::Result<()> {
    writeln!(out, "## whichbase: smallest base image")?;
    writeln!(out)?;
    let failed = outcomes.iter().filter(|o| o.result.is_err()).count();
    let inspected = outcomes.len() - failed;
    if let Some(m) = max {
        let over = outcomes
            .iter()
            .filter(|o| matches!(&o.result, Ok((_, v)) if v.tier > m))
            .count();
        if over == 0 {
            writeln!(
                out,
                "**{inspected} of {inspected} file(s) within `--max {m}`**"
            )?;
        } else {
            writeln!(
                out,
                "**{over} of {inspected} file(s) over `--max {m}`**: the gate fails"
            )?;
        }
        writeln!(out)?;
    }
    if failed > 0 {
        writeln!(out, "**{failed} file(s) could not be inspected**")?;
        writeln!(out)?;
    }
    if !outcomes.is_empty() {
        writeln!(out, "| file | tier | image | why |")?;
        writeln!(out, "| --- | --- | --- | --- |")?;
        for o in outcomes {
            let file = md(&escape_path(&o.path));
            match &o.result {
                Err(e) => writeln!(out, "| {file} | error | | {} |", md(&e.to_string()))?,
                Ok((_, v)) => {
                    let gate = match max {
                        Some(m) if v.tier > m => format!(" (over `--max {m}`)"),
                        _ => String::new(),
                    };
                    writeln!(
                        out,
                        "| {file} | **{}**{gate} | {} | {} |",
                        v.tier,
                        md(&image_cell(v)),
                        md(&why(v))
                    )?
                }
            }
        }
        writeln!(out)?;
    }
    if !directories.is_empty() {
        writeln!(out, "| directory | verdict |")?;
        writeln!(out, "| --- | --- |")?;
        for d in directories {
            writeln!(
                out,
                "| {} | {} |",
                md(&escape_path(&d.path)),
                md(&directory_line(&d.verdict))
            )?;
        }
        writeln!(out)?;
    }
    for o in outcomes {
        if let Ok((_, v)) = &o.result {
            details(out, &escape_path(&o.path), v)?;
        }
    }
    Ok(())
}

fn details(out: &mut impl Write, path: &str, v: &Verdict) -> io::Result<()> {
    writeln!(out, "<details>")?;
    writeln!(
        out,
        "<summary>{}: {} ({} reason(s))</summary>",
        html(path),
        v.tier,
        v.reasons.len()
    )?;
    writeln!(out)?;
    if !v.reasons.is_empty() {
        writeln!(
            out,
            "| need | confidence | evidence | tier | satisfied by |"
        )?;
        writeln!(out, "| --- | --- | --- | --- | --- |")?;
        for r in &v.reasons {
            writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                md(&r.need),
                r.confidence.as_str(),
                md(&r.evidence),
                r.tier,
                md(&r.detail)
            )?;
        }
        writeln!(out)?;
    }
    for s in &v.to_go_smaller {
        writeln!(out, "- {}", item(s))?;
    }
    for n in &v.notes {
        writeln!(out, "- note: {}", md(n))?;
    }
    if !v.to_go_smaller.is_empty() || !v.notes.is_empty() {
        writeln!(out)?;
    }
    writeln!(out, "</details>")?;
    writeln!(out)
}

/// The image to use: with its packages for `distro`, empty for `none`.
fn image_cell(v: &Verdict) -> String {
    match (&v.image, v.packages.is_empty()) {
        (None, _) => String::new(),
        (Some(i), true) => i.clone(),
        (Some(i), false) => format!("{i} + {}", v.packages.join(" ")),
    }
}

/// Why the file is at its tier: the needs that force it, or for `none` the cause.
fn why(v: &Verdict) -> String {
    match v.tier {
        Tier::Scratch => "needs nothing from the image".into(),
        Tier::None => v
            .reasons
            .iter()
            .find(|r| r.tier == Tier::None)
            .map(|r| format!("{}: {}", r.need, r.detail))
            .unwrap_or_else(|| "no image fits".into()),
        _ => blocking_text(v),
    }
}

/// Text for Markdown (a table cell or a list item): characters that could start markup,
/// links, mentions or math are backslash-escaped, `&` is an entity, a line break a space.
fn md(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '#' | '@' | '$' | '!'
            | '(' | ')' | '{' | '}' => {
                o.push('\\');
                o.push(c);
            }
            '&' => o.push_str("&amp;"),
            '\r' | '\n' => o.push(' '),
            c => o.push(c),
        }
    }
    o
}

/// Text for a list item: as [`md`], and a leading `-`, `+` or `1.` that would open a nested
/// list is escaped.
fn item(s: &str) -> String {
    let text = md(s);
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    match text.as_bytes().get(digits) {
        Some(b'-' | b'+' | b'=') if digits == 0 => format!("\\{text}"),
        Some(b'.') if digits > 0 => format!("{}\\{}", &text[..digits], &text[digits..]),
        _ => text,
    }
}

/// Text for inside an HTML element (`<summary>`): HTML-escaped; `@` as an entity so that no
/// mention is made.
fn html(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            '@' => o.push_str("&#64;"),
            '\r' | '\n' => o.push(' '),
            c => o.push(c),
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_text_is_escaped() {
        assert_eq!(
            md("a|b [x](y) @me `c`"),
            "a\\|b \\[x\\]\\(y\\) \\@me \\`c\\`"
        );
        assert_eq!(md("libstdc++.so.6"), "libstdc++.so.6");
        assert_eq!(html("<b>&@x"), "&lt;b&gt;&amp;&#64;x");
        assert_eq!(item("- x"), "\\- x");
        assert_eq!(item("12. x"), "12\\. x");
        assert_eq!(item("to fit cc"), "to fit cc");
    }
}
