//! Rendering: verdicts to bytes. Knows nothing of parsers; reads `Facts` and `Verdict` only.
//! Every string that came from an inspected file is a `RawText` and is escaped on output.
//! One module per format: `table` (people), `json` (programs), `sarif` (code scanning),
//! `github` (Actions annotations), `markdown` (job summaries, PR comments).

pub mod dockerfile;
pub mod github;
pub mod image;
pub mod json;
pub mod markdown;
pub mod sarif;
pub mod table;

use crate::inspect::{Facts, InspectError};
use crate::verdict::Verdict;
use std::path::PathBuf;

/// One input's outcome, in input order.
pub struct Outcome {
    pub path: PathBuf,
    pub result: Result<(Facts, Verdict), InspectError>,
}

/// A walked directory: its combined verdict, the range of its files among the outcomes, and
/// what the walk skipped.
pub struct DirectoryOutcome {
    pub path: PathBuf,
    pub verdict: crate::verdict::DirectoryVerdict,
    pub files: std::ops::Range<usize>,
    pub skipped: Vec<String>,
}

/// The one-line summary of a directory's verdict.
pub fn directory_line(d: &crate::verdict::DirectoryVerdict) -> String {
    use crate::catalog::Tier;
    let what = match d.tier {
        Tier::None if d.forced_by.is_empty() => "none".to_string(),
        Tier::None => "none  some file fits no image".to_string(),
        // Mixed language runtimes have no single image: a slim Debian with each installed.
        Tier::Distro if d.image.is_none() => {
            image_text(Tier::Distro, Some("debian slim"), &d.packages)
        }
        t => image_text(t, d.image.as_deref(), &d.packages),
    };
    match d.forced_by.first() {
        Some(f) if d.forced_by.len() == 1 => format!("{what}  (forced by {f})"),
        Some(f) => format!("{what}  (forced by {f} and {} more)", d.forced_by.len() - 1),
        None => what,
    }
}

/// The one-line summary of a verdict: `cc  gcr.io/distroless/cc-debian13`.
pub fn verdict_line(v: &Verdict) -> String {
    use crate::catalog::Tier;
    match v.tier {
        Tier::None => {
            let cause = v
                .reasons
                .iter()
                .find(|r| r.tier == Tier::None)
                .map(|r| r.detail.clone())
                .unwrap_or_else(|| "no image fits".into());
            format!("none  {cause}")
        }
        t => image_text(t, v.image.as_deref(), &v.packages),
    }
}

/// `cc  gcr.io/distroless/cc-debian13`, or for `distro` the slim image and the packages.
fn image_text(tier: crate::catalog::Tier, image: Option<&str>, packages: &[String]) -> String {
    let image = image.unwrap_or(tier.as_str());
    if packages.is_empty() {
        format!("{tier}  {image}")
    } else {
        format!(
            "{tier}  {image} + apt-get install --no-install-recommends {}",
            packages.join(" ")
        )
    }
}

/// Where an input is, for the formats that point at files (SARIF, GitHub annotations):
/// relative to `cwd` when it lies inside it, else absolute. `..` and `.` are folded lexically
/// (the path is never resolved on disk: rendering does no I/O).
pub(crate) enum Place {
    Relative(PathBuf),
    Absolute(PathBuf),
}

pub(crate) fn place(path: &std::path::Path, cwd: Option<&std::path::Path>) -> Place {
    use std::path::Component;
    let Some(cwd) = cwd.filter(|c| c.is_absolute()) else {
        return if path.is_absolute() {
            Place::Absolute(path.to_path_buf())
        } else {
            Place::Relative(path.to_path_buf())
        };
    };
    let mut folded = PathBuf::new();
    for c in cwd.join(path).components() {
        match c {
            Component::ParentDir => {
                folded.pop();
            }
            Component::CurDir => {}
            c => folded.push(c),
        }
    }
    match folded.strip_prefix(cwd) {
        Ok(rel) if !rel.as_os_str().is_empty() => Place::Relative(rel.to_path_buf()),
        _ => Place::Absolute(folded),
    }
}

/// The needs that put a verdict at its tier, joined for one line (`libstdc++.so.6, ...`).
pub(crate) fn blocking_text(v: &Verdict) -> String {
    let why = v.blocking_needs().join(", ");
    if why.is_empty() {
        "see the reasons".into()
    } else {
        why
    }
}
