//! Shared helpers: where things are, and running the built binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A program built by testdata/build.sh. Fails (does not skip) when it is missing.
pub fn testdata(name: &str) -> PathBuf {
    let p = root().join("testdata/out").join(name);
    assert!(
        p.exists(),
        "{} is missing: run testdata/build.sh first (README's test command does)",
        p.display()
    );
    p
}

pub fn whichbase() -> Command {
    Command::new(env!("CARGO_BIN_EXE_whichbase"))
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs whichbase with `--format json` on one file and returns its single result.
pub fn json_result(path: &Path, extra: &[&str]) -> serde_json::Value {
    let mut cmd = whichbase();
    cmd.arg("--format").arg("json").args(extra).arg(path);
    let o = cmd.output().expect("whichbase runs");
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("JSON for {}: {e}\nstderr: {}", path.display(), stderr(&o)));
    doc["results"][0].clone()
}

pub fn tier_of(path: &Path, extra: &[&str]) -> String {
    json_result(path, extra)["verdict"]["tier"]
        .as_str()
        .unwrap_or("?")
        .to_string()
}

/// The download cache the test scripts share: `$WHICHBASE_CACHE`, default
/// `~/.cache/whichbase`.
pub fn cache_dir() -> PathBuf {
    std::env::var_os("WHICHBASE_CACHE")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache/whichbase")
        })
}
