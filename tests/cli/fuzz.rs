//! Issue 7: a short coverage-guided fuzz run of every target in `fuzz/`, on the stable
//! toolchain. The targets are built the way cargo-fuzz builds them without a sanitizer
//! (LLVM's sanitizer-coverage instrumentation and libFuzzer), which stable rustc allows; a
//! panic, an abort, a timeout or running out of memory in any target fails the test, and the
//! input that did it is kept under target/fuzz-stable/artifacts/. Long runs: fuzz/run.sh.

use crate::common::{self, stderr, stdout};
use std::path::PathBuf;
use std::process::Command;

/// Seconds each target runs here (fuzz/run.sh runs them for minutes).
const SECONDS: u32 = 15;
const TARGETS: [&str; 4] = ["inspect", "layers", "image", "catalog"];

fn host_triple() -> String {
    let o = Command::new("rustc")
        .arg("-vV")
        .output()
        .expect("rustc runs");
    stdout(&o)
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .expect("rustc -vV names the host")
        .to_string()
}

#[test]
fn a_short_fuzz_run_of_every_target_finds_nothing() {
    let root = common::root();
    let out = root.join("target/fuzz-stable");
    let triple = host_triple();
    // What `cargo fuzz build --sanitizer none` sets, spelled out for stable cargo.
    let rustflags = "-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
        -Cllvm-args=-sanitizer-coverage-inline-8bit-counters \
        -Cllvm-args=-sanitizer-coverage-pc-table \
        -Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions";
    let o = Command::new("cargo")
        .args(["build", "--release", "--bins", "--manifest-path"])
        .arg(root.join("fuzz/Cargo.toml"))
        .args(["--target", &triple, "--target-dir"])
        .arg(&out)
        .env("RUSTFLAGS", rustflags)
        .env_remove("CARGO_TARGET_DIR")
        .output()
        .expect("cargo runs");
    assert!(
        o.status.success(),
        "building the fuzz targets: {}",
        stderr(&o)
    );
    let corpus = out.join("corpus");
    let _ = std::fs::remove_dir_all(&corpus);
    let o = Command::new("bash")
        .arg(root.join("fuzz/seed.sh"))
        .env("FUZZ_CORPUS", &corpus)
        .output()
        .expect("bash runs");
    assert!(o.status.success(), "seeding: {}{}", stdout(&o), stderr(&o));
    for t in TARGETS {
        let bin: PathBuf = out.join(&triple).join("release").join(t);
        let artifacts = out.join("artifacts").join(t);
        std::fs::create_dir_all(&artifacts).unwrap();
        let o = Command::new(&bin)
            .arg(corpus.join(t))
            .arg(format!("-max_total_time={SECONDS}"))
            .args([
                "-max_len=270000",
                "-rss_limit_mb=2048",
                "-timeout=10",
                "-print_final_stats=1",
                // A fixed seed: the same build and corpus explore the same inputs first.
                "-seed=1",
            ])
            .arg(format!("-artifact_prefix={}/", artifacts.display()))
            .output()
            .expect("the fuzz target runs");
        let log = stderr(&o);
        let execs = log
            .lines()
            .find_map(|l| l.strip_prefix("stat::number_of_executed_units:"))
            .map(|n| n.trim().to_string())
            .unwrap_or_default();
        assert!(
            o.status.success(),
            "fuzz target {t} found a failure (input kept in {}):\n{}",
            artifacts.display(),
            log.lines().rev().take(40).collect::<Vec<_>>().join("\n")
        );
        // It really ran: libFuzzer counted executions beyond the seeds.
        let n: u64 = execs.parse().unwrap_or(0);
        assert!(n > 100, "{t}: only {n} executions:\n{log}");
        eprintln!("fuzz {t}: {n} executions in {SECONDS} s");
    }
}
