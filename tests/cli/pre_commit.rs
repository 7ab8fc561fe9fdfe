//! `.pre-commit-hooks.yaml`, run by the real pre-commit from PyPI.
//!
//! pre-commit installs from a git repository at a revision, so the test commits the current
//! tree (with uncommitted changes: it is what is under test) into a repository in the cache,
//! as a commit that depends on the tree only: the same tree is the same revision, and
//! pre-commit reuses the environment it built for it. pre-commit's own venv, its home and
//! cargo's target directory for the `language: rust` hook are cached under
//! `$WHICHBASE_CACHE/pre-commit`, so only the first run builds whichbase's dependencies
//! (about a minute on two cores) and a changed tree rebuilds only whichbase.

use crate::common::{self, stderr, stdout, testdata};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The pre-commit release the test runs, pinned so that a new release cannot change the
/// result silently.
const PRE_COMMIT: &str = "pre-commit==4.7.0";

fn cache() -> PathBuf {
    let dir = common::cache_dir().join("pre-commit");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(cmd: &mut Command, what: &str) -> Output {
    let o = cmd
        .env_remove("GIT_DIR")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_WORK_TREE")
        .output()
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        o.status.success(),
        "{what} failed: {}{}",
        stdout(&o),
        stderr(&o)
    );
    o
}

/// A venv with pre-commit, made once. Built beside its final place and renamed into it, so
/// that a run that stops half-way, or a concurrent one, never leaves a half-made venv; it is
/// used through `python -m pre_commit`, which does not care where the venv was made.
fn pre_commit_python() -> PathBuf {
    static ONCE: OnceLock<PathBuf> = OnceLock::new();
    ONCE.get_or_init(make_venv).clone()
}

fn make_venv() -> PathBuf {
    let venv = cache().join("venv");
    let python = venv.join("bin/python");
    if python.exists() {
        return python;
    }
    let building = cache().join(format!("venv.tmp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&building);
    let o = Command::new("/usr/bin/python3")
        .args(["-m", "venv"])
        .arg(&building)
        .output()
        .expect("Debian's python3 runs (apt-get install python3)");
    assert!(
        o.status.success(),
        "python3 -m venv failed (apt-get install python3-venv; .ci/run does): {}",
        stderr(&o)
    );
    run(
        Command::new(building.join("bin/python")).args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            PRE_COMMIT,
        ]),
        "pip install pre-commit",
    );
    if std::fs::rename(&building, &venv).is_err() {
        // Another run made it first.
        let _ = std::fs::remove_dir_all(&building);
    }
    python
}

/// Commits the working tree (tracked and untracked files, `.gitignore` respected) into a
/// repository in the cache, with a fixed author and date and no parent, and returns the
/// repository and the commit.
fn commit_this_tree() -> (PathBuf, String) {
    static ONCE: OnceLock<(PathBuf, String)> = OnceLock::new();
    ONCE.get_or_init(make_commit).clone()
}

fn make_commit() -> (PathBuf, String) {
    let repo = cache().join("hooks.git");
    let git = |args: &[&str], index: &Path| {
        let o = run(
            Command::new("git")
                .arg("--git-dir")
                .arg(&repo)
                .arg("--work-tree")
                .arg(common::root())
                .args(args)
                .env("GIT_INDEX_FILE", index)
                .env("GIT_AUTHOR_NAME", "whichbase tests")
                .env("GIT_AUTHOR_EMAIL", "tests@whichbase.invalid")
                .env("GIT_AUTHOR_DATE", "2000-01-01T00:00:00Z")
                .env("GIT_COMMITTER_NAME", "whichbase tests")
                .env("GIT_COMMITTER_EMAIL", "tests@whichbase.invalid")
                .env("GIT_COMMITTER_DATE", "2000-01-01T00:00:00Z"),
            &format!("git {}", args.join(" ")),
        );
        stdout(&o).trim().to_string()
    };
    if !repo.join("HEAD").exists() {
        run(
            Command::new("git")
                .args(["init", "--quiet", "--bare"])
                .arg(&repo),
            "git init",
        );
    }
    // A private index: concurrent runs never share one.
    let scratch = tempfile::tempdir().unwrap();
    let index = scratch.path().join("index");
    // Ignored paths (target/, testdata/out/) stay out, as in a clone.
    git(&["add", "--all", "--", "."], &index);
    let tree = git(&["write-tree"], &index);
    assert!(
        git(&["ls-tree", "--name-only", &tree], &index)
            .lines()
            .any(|l| l == ".pre-commit-hooks.yaml"),
        "the tree has no .pre-commit-hooks.yaml"
    );
    let commit = git(
        &["commit-tree", &tree, "-m", "whichbase under test"],
        &index,
    );
    // A branch per tree keeps the commit reachable for pre-commit's clone.
    git(
        &["update-ref", &format!("refs/heads/t{tree}"), &commit],
        &index,
    );
    (repo, commit)
}

