//! The JSON output is the documented contract: every document whichbase prints must validate
//! against `docs/output.schema.json` (closed objects: an undocumented field fails), and every
//! documented field must appear in some output.

use crate::common::{self, testdata, whichbase};
use serde_json::Value;
use std::collections::BTreeSet;

/// A validator for the subset of JSON Schema the committed schema uses: type, enum,
/// properties, required, additionalProperties: false, items, oneOf.
fn validate(
    schema: &Value,
    v: &Value,
    at: &str,
    errors: &mut Vec<String>,
    seen: &mut BTreeSet<String>,
) {
    if let Some(types) = schema.get("type") {
        let names: Vec<&str> = match types {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let actual = match v {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        if !names.contains(&actual) {
            errors.push(format!("{at}: {actual} is not {names:?}"));
            return;
        }
    }
    if let Some(Value::Array(allowed)) = schema.get("enum") {
        if !allowed.contains(v) {
            errors.push(format!("{at}: {v} not in {allowed:?}"));
        }
    }
    if let Some(Value::Array(options)) = schema.get("oneOf") {
        let matching: Vec<usize> = options
            .iter()
            .enumerate()
            .filter(|(_, o)| {
                let mut e = Vec::new();
                validate(o, v, at, &mut e, &mut BTreeSet::new());
                e.is_empty()
            })
            .map(|(i, _)| i)
            .collect();
        if matching.len() != 1 {
            errors.push(format!("{at}: matches {} of oneOf", matching.len()));
        } else {
            validate(&options[matching[0]], v, at, errors, seen);
        }
    }
    if let (Some(Value::Object(props)), Value::Object(obj)) = (schema.get("properties"), v) {
        for req in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let req = req.as_str().unwrap_or_default();
            if !obj.contains_key(req) {
                errors.push(format!("{at}: missing required {req}"));
            }
        }
        for (k, val) in obj {
            match props.get(k) {
                Some(s) => {
                    seen.insert(format!("{at}.{k}"));
                    validate(s, val, &format!("{at}.{k}"), errors, seen);
                }
                None if schema.get("additionalProperties") == Some(&Value::Bool(false)) => {
                    errors.push(format!("{at}: undocumented field {k}"))
                }
                None => {}
            }
        }
    }
    if let (Some(items), Value::Array(arr)) = (schema.get("items"), v) {
        for val in arr {
            validate(items, val, &format!("{at}[]"), errors, seen);
        }
    }
}

#[test]
fn json_output_matches_the_documented_schema() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(common::root().join("docs/output.schema.json")).unwrap(),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty");
    std::fs::write(&empty, b"").unwrap();
    let mut seen = BTreeSet::new();
    let mut errors = Vec::new();
    let runs: Vec<Vec<std::ffi::OsString>> = vec![
        vec![
            "-v".into(),
            testdata("cxx-dynamic").into(),
            testdata("c-libpq").into(),
            testdata("c-static").into(),
        ],
        vec![
            testdata("musl-dynamic").into(),
            testdata("c-origin").into(),
            empty.clone().into(),
            testdata("libshared.so").into(),
        ],
    ];
    for args in runs {
        let out = whichbase()
            .args(["--format", "json"])
            .args(&args)
            .output()
            .unwrap();
        let doc: Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
        validate(&schema, &doc, "$", &mut errors, &mut seen);
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    // Every documented result field was produced by at least one of these runs.
    for field in [
        "path",
        "error",
        "artifact",
        "kind",
        "platform",
        "linkage",
        "interpreter",
        "needed",
        "verdict",
        "reasons",
        "to_go_smaller",
        "copy_beside",
        "notes",
        "libraries",
        "facts",
    ] {
        assert!(
            seen.contains(&format!("$.results[].{field}")),
            "documented field {field} never appeared"
        );
    }
}

#[test]
fn readme_documents_every_result_field() {
    let readme = std::fs::read_to_string(common::root().join("README.md")).unwrap();
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(common::root().join("docs/output.schema.json")).unwrap(),
    )
    .unwrap();
    let success = &schema["properties"]["results"]["items"]["oneOf"][1]["properties"];
    for field in success.as_object().unwrap().keys() {
        assert!(
            readme.contains(&format!("`{field}`")),
            "README.md does not document `{field}`"
        );
    }
}

/// `-v` lists the libraries as the loader would find them in the chosen image; without it the
/// verdict builds no tree and the key is absent (a directory keeps every outcome until it
/// prints, so what only `-v` shows is not built for the others).
#[test]
fn the_library_tree_is_built_for_verbose_output_only() {
    let program = testdata("c-dynamic");
    let run = |verbose: bool| -> Value {
        let mut cmd = whichbase();
        cmd.args(["--format", "json"]);
        if verbose {
            cmd.arg("-v");
        }
        let out = cmd.arg(&program).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
        serde_json::from_slice::<Value>(&out.stdout).unwrap()["results"][0].clone()
    };
    let verbose = run(true);
    let libc = verbose["libraries"]
        .as_array()
        .expect("libraries with -v")
        .iter()
        .find(|l| l["library"] == "libc.so.6")
        .cloned()
        .expect("libc.so.6 in the tree");
    assert_eq!(libc["package"], "libc6", "{libc}");
    assert!(
        libc["found"]
            .as_str()
            .is_some_and(|p| p.ends_with("/libc.so.6")),
        "{libc}"
    );
    assert!(run(false).get("libraries").is_none());
}
