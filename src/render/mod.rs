//! Rendering: verdicts to bytes. Knows nothing of parsers; reads `Facts` and `Verdict` only.
//! Every string that came from an inspected file is a `RawText` and is escaped on output.

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
        Tier::Distro => format!(
            "distro  {}{}",
            v.image.as_deref().unwrap_or("debian"),
            if v.packages.is_empty() {
                String::new()
            } else {
                format!(
                    " + apt-get install --no-install-recommends {}",
                    v.packages.join(" ")
                )
            }
        ),
        t => format!("{t}  {}", v.image.as_deref().unwrap_or(t.as_str())),
    }
}
