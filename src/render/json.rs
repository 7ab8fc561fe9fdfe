//! The JSON format: one document, `schema_version` plus a `results` array in input order.
//!
//! These wire types are the documented contract (`docs/output.schema.json`, README "JSON
//! output"); a test checks the output against that schema. Change them together.

use super::Outcome;
use crate::catalog::Tier;
use crate::inspect::Toolchain;
use crate::inspect::{ElfFacts, Facts, ForeignFacts};
use crate::text::{escape_path, RawText};
use crate::verdict::{NeedDecision, Reason, TreeLine, Verdict};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Bumped when a field is removed or changes meaning; adding a field does not bump it.
pub const OUTPUT_SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    schema_version: u32,
    catalog: CatalogInfo<'a>,
    results: Vec<Item<'a>>,
    /// One per directory given: its combined verdict; its files are in `results`.
    directories: Vec<WireDirectory<'a>>,
}

#[derive(Serialize)]
struct WireDirectory<'a> {
    path: String,
    verdict: &'a crate::verdict::DirectoryVerdict,
    /// The paths of its files in `results`.
    files: Vec<String>,
    skipped: &'a [String],
}

#[derive(Serialize)]
struct CatalogInfo<'a> {
    generated_at: &'a str,
    default_release: &'a str,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Item<'a> {
    Ok(Box<Success<'a>>),
    Failed { path: String, error: String },
}

#[derive(Serialize)]
struct Success<'a> {
    path: String,
    /// `elf`, or the foreign format (`mach-o`, `pe`, ...).
    artifact: String,
    /// `executable`, `pie-executable`, `shared-library`, ...; `null` for foreign files.
    kind: Option<String>,
    platform: Option<&'a str>,
    linkage: Option<&'a str>,
    interpreter: Option<&'a RawText>,
    needed: &'a [RawText],
    verdict: WireVerdict<'a>,
    reasons: &'a [Reason],
    to_go_smaller: &'a [String],
    copy_beside: &'a [String],
    notes: &'a [String],
    /// Filesystem needs, each with whether it counted (`counted`, `not-counted`, `ignored`).
    needs: &'a [NeedDecision],
    /// The toolchain that built it, when its records say so.
    toolchain: Option<&'a Toolchain>,
    #[serde(skip_serializing_if = "Option::is_none")]
    libraries: Option<&'a [TreeLine]>,
    facts: WireFacts<'a>,
}

#[derive(Serialize)]
struct WireVerdict<'a> {
    tier: Tier,
    image: Option<&'a str>,
    release: Option<&'a str>,
    packages: &'a [String],
}

#[derive(Serialize)]
#[serde(untagged)]
enum WireFacts<'a> {
    Elf(WireElf<'a>),
    Foreign(&'a ForeignFacts),
    Script(&'a crate::inspect::ScriptFacts),
    Java(&'a crate::inspect::JavaFacts),
}

#[derive(Serialize)]
struct WireElf<'a> {
    #[serde(flatten)]
    facts: &'a ElfFacts,
    /// Version needs grouped by library (libraries sorted by name).
    version_needs_by_library: BTreeMap<String, Vec<String>>,
}

pub fn render(
    out: &mut impl Write,
    outcomes: &[Outcome],
    directories: &[super::DirectoryOutcome],
    catalog: &crate::catalog::CatalogIndex,
    verbose: bool,
) -> io::Result<()> {
    let results = outcomes
        .iter()
        .map(|o| match &o.result {
            Err(e) => Item::Failed {
                path: escape_path(&o.path),
                error: e.to_string(),
            },
            Ok((facts, verdict)) => Item::Ok(Box::new(success(&o.path, facts, verdict, verbose))),
        })
        .collect();
    let doc = Document {
        schema_version: OUTPUT_SCHEMA_VERSION,
        catalog: CatalogInfo {
            generated_at: &catalog.provenance.generated_at,
            default_release: &catalog.default_release,
        },
        results,
        directories: directories
            .iter()
            .map(|d| WireDirectory {
                path: escape_path(&d.path),
                verdict: &d.verdict,
                files: outcomes[d.files.clone()]
                    .iter()
                    .map(|o| escape_path(&o.path))
                    .collect(),
                skipped: &d.skipped,
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(io::Error::other)?;
    writeln!(out)
}

fn success<'a>(
    path: &std::path::Path,
    facts: &'a Facts,
    v: &'a Verdict,
    verbose: bool,
) -> Success<'a> {
    let verdict = WireVerdict {
        tier: v.tier,
        image: v.image.as_deref(),
        release: v.release.as_deref(),
        packages: &v.packages,
    };
    let common =
        |artifact: String, kind, platform, linkage, interpreter, needed, toolchain, facts| {
            Success {
                path: escape_path(path),
                artifact,
                kind,
                platform,
                linkage,
                interpreter,
                needed,
                verdict,
                reasons: &v.reasons,
                to_go_smaller: &v.to_go_smaller,
                copy_beside: &v.copy_beside,
                notes: &v.notes,
                needs: &v.needs,
                toolchain,
                libraries: verbose.then_some(v.tree.as_slice()),
                facts,
            }
        };
    match facts {
        Facts::Elf(e) => {
            let mut by_lib: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for vn in &e.version_needs {
                by_lib
                    .entry(vn.library.to_string())
                    .or_default()
                    .extend(vn.versions.iter().map(ToString::to_string));
            }
            common(
                "elf".into(),
                Some(kind_name(e)),
                e.platform.as_deref(),
                e.linkage.map(|l| l.as_str()),
                e.interpreter.as_ref(),
                &e.needed,
                e.toolchain.as_ref(),
                WireFacts::Elf(WireElf {
                    facts: e,
                    version_needs_by_library: by_lib,
                }),
            )
        }
        Facts::Foreign(f) => common(
            f.format.to_lowercase().replace(' ', "-"),
            None,
            None,
            None,
            None,
            &[],
            None,
            WireFacts::Foreign(f),
        ),
        Facts::Script(sf) => common(
            "script".into(),
            Some(if sf.zipapp { "zipapp" } else { "script" }.into()),
            None,
            None,
            None,
            &[],
            None,
            WireFacts::Script(sf),
        ),
        Facts::Java(j) => common(
            "java".into(),
            Some(
                serde_json::to_value(j.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
            ),
            None,
            None,
            None,
            &[],
            None,
            WireFacts::Java(j),
        ),
    }
}

fn kind_name(e: &ElfFacts) -> String {
    serde_json::to_value(e.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}
