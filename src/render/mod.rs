//! Rendering: verdicts to bytes. Knows nothing of parsers; reads `Facts` and `Verdict` only.
//! Every string that came from an inspected file is a `RawText` and is escaped on output.

pub mod dockerfile;
pub mod image;
pub mod json;
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
