//! The final judge: each testdata program is run, with `chroot`, inside the root filesystem of
//! the image whichbase recommends (built by `scripts/debian.py rootfs` from the same Debian
//! packages the catalog names, as the archive serves them today), and inside the image just
//! below it. It must print its `ok` line in the first and fail in the second. A `none` verdict
//! must fail in every tier. Runs as root (CI does); amd64 programs only (no emulator here).
//!
//! When a verdict does not hold and the archive's package versions differ from the catalog's,
//! the test reports the catalog as stale instead of failing the verdict.

use crate::common::{self, json_result, testdata};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

/// Built root filesystems, keyed by (release, image, extra packages), shared by the tests.
static ROOTS: Mutex<BTreeMap<String, PathBuf>> = Mutex::new(BTreeMap::new());

fn roots_dir() -> PathBuf {
    let d = common::root().join("target/chroot-roots");
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The root filesystem of `image` (a tier name, `scratch` or `distro`) for `release`.
fn rootfs(release: &str, image: &str, packages: &[String]) -> PathBuf {
    let key = format!(
        "{release}-{image}{}",
        packages.iter().map(|p| format!("+{p}")).collect::<String>()
    );
    let mut roots = ROOTS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(p) = roots.get(&key) {
        return p.clone();
    }
    let dir = roots_dir().join(&key);
    let mut cmd = Command::new("python3");
    cmd.arg(common::root().join("scripts/debian.py"))
        .args([
            "rootfs",
            "--release",
            release,
            "--arch",
            "amd64",
            "--image",
            image,
            "--force",
            "--out",
        ])
        .arg(&dir);
    for p in packages {
        cmd.args(["--add-package", p]);
    }
    let out = cmd.output().expect("python3 runs");
    assert!(
        out.status.success(),
        "building the {key} root failed: {}",
        common::stderr(&out)
    );
    roots.insert(key, dir.clone());
    dir
}

/// Copies the program (and for $ORIGIN programs, its lib/ directory) into /app of a fresh copy
/// of the root, runs it with chroot, and says whether it printed its ok line.
fn runs_in(root: &Path, program: &Path) -> (bool, String) {
    let app = root.join("app");
    let _ = std::fs::remove_dir_all(&app);
    std::fs::create_dir_all(app.join("lib")).unwrap();
    std::fs::copy(program, app.join("prog")).unwrap();
    for entry in std::fs::read_dir(program.parent().unwrap().join("lib"))
        .into_iter()
        .flatten()
        .flatten()
    {
        std::fs::copy(entry.path(), app.join("lib").join(entry.file_name())).unwrap();
    }
    let out = Command::new("chroot")
        .arg(root)
        .arg("/app/prog")
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .output()
        .expect("chroot runs");
    let text = format!("{}{}", common::stdout(&out), common::stderr(&out));
    let _ = std::fs::remove_dir_all(&app);
    (
        out.status.success() && text.starts_with("ok"),
        text.trim().to_string(),
    )
}

const LADDER: [&str; 6] = ["scratch", "static", "base-nossl", "base", "cc", "distro"];

/// Package versions the catalog recorded that the archive no longer serves.
fn stale_packages(release: &str) -> Vec<String> {
    let catalog: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            common::root().join(format!("src/catalog/data/{release}-amd64.json")),
        )
        .unwrap(),
    )
    .unwrap();
    let staging_path = std::env::var("WHICHBASE_CACHE")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cache/whichbase")
        })
        .join("debian/staging.json");
    let Ok(text) = std::fs::read_to_string(staging_path) else {
        return vec!["(no staging.json to compare)".into()];
    };
    let staging: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    let served = &staging["releases"][release]["arches"]["amd64"]["packages"];
    let mut stale = Vec::new();
    for (name, pkg) in catalog["packages"].as_object().into_iter().flatten() {
        let ours = pkg["version"].as_str().unwrap_or_default();
        let today = served[name]["version"].as_str().unwrap_or_default();
        if ours != today {
            stale.push(format!("{name} {ours} (archive: {today})"));
        }
    }
    stale
}

fn judge(name: &str, release: &str) -> Result<String, String> {
    let program = testdata(name);
    let r = json_result(&program, &["--release", release]);
    let tier = r["verdict"]["tier"].as_str().unwrap_or("?").to_string();
    let packages: Vec<String> = r["verdict"]["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p.as_str().map(str::to_string))
        .collect();
    let verdict_holds = |runs: bool, root: &str| -> Result<(), String> {
        let _ = runs;
        let stale = stale_packages(release);
        if stale.is_empty() {
            Err(format!("{name} ({release}): verdict {tier}: {root}"))
        } else {
            eprintln!("catalog is stale for {release}: {}", stale.join(", "));
            Ok(())
        }
    };
    if tier == "none" {
        for t in LADDER {
            let (ok, out) = runs_in(&rootfs(release, t, &[]), &program);
            if ok {
                verdict_holds(ok, &format!("verdict none, but it runs in {t}: {out}"))?;
            }
        }
        return Ok(format!("{name} ({release}): none, fails in every tier"));
    }
    let pos = LADDER
        .iter()
        .position(|t| *t == tier)
        .ok_or(format!("{name}: tier {tier} is not judged here"))?;
    let (ok, out) = runs_in(&rootfs(release, &tier, &packages), &program);
    if !ok {
        verdict_holds(ok, &format!("does not run there: {out}"))?;
    }
    if pos > 0 {
        // The image just below; for distro with extra packages, the same slim image without them.
        let (below, below_pkgs): (&str, Vec<String>) = if tier == "distro" && !packages.is_empty() {
            ("distro", Vec::new())
        } else {
            (LADDER[pos - 1], Vec::new())
        };
        let (ok_below, out_below) = runs_in(&rootfs(release, below, &below_pkgs), &program);
        if ok_below {
            verdict_holds(
                ok_below,
                &format!("also runs in the smaller {below}: {out_below}"),
            )?;
        }
    }
    Ok(format!(
        "{name} ({release}): runs in {tier}{}, not below",
        if packages.is_empty() {
            String::new()
        } else {
            format!(" + {}", packages.join(" "))
        }
    ))
}

fn judge_all(release: &str) {
    let programs = [
        "c-dynamic",
        "c-relr",
        "c-libssl",
        "cxx-dynamic",
        "rust-default",
        "c-zlib",
        "c-libpq",
        "c-static",
        "c-static-pie",
        "rust-static-pie",
        "musl-static",
        "musl-dynamic",
        "go-static",
        "go-cgo",
        "c-origin",
        "c-rpath",
        "c-dlopen",
        "zig-glibc238",
        "zig-glibc-future",
    ];
    let mut failures = Vec::new();
    for p in programs {
        match judge(p, release) {
            Ok(line) => eprintln!("{line}"),
            Err(e) => failures.push(e),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn verdicts_hold_when_run_in_debian13_roots() {
    judge_all("debian13");
}

#[test]
fn verdicts_hold_when_run_in_debian12_roots() {
    judge_all("debian12");
}
