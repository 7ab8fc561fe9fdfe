//! The GitHub Actions format: one workflow command per input, which the runner turns into an
//! annotation on the job (and on the file, when it is in the repository).
//!
//! `::error` for an input over `--max` and for an input that could not be inspected,
//! `::warning` for a `none` verdict when no `--max` was given (nothing runs it, yet nothing
//! fails the job), `::notice` with the verdict otherwise; one `::notice` per directory with
//! its combined verdict. Every value is escaped as the workflow-commands syntax requires
//! (`%`, `\r`, `\n` in the message; also `:` and `,` in properties), after `RawText` has
//! already escaped what came from a binary, so no input can start a command of its own.

use super::{blocking_text, directory_line, place, verdict_line, DirectoryOutcome, Outcome, Place};
use crate::catalog::Tier;
use crate::text::escape_path;
use std::io::{self, Write};
use std::path::Path;

pub fn render(
    out: &mut impl Write,
    outcomes: &[Outcome],
    directories: &[DirectoryOutcome],
    max: Option<Tier>,
    cwd: Option<&Path>,
) -> io::Result<()> {
    for o in outcomes {
        let shown = escape_path(&o.path);
        let file = file_property(&o.path, cwd);
        match &o.result {
            Err(e) => command(
                out,
                "error",
                &file,
                "whichbase: cannot inspect",
                &e.to_string(),
            )?,
            Ok((_, v)) => {
                let over = max.filter(|&m| v.tier > m);
                let (level, title) = match over {
                    Some(m) => ("error", format!("needs {} (over --max {m})", v.tier)),
                    None if v.tier == Tier::None && max.is_none() => {
                        ("warning", "fits no image".to_string())
                    }
                    None => ("notice", format!("base image: {}", v.tier)),
                };
                let mut message = format!("{shown}: {}", verdict_line(v));
                if v.tier > Tier::Scratch {
                    message.push_str(&format!("\nneeds: {}", blocking_text(v)));
                }
                for s in &v.to_go_smaller {
                    message.push_str(&format!("\n{s}"));
                }
                command(out, level, &file, &title, &message)?;
            }
        }
    }
    for d in directories {
        let line = format!("{}: {}", escape_path(&d.path), directory_line(&d.verdict));
        writeln!(
            out,
            "::notice title={}::{}",
            property(&format!("directory: {}", d.verdict.tier)),
            data(&line)
        )?;
    }
    Ok(())
}

fn command(
    out: &mut impl Write,
    level: &str,
    file: &str,
    title: &str,
    message: &str,
) -> io::Result<()> {
    writeln!(
        out,
        "::{level} file={},title={}::{}",
        property(file),
        property(title),
        data(message)
    )
}

/// The `file=` of an annotation: relative to the working directory (the workspace in a
/// job) when inside it, else absolute.
fn file_property(path: &Path, cwd: Option<&Path>) -> String {
    match place(path, cwd) {
        Place::Relative(p) | Place::Absolute(p) => escape_path(&p),
    }
}

/// A command's message: `%`, `\r` and `\n` percent-encoded (the runner decodes them).
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A command's property value: as [`data`], plus `:` and `,`, which end a property.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_command_values_are_escaped_as_the_runner_expects() {
        assert_eq!(data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
        assert_eq!(property("50% a\r\nb: c, d"), "50%25 a%0D%0Ab%3A c%2C d");
    }
}
