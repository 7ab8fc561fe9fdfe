//! Verdicts on the testdata programs, and `--max` as a CI gate with its exit codes.

use crate::common::{self, json_result, testdata, tier_of, whichbase};

#[test]
fn each_testdata_program_gets_the_image_it_was_built_for() {
    let cases = [
        ("c-static", "scratch"),
        ("c-static-pie", "scratch"),
        ("rust-static-pie", "scratch"),
        ("musl-static", "scratch"),
        ("go-static", "scratch"),
        ("zig-aarch64-musl", "scratch"),
        ("c-dynamic", "base-nossl"),
        ("c-relr", "base-nossl"),
        ("go-cgo", "base-nossl"),
        ("c-dlopen", "base"),
        ("c-aarch64", "base-nossl"),
        ("c-libssl", "base"),
        ("cxx-dynamic", "cc"),
        ("rust-default", "cc"),
        ("c-libpq", "distro"),
        ("musl-dynamic", "none"),
        ("zig-glibc-future", "none"),
        ("c-nix-interp", "none"),
        ("zig-i386", "none"),
        ("zig-armhf", "base-nossl"),
        ("zig-riscv64", "base-nossl"),
        ("zig-s390x", "base-nossl"),
        ("zig-ppc64le", "base-nossl"),
    ];
    let mut wrong = Vec::new();
    for (name, want) in cases {
        let got = tier_of(&testdata(name), &[]);
        if got != want {
            wrong.push(format!("{name}: want {want}, got {got}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn images_carry_their_release_suffix() {
    let r = json_result(&testdata("cxx-dynamic"), &[]);
    assert_eq!(r["verdict"]["image"], "gcr.io/distroless/cc-debian13");
    assert_eq!(r["verdict"]["release"], "debian13");
    let r = json_result(&testdata("cxx-dynamic"), &["--release", "debian12"]);
    assert_eq!(r["verdict"]["image"], "gcr.io/distroless/cc-debian12");
    let r = json_result(&testdata("c-aarch64"), &[]);
    assert_eq!(r["platform"], "linux/arm64");
    assert_eq!(
        r["verdict"]["image"],
        "gcr.io/distroless/base-nossl-debian13"
    );
}

#[test]
fn a_newer_glibc_fits_debian13_only_and_says_why() {
    let r = json_result(&testdata("zig-glibc238"), &[]);
    assert_eq!(r["verdict"]["tier"], "base-nossl");
    assert_eq!(r["verdict"]["release"], "debian13");
    let notes = r["notes"].to_string();
    assert!(
        notes.contains("fits debian13 only") && notes.contains("GLIBC_2.38"),
        "{notes}"
    );
    let pinned = json_result(&testdata("zig-glibc238"), &["--release", "debian12"]);
    assert_eq!(pinned["verdict"]["tier"], "none");
    assert!(
        pinned["reasons"].to_string().contains("glibc 2.36"),
        "{}",
        pinned["reasons"]
    );
}

#[test]
fn a_glibc_newer_than_every_release_is_none_with_a_fix() {
    let r = json_result(&testdata("zig-glibc-future"), &[]);
    assert_eq!(r["verdict"]["tier"], "none");
    let reasons = r["reasons"].to_string();
    assert!(reasons.contains("GLIBC_2.42"), "{reasons}");
    let notes = r["notes"].to_string();
    assert!(
        notes.contains("older glibc") || notes.contains("statically"),
        "{notes}"
    );
}

#[test]
fn libraries_outside_distroless_name_their_debian_packages() {
    let r = json_result(&testdata("c-libpq"), &[]);
    assert_eq!(r["verdict"]["tier"], "distro");
    assert_eq!(r["verdict"]["image"], "debian:13-slim");
    assert_eq!(r["verdict"]["packages"], serde_json::json!(["libpq5"]));
    // libz is in base on debian13 (libssl3t64 needs it) but in no distroless debian12 image;
    // debian:12-slim has zlib1g already, so nothing needs installing there.
    assert_eq!(tier_of(&testdata("c-zlib"), &[]), "base");
    let d12 = json_result(&testdata("c-zlib"), &["--release", "debian12"]);
    assert_eq!(d12["verdict"]["tier"], "distro");
    assert_eq!(d12["verdict"]["packages"], serde_json::json!([]));
}

#[test]
fn origin_libraries_must_be_copied_beside_the_program() {
    for name in ["c-origin", "c-rpath"] {
        let r = json_result(&testdata(name), &[]);
        assert_eq!(r["verdict"]["tier"], "base-nossl", "{name}");
        assert_eq!(
            r["copy_beside"],
            serde_json::json!(["libfoo.so.1"]),
            "{name}"
        );
    }
}

/// The libraries a program finds beside it through `$ORIGIN` are read (as the loader would
/// find them) and their own needs decided with the program; the chroot judge
/// (`verdicts_hold_when_run_in_*_roots`) runs both programs.
#[test]
fn libraries_beside_the_program_are_read_and_their_needs_counted() {
    // The RPATH reaches libchain's own need, libbar: both are copied, nothing else is needed.
    let r = json_result(&testdata("c-rpath-chain"), &[]);
    assert_eq!(r["verdict"]["tier"], "base-nossl", "{r}");
    assert_eq!(
        r["copy_beside"],
        serde_json::json!(["libbar.so.1", "libchain.so.1"]),
        "{r}"
    );
    assert_eq!(
        r["needed"],
        serde_json::json!(["libchain.so.1", "libc.so.6"])
    );
    // A RUNPATH finds libchain but not libbar for it: the program cannot start anywhere, and
    // the note says why and how to fix it.
    let r = json_result(&testdata("c-runpath-chain"), &[]);
    assert_eq!(r["verdict"]["tier"], "none", "{r}");
    assert!(
        r["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["need"] == "libbar.so.1" && x["tier"] == "none"),
        "{r}"
    );
    let notes = r["notes"].to_string();
    assert!(
        notes.contains("libbar.so.1 is beside the program (lib/libbar.so.1), but the loader does not look there for lib/libchain.so.1"),
        "{notes}"
    );
    // Without the libraries on disk, the program is judged alone, as before.
    let dir = tempfile::tempdir().unwrap();
    let alone = dir.path().join("c-runpath-chain");
    std::fs::copy(testdata("c-runpath-chain"), &alone).unwrap();
    let r = json_result(&alone, &[]);
    assert_eq!(r["verdict"]["tier"], "base-nossl", "{r}");
    assert_eq!(r["copy_beside"], serde_json::json!(["libchain.so.1"]));
    // Only some of the libraries a program names are beside it: it is judged as if none were
    // (they are still to be copied), and the note says which one is missing.
    let partial = tempfile::tempdir().unwrap();
    std::fs::create_dir(partial.path().join("lib")).unwrap();
    let two = partial.path().join("c-origin-two");
    std::fs::copy(testdata("c-origin-two"), &two).unwrap();
    for lib in ["libchain.so.1", "libbar.so.1"] {
        std::fs::copy(
            testdata(&format!("lib/{lib}")),
            partial.path().join("lib").join(lib),
        )
        .unwrap();
    }
    let r = json_result(&two, &[]);
    assert_eq!(r["verdict"]["tier"], "base-nossl", "{r}");
    assert_eq!(
        r["copy_beside"],
        serde_json::json!(["libchain.so.1", "libfoo.so.1"])
    );
    assert!(
        r["notes"]
            .to_string()
            .contains("libfoo.so.1 not beside the program yet"),
        "{r}"
    );
    // With all of them there, they are read: its RUNPATH does not reach libbar for libchain.
    std::fs::copy(
        testdata("lib/libfoo.so.1"),
        partial.path().join("lib/libfoo.so.1"),
    )
    .unwrap();
    let r = json_result(&two, &[]);
    assert_eq!(r["verdict"]["tier"], "none", "{r}");
    // In a directory, the libraries are judged with the program that brings them.
    std::fs::create_dir(dir.path().join("lib")).unwrap();
    std::fs::remove_file(&alone).unwrap();
    std::fs::copy(testdata("c-rpath-chain"), dir.path().join("c-rpath-chain")).unwrap();
    for lib in ["libchain.so.1", "libbar.so.1"] {
        std::fs::copy(
            testdata(&format!("lib/{lib}")),
            dir.path().join("lib").join(lib),
        )
        .unwrap();
    }
    let o = whichbase()
        .args(["--max", "base-nossl"])
        .arg(dir.path())
        .output()
        .unwrap();
    let text = common::stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{text}{}", common::stderr(&o));
    assert!(
        text.lines().next().unwrap_or("").contains(": base-nossl"),
        "{text}"
    );
    for lib in ["libchain.so.1", "libbar.so.1"] {
        assert!(
            text.lines()
                .any(|l| l.contains(&format!("lib/{lib}: judged with "))
                    && l.ends_with("c-rpath-chain, which loads it from beside itself")),
            "{text}"
        );
    }
}

#[test]
fn every_verdict_says_what_would_make_it_smaller() {
    let r = json_result(&testdata("cxx-dynamic"), &[]);
    let s = r["to_go_smaller"].to_string();
    assert!(
        s.contains("libstdc++.so.6") && s.contains("to fit base"),
        "{s}"
    );
}

#[test]
fn max_gate_fails_when_a_program_needs_more_and_names_it() {
    let out = whichbase()
        .args(["--max", "static"])
        .arg(testdata("c-static"))
        .arg(testdata("c-dynamic"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = common::stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(
        lines[0].contains("c-dynamic")
            && lines[0].contains("base-nossl")
            && lines[0].contains("--max static"),
        "{err}"
    );
}

#[test]
fn max_gate_passes_at_or_above_the_need() {
    for max in ["base-nossl", "cc", "distro"] {
        let out = whichbase()
            .args(["--max", max])
            .arg(testdata("c-dynamic"))
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "--max {max}: {}",
            common::stderr(&out)
        );
    }
}

#[test]
fn input_errors_win_over_the_gate() {
    let out = whichbase()
        .args(["--max", "scratch"])
        .arg(testdata("c-dynamic"))
        .arg("/nonexistent/app")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(common::stdout(&out).contains("c-dynamic: base-nossl"));
}

#[test]
fn bad_usage_exits_2() {
    let out = whichbase().args(["--max", "huge", "x"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = whichbase()
        .args(["--release", "debian9"])
        .arg(testdata("c-dynamic"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_table_starts_with_the_verdict_line_and_lists_reasons() {
    let out = whichbase().arg(testdata("cxx-dynamic")).output().unwrap();
    let text = common::stdout(&out);
    let first = text.lines().next().unwrap_or("");
    assert!(
        first.ends_with("cxx-dynamic: cc  gcr.io/distroless/cc-debian13"),
        "{text}"
    );
    assert!(
        text.contains("libstdc++.so.6") && text.contains("need"),
        "{text}"
    );
    let v = whichbase()
        .arg("-v")
        .arg(testdata("cxx-dynamic"))
        .output()
        .unwrap();
    assert!(
        common::stdout(&v).contains("libstdc++.so.6 => /usr/lib/x86_64-linux-gnu/libstdc++.so.6"),
        "{}",
        common::stdout(&v)
    );
}

#[test]
fn foreign_files_get_none_with_what_they_are() {
    let dir = tempfile::tempdir().unwrap();
    // A minimal universal Mach-O header for arm64 + x86_64 (cputype 0x0100000c, 0x01000007).
    let mut fat = vec![0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2];
    for cpu in [0x0100_000cu32, 0x0100_0007] {
        fat.extend_from_slice(&cpu.to_be_bytes());
        fat.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0x40, 0, 0, 0, 0x10, 0, 0, 0, 0, 14]);
    }
    let p = dir.path().join("app-macos");
    std::fs::write(&p, &fat).unwrap();
    let r = json_result(&p, &[]);
    assert_eq!(r["verdict"]["tier"], "none");
    let reasons = r["reasons"].to_string();
    assert!(
        reasons.contains("arm64")
            && reasons.contains("x86_64")
            && reasons.contains("not a Linux program"),
        "{reasons}"
    );
}

#[test]
fn none_verdicts_name_the_cause_and_the_fix() {
    let nix = json_result(&testdata("c-nix-interp"), &[]);
    assert!(
        nix["reasons"].to_string().contains("Nix store path"),
        "{}",
        nix["reasons"]
    );
    assert!(
        nix["notes"]
            .to_string()
            .contains("patchelf --set-interpreter"),
        "{}",
        nix["notes"]
    );
    let musl = json_result(&testdata("musl-dynamic"), &[]);
    assert!(
        musl["reasons"].to_string().contains("musl loader"),
        "{}",
        musl["reasons"]
    );
    assert!(
        musl["notes"].to_string().contains("musl-gcc -static"),
        "{}",
        musl["notes"]
    );
    let i386 = json_result(&testdata("zig-i386"), &[]);
    assert_eq!(i386["platform"], "linux/386");
    assert!(
        i386["reasons"]
            .to_string()
            .contains("no image for linux/386"),
        "{}",
        i386["reasons"]
    );
}

#[test]
fn platforms_published_only_for_debian13_say_so() {
    let r = json_result(&testdata("zig-riscv64"), &[]);
    assert_eq!(r["platform"], "linux/riscv64");
    assert_eq!(
        r["verdict"]["image"],
        "gcr.io/distroless/base-nossl-debian13"
    );
    assert!(
        r["notes"]
            .to_string()
            .contains("debian12 is not published for linux/riscv64"),
        "{}",
        r["notes"]
    );
    let armhf = json_result(&testdata("zig-armhf"), &["--release", "debian12"]);
    assert_eq!(armhf["platform"], "linux/arm/v7");
    assert_eq!(
        armhf["verdict"]["image"],
        "gcr.io/distroless/base-nossl-debian12"
    );
}

/// Builds a program in `dir` linked against stub libraries with the given sonames.
fn program_needing(dir: &std::path::Path, sonames: &[&str], extra: &[&str]) -> std::path::PathBuf {
    let src = dir.join("m.c");
    std::fs::write(&src, "int main(void) { return 0; }\n").unwrap();
    let mut libs = Vec::new();
    for (i, so) in sonames.iter().enumerate() {
        let stub = dir.join(format!("stub{i}.c"));
        std::fs::write(&stub, format!("int stub{i}(void) {{ return {i}; }}\n")).unwrap();
        // The file stays inside `dir` whatever the soname is (a soname may be an absolute
        // path, which `join` would otherwise follow out of the directory).
        let lib = dir.join(format!("stub{i}.so"));
        let ok = std::process::Command::new("gcc")
            .args(["-shared", "-fPIC", &format!("-Wl,-soname,{so}"), "-o"])
            .arg(&lib)
            .arg(&stub)
            .status()
            .unwrap();
        assert!(ok.success());
        libs.push(lib);
    }
    let out = dir.join("app");
    let ok = std::process::Command::new("gcc")
        .args(extra)
        .arg("-Wl,--no-as-needed")
        .arg("-o")
        .arg(&out)
        .arg(&src)
        .args(&libs)
        .status()
        .unwrap();
    assert!(ok.success());
    out
}

// Regression (review of issue 3): the distro apt list named only libraries absent from every
// distroless image, so libssl (in base, not in debian:12-slim) was left out.
#[test]
fn issue_3_distro_lists_every_package_the_slim_image_lacks() {
    let dir = tempfile::tempdir().unwrap();
    let app = program_needing(dir.path(), &["libssl.so.3", "libsqlite3.so.0"], &[]);
    let r = json_result(&app, &["--release", "debian12"]);
    assert_eq!(r["verdict"]["tier"], "distro");
    let pkgs = r["verdict"]["packages"].to_string();
    assert!(
        pkgs.contains("libssl3") && pkgs.contains("libsqlite3-0"),
        "{pkgs}"
    );
}

// Regression (review of issue 3): a PIE with DT_NEEDED but no interpreter was called
// static-pie and sent to scratch; it cannot load its libraries anywhere.
#[test]
fn issue_3_a_pie_with_libraries_and_no_interpreter_is_none() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("m.c");
    std::fs::write(&src, "int main(void) { return 0; }\n").unwrap();
    let app = dir.path().join("pie");
    assert!(std::process::Command::new("gcc")
        .args(["-fPIE", "-pie", "-Wl,--no-dynamic-linker", "-o"])
        .arg(&app)
        .arg(&src)
        .status()
        .unwrap()
        .success());
    let r = json_result(&app, &[]);
    assert_eq!(r["linkage"], "dynamic");
    assert_eq!(r["verdict"]["tier"], "none");
}

// Regression (review of issue 3): a DT_NEEDED given as an absolute path was looked up in the
// archive index by its whole path and reported as in no package.
#[test]
fn issue_3_libraries_named_by_path_find_their_package() {
    let dir = tempfile::tempdir().unwrap();
    let app = program_needing(dir.path(), &["/usr/lib/x86_64-linux-gnu/libpq.so.5"], &[]);
    let r = json_result(&app, &[]);
    assert_eq!(r["verdict"]["tier"], "distro", "{}", r["reasons"]);
    assert_eq!(r["verdict"]["packages"], serde_json::json!(["libpq5"]));
}
