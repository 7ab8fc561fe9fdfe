//! The SARIF 2.1.0 format (OASIS), for GitHub code scanning and other SARIF readers.
//!
//! One run. One rule per tier (`needs-scratch` ... `needs-none`), in ladder order so that a
//! rule's index is its tier's rank: a file's verdict is one tier, so an alert is "this file
//! needs cc", and it changes identity exactly when the verdict changes, which is what a
//! code-scanning history should show. (Rules per need kind would give many alerts per file
//! that do not map to the `--max` gate.) One result per inspected file: level `error` when its
//! tier is over `--max`, else `note`. Inputs that could not be inspected are
//! `toolExecutionNotifications` of the invocation, which is then not successful. Paths are
//! URIs relative to `%SRCROOT%` (the working directory) when inside it, else `file:` URIs,
//! percent-encoded byte by byte: a non-UTF-8 or control byte in a path stays escaped.
//! Validated against the published schema by `tests/cli/formats.rs`.

use super::{blocking_text, place, verdict_line, DirectoryOutcome, Outcome, Place};
use crate::catalog::{CatalogIndex, Tier};
use crate::text::escape_path;
use crate::verdict::{DirectoryVerdict, Reason};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;

/// The schema the document names in `$schema` (OASIS's published 2.1.0 schema, errata 01).
const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    original_uri_base_ids: BTreeMap<&'static str, ArtifactLocation>,
    invocations: [Invocation; 1],
    results: Vec<SarifResult<'a>>,
    properties: RunProperties<'a>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    semantic_version: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: String,
    name: String,
    short_description: Message,
    full_description: Message,
    help: Message,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: [&'static str; 2],
    tier: Tier,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Message,
    locations: [Location; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: String,
    rule_index: usize,
    level: &'static str,
    message: Message,
    locations: [Location; 1],
    partial_fingerprints: BTreeMap<&'static str, String>,
    properties: ResultProperties<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    /// GitHub code scanning shows a result only with a region; a program has no lines, so
    /// the region is its start.
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultProperties<'a> {
    /// The input path as given (escaped), as in the other formats.
    path: String,
    tier: Tier,
    image: Option<&'a str>,
    release: Option<&'a str>,
    packages: &'a [String],
    /// The needs that put the file at its tier.
    blocking_needs: Vec<&'a str>,
    reasons: &'a [Reason],
    to_go_smaller: &'a [String],
    notes: &'a [String],
    /// Whether the tier is over `--max` (absent without `--max`).
    #[serde(skip_serializing_if = "Option::is_none")]
    over_max: Option<bool>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RunProperties<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    max: Option<Tier>,
    catalog_generated_at: &'a str,
    default_release: &'a str,
    /// One per directory given: its combined verdict (its files are results).
    directories: Vec<DirectoryProperties<'a>>,
}

#[derive(Serialize)]
struct DirectoryProperties<'a> {
    path: String,
    verdict: &'a DirectoryVerdict,
    skipped: &'a [String],
}

pub fn render(
    out: &mut impl Write,
    outcomes: &[Outcome],
    directories: &[DirectoryOutcome],
    catalog: &CatalogIndex,
    max: Option<Tier>,
    cwd: Option<&Path>,
) -> io::Result<()> {
    let mut results = Vec::new();
    let mut notifications = Vec::new();
    for o in outcomes {
        let location = location(&o.path, cwd);
        match &o.result {
            Err(e) => notifications.push(Notification {
                level: "error",
                message: Message {
                    text: e.to_string(),
                },
                locations: [location],
            }),
            Ok((_, v)) => {
                let over = max.map(|m| v.tier > m);
                let mut text = format!("{}: {}", escape_path(&o.path), verdict_line(v));
                if v.tier > Tier::Scratch {
                    text.push_str(&format!(" (needs {})", blocking_text(v)));
                }
                if let (Some(true), Some(m)) = (over, max) {
                    text.push_str(&format!("; over --max {m}"));
                }
                let rule = rule_id(v.tier);
                let fingerprint = format!(
                    "{}:{rule}",
                    location.physical_location.artifact_location.uri
                );
                results.push(SarifResult {
                    rule_index: v.tier as usize,
                    rule_id: rule,
                    level: if over == Some(true) { "error" } else { "note" },
                    message: Message { text },
                    locations: [location],
                    partial_fingerprints: BTreeMap::from([("whichbase/v1", fingerprint)]),
                    properties: ResultProperties {
                        path: escape_path(&o.path),
                        tier: v.tier,
                        image: v.image.as_deref(),
                        release: v.release.as_deref(),
                        packages: &v.packages,
                        blocking_needs: v.blocking_needs(),
                        reasons: &v.reasons,
                        to_go_smaller: &v.to_go_smaller,
                        notes: &v.notes,
                        over_max: over,
                    },
                });
            }
        }
    }
    let mut base_ids = BTreeMap::new();
    if let Some(cwd) = cwd.filter(|c| c.is_absolute()) {
        let mut uri = format!("file://{}", percent_encode(cwd));
        if !uri.ends_with('/') {
            uri.push('/');
        }
        base_ids.insert(
            SRCROOT,
            ArtifactLocation {
                uri,
                uri_base_id: None,
            },
        );
    }
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "whichbase",
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    rules: Tier::ALL.iter().map(|&t| rule(t)).collect(),
                },
            },
            original_uri_base_ids: base_ids,
            invocations: [Invocation {
                execution_successful: notifications.is_empty(),
                tool_execution_notifications: notifications,
            }],
            results,
            properties: RunProperties {
                max,
                catalog_generated_at: &catalog.provenance.generated_at,
                default_release: &catalog.default_release,
                directories: directories
                    .iter()
                    .map(|d| DirectoryProperties {
                        path: escape_path(&d.path),
                        verdict: &d.verdict,
                        skipped: &d.skipped,
                    })
                    .collect(),
            },
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log).map_err(io::Error::other)?;
    writeln!(out)
}