/// A throwaway repository whose `.pre-commit-config.yaml` uses `hook` from the hooks
/// repository with `args`, and whose pre-commit hook is installed. Returns the repository.
fn project(dir: &Path, hooks: &(PathBuf, String), hook: &str, args: &[&str]) -> PathBuf {
    let work = dir.join(hook);
    std::fs::create_dir_all(&work).unwrap();
    run(
        Command::new("git")
            .args(["init", "--quiet"])
            .current_dir(&work),
        "git init",
    );
    let args: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
    std::fs::write(
        work.join(".pre-commit-config.yaml"),
        format!(
            "repos:\n  - repo: {}\n    rev: {}\n    hooks:\n      - id: {hook}\n        args: [{}]\n",
            hooks.0.display(),
            hooks.1,
            args.join(", ")
        ),
    )
    .unwrap();
    std::fs::write(work.join("README"), "a project\n").unwrap();
    run(pre_commit(&work).args(["install"]), "pre-commit install");
    run(
        Command::new("git").args(["add", "."]).current_dir(&work),
        "git add",
    );
    work
}

/// pre-commit (the cached venv's) in `work`, with its home and cargo's target dir cached.
fn pre_commit(work: &Path) -> Command {
    let mut cmd = Command::new(pre_commit_python());
    cmd.args(["-m", "pre_commit"])
        .current_dir(work)
        .env("PRE_COMMIT_HOME", cache().join("home"))
        .env("CARGO_TARGET_DIR", cache().join("target"));
    cmd
}

/// `git commit` in `work`, which runs the installed pre-commit hook. Returns its output.
fn git_commit(work: &Path) -> Output {
    Command::new("git")
        .args(["commit", "--quiet", "-m", "change"])
        .current_dir(work)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@t.invalid")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@t.invalid")
        .env("PRE_COMMIT_HOME", cache().join("home"))
        .env("CARGO_TARGET_DIR", cache().join("target"))
        .env_remove("GIT_DIR")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_WORK_TREE")
        .output()
        .expect("git runs")
}

#[test]
fn pre_commit_rust_hook_passes_a_static_program_and_refuses_a_dynamic_one() {
    let hooks = commit_this_tree();
    let dir = tempfile::tempdir().unwrap();
    let static_program = testdata("c-static");
    let ok = project(
        dir.path(),
        &hooks,
        "whichbase",
        &["--max", "static", static_program.to_str().unwrap()],
    );
    let o = git_commit(&ok);
    let out = format!("{}{}", stdout(&o), stderr(&o));
    assert!(o.status.success(), "the commit was refused: {out}");
    assert!(out.contains("whichbase") && out.contains("Passed"), "{out}");

    let dynamic_program = testdata("cxx-dynamic");
    let refused = dir.path().join("refused");
    std::fs::rename(&ok, &refused).unwrap();
    std::fs::write(
        refused.join(".pre-commit-config.yaml"),
        std::fs::read_to_string(refused.join(".pre-commit-config.yaml"))
            .unwrap()
            .replace(
                static_program.to_str().unwrap(),
                dynamic_program.to_str().unwrap(),
            ),
    )
    .unwrap();
    run(
        Command::new("git").args(["add", "."]).current_dir(&refused),
        "git add",
    );
    let o = git_commit(&refused);
    let out = format!("{}{}", stdout(&o), stderr(&o));
    assert!(!o.status.success(), "the commit went through: {out}");
    assert!(
        out.contains("Failed") && out.contains("exit code: 1"),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "whichbase: {}: needs cc  gcr.io/distroless/cc-debian13 (over --max static): libstdc++.so.6, libgcc_s.so.1",
            dynamic_program.display()
        )),
        "whichbase's gate line is missing: {out}"
    );
}

/// The `language: system` hook runs the whichbase on PATH: here, the one under test.
#[test]
fn pre_commit_system_hook_runs_the_whichbase_on_path() {
    let hooks = commit_this_tree();
    let dir = tempfile::tempdir().unwrap();
    let dynamic_program = testdata("cxx-dynamic");
    let work = project(
        dir.path(),
        &hooks,
        "whichbase-system",
        &["--max", "cc", dynamic_program.to_str().unwrap()],
    );
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_whichbase")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let o = pre_commit(&work)
        .args(["run", "--all-files"])
        .env("PATH", &path)
        .output()
        .unwrap();
    let out = format!("{}{}", stdout(&o), stderr(&o));
    assert!(o.status.success(), "cc is within --max cc: {out}");
    assert!(out.contains("Passed"), "{out}");
    std::fs::write(
        work.join(".pre-commit-config.yaml"),
        std::fs::read_to_string(work.join(".pre-commit-config.yaml"))
            .unwrap()
            .replace("'cc'", "'base'"),
    )
    .unwrap();
    run(
        Command::new("git").args(["add", "."]).current_dir(&work),
        "git add",
    );
    let o = pre_commit(&work)
        .args(["run", "--all-files"])
        .env("PATH", &path)
        .output()
        .unwrap();
    let out = format!("{}{}", stdout(&o), stderr(&o));
    assert_eq!(o.status.code(), Some(1), "over --max base: {out}");
    assert!(out.contains("(over --max base)"), "{out}");
}