/// `needs-cc`: the rule a file with this verdict tier is reported under.
fn rule_id(t: Tier) -> String {
    format!("needs-{t}")
}

fn rule(t: Tier) -> Rule {
    let name: String = t
        .as_str()
        .split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect();
    let (short, full) = match t {
        Tier::Scratch => (
            "Runs FROM scratch".to_string(),
            "The program needs nothing from the image: it runs in an empty filesystem."
                .to_string(),
        ),
        Tier::None => (
            "Fits no standard image".to_string(),
            "No distroless image and no Debian slim image with packages can run this file."
                .to_string(),
        ),
        Tier::Distro => (
            "Needs a Debian slim image with packages".to_string(),
            "The program needs libraries, programs or files no distroless image has: a Debian slim image with the named packages.".to_string(),
        ),
        Tier::Java | Tier::Nodejs | Tier::Python3 => (
            format!("Needs a gcr.io/distroless/{t} image"),
            format!("The smallest image this file runs on is one of distroless's {t} images, at the language version the result names."),
        ),
        t => (
            format!("Needs gcr.io/distroless/{t}"),
            format!("The smallest image this file runs on is gcr.io/distroless/{t}: a smaller one lacks something it needs."),
        ),
    };
    Rule {
        id: rule_id(t),
        name: format!("Needs{name}"),
        short_description: Message { text: short },
        full_description: Message { text: full },
        help: Message {
            text: "The result's message names the needs that force this tier; run `whichbase FILE` for every reason and what would make it smaller. Gate on a tier with --max TIER.".into(),
        },
        default_configuration: Configuration { level: "note" },
        properties: RuleProperties {
            tags: ["container", "base-image"],
            tier: t,
        },
    }
}

fn location(path: &Path, cwd: Option<&Path>) -> Location {
    let artifact_location = match place(path, cwd) {
        Place::Relative(rel) => ArtifactLocation {
            uri: percent_encode(&rel),
            uri_base_id: cwd.is_some().then_some(SRCROOT),
        },
        Place::Absolute(abs) => ArtifactLocation {
            uri: format!("file://{}", percent_encode(&abs)),
            uri_base_id: None,
        },
    };
    Location {
        physical_location: PhysicalLocation {
            artifact_location,
            region: Some(Region { start_line: 1 }),
        },
    }
}

/// A path as a URI path: every byte but RFC 3986's unreserved characters and `/` is
/// percent-encoded, so control characters and non-UTF-8 bytes never reach the output raw.
fn percent_encode(path: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    let mut s = String::new();
    for &b in path.as_os_str().as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            s.push(char::from(b));
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_relative_uris_with_every_odd_byte_encoded() {
        use std::os::unix::ffi::OsStrExt;
        let cwd = Path::new("/work/repo");
        let odd = Path::new(std::ffi::OsStr::from_bytes(b"./target/a b\n\xff"));
        let l = location(odd, Some(cwd));
        assert_eq!(
            l.physical_location.artifact_location.uri,
            "target/a%20b%0A%FF"
        );
        assert_eq!(
            l.physical_location.artifact_location.uri_base_id,
            Some(SRCROOT)
        );
        let outside = location(Path::new("../other/app"), Some(cwd));
        assert_eq!(
            outside.physical_location.artifact_location.uri,
            "file:///work/other/app"
        );
        assert_eq!(
            outside.physical_location.artifact_location.uri_base_id,
            None
        );
    }

    #[test]
    fn rules_follow_the_ladder() {
        for (i, t) in Tier::ALL.iter().enumerate() {
            assert_eq!(*t as usize, i, "rule_index relies on the ladder order");
        }
        assert_eq!(rule(Tier::BaseNossl).name, "NeedsBaseNossl");
        assert_eq!(rule(Tier::Cc).id, "needs-cc");
    }
}
