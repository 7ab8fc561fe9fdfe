//! Every kind of artifact people ship, fetched or built by testdata/fetch.sh (see its
//! MANIFEST.txt for where each one comes from): scripts, JARs and WARs, zipapps, Node.js
//! scripts and addons, Python extension modules, .NET assemblies, a PyInstaller bundle, programs
//! for other systems, and a whole application directory.

use crate::common::{self, json_result, whichbase};
use std::path::PathBuf;

fn artifact(rel: &str) -> PathBuf {
    let p = common::root().join("testdata/out/artifacts").join(rel);
    assert!(
        p.exists(),
        "{} is missing: testdata/build.sh runs testdata/fetch.sh",
        p.display()
    );
    p
}

/// (artifact, its `artifact` and `kind` in JSON, verdict tier, text the image or cause has)
const EXPECTED: &[(&str, &str, &str, &str, &str)] = &[
    ("python/hello.py", "script", "script", "python3", "python3-debian13"),
    ("python/noexec.py", "script", "script", "python3", "python3-debian13"),
    ("python/app.pyz", "script", "zipapp", "python3", "python3-debian13"),
    ("python/hello_crlf.py", "script", "script", "none", "CRLF"),
    ("scripts/tabulate", "script", "script", "python3", "python3-debian13"),
    ("scripts/env-s.sh", "script", "script", "python3", "python3-debian13"),
    ("scripts/lsb_release", "script", "script", "distro", "debian:13-slim"),
    ("scripts/neofetch", "script", "script", "distro", "debian:13-slim"),
    ("scripts/colordiff", "script", "script", "distro", "debian:13-slim"),
    ("scripts/rake", "script", "script", "distro", "debian:13-slim"),
    ("scripts/shebang-crlf.sh", "script", "script", "none", "CRLF"),
    ("node/app/index.js", "script", "script", "nodejs", "nodejs24-debian13"),
    ("node/esm.mjs", "script", "script", "nodejs", "nodejs22-debian13"),
    ("node/cjs.cjs", "script", "script", "nodejs", "nodejs22-debian13"),
    ("node/addon/prebuilds/linux-x64/bufferutil.node", "elf", "shared-library", "nodejs", "nodejs22-debian13"),
    ("java/hello17.jar", "java", "executable-jar", "java", "java17-debian13"),
    ("java/hello25.jar", "java", "executable-jar", "java", "java25-debian13"),
    ("java/hello17-native.jar", "java", "executable-jar", "java", "java17-debian13"),
    ("java/debian-cup.jar", "java", "executable-jar", "java", "java17-debian13"),
    ("java/app.war", "java", "war", "none", "servlet container"),
    (
        "python/wheels/markupsafe-cp313-manylinux/markupsafe/_speedups.cpython-313-x86_64-linux-gnu.so",
        "elf",
        "shared-library",
        "python3",
        "python3-debian13",
    ),
    (
        "python/wheels/markupsafe-cp311-manylinux/markupsafe/_speedups.cpython-311-x86_64-linux-gnu.so",
        "elf",
        "shared-library",
        "distro",
        "debian:12-slim",
    ),
    (
        "python/wheels/markupsafe-cp313-musllinux/markupsafe/_speedups.cpython-313-x86_64-linux-musl.so",
        "elf",
        "shared-library",
        "none",
        "no python image",
    ),
    ("python/dotnet/Python.Runtime.dll", "pe", "", "none", ".NETStandard"),
    ("python/dotnet/ClrLoader.dll", "pe", "", "none", ".NETFramework"),
    ("node/esbuild-darwin-arm64/esbuild", "mach-o", "", "none", "macOS"),
    ("macho/pyinstaller-run-universal2", "mach-o-universal", "", "none", "x86_64, arm64"),
    ("node/esbuild-win32-x64/esbuild.exe", "pe", "", "none", "Windows program"),
    ("wasm/add.wasm", "webassembly", "", "none", "WebAssembly"),
    ("node/esbuild-linux-x64/esbuild", "elf", "executable", "static", "static-debian13"),
    ("python/pyinstaller-hello", "elf", "executable", "base", "base-debian13"),
];

#[test]
fn every_artifact_kind_gets_its_verdict() {
    let mut wrong = Vec::new();
    for (rel, artifact_kind, kind, tier, text) in EXPECTED {
        let r = json_result(&artifact(rel), &[]);
        let got_tier = r["verdict"]["tier"].as_str().unwrap_or("?");
        let shown = format!(
            "{} {}",
            r["verdict"]["image"].as_str().unwrap_or_default(),
            r["reasons"]
        );
        let got_kind = r["kind"].as_str().unwrap_or("");
        if r["artifact"] != *artifact_kind
            || got_kind != *kind
            || got_tier != *tier
            || !shown.contains(text)
        {
            wrong.push(format!(
                "{rel}: want {artifact_kind}/{kind} {tier} ({text}), got {}/{got_kind} {got_tier}: {shown}",
                r["artifact"]
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn scripts_report_their_interpreter_and_classic_failures() {
    let r = json_result(&artifact("scripts/env-s.sh"), &[]);
    assert_eq!(r["facts"]["interpreter"], "python3");
    assert_eq!(r["facts"]["via_env"], true);
    let r = json_result(&artifact("python/hello_crlf.py"), &[]);
    assert_eq!(r["facts"]["crlf"], true);
    assert!(r["notes"].to_string().contains("dos2unix"));
    let r = json_result(&artifact("python/noexec.py"), &[]);
    assert_eq!(r["facts"]["executable"], false);
    assert!(r["notes"].to_string().contains("no #! line"));
    let r = json_result(&artifact("scripts/neofetch"), &[]);
    assert!(
        r["notes"].to_string().contains("debug"),
        "shell scripts mention the -debug images"
    );
    let r = json_result(&artifact("scripts/rake"), &[]);
    assert_eq!(r["verdict"]["packages"][0], "ruby");
    let r = json_result(&artifact("scripts/colordiff"), &[]);
    assert!(r["reasons"].to_string().contains("perl-base"));
}

#[test]
fn node_engines_pick_the_nodejs_image() {
    let r = json_result(&artifact("node/app/index.js"), &[]);
    assert_eq!(r["facts"]["node_engines"], ">=24");
    assert!(r["notes"].to_string().contains("24, 26"));
}

#[test]
fn jars_give_the_java_version_of_their_highest_class() {
    let r = json_result(&artifact("java/hello17.jar"), &[]);
    assert_eq!(r["facts"]["class_major"], 61);
    assert_eq!(r["facts"]["java_release"], 17);
    assert_eq!(r["facts"]["main_class"], "Hello17");
    let r = json_result(&artifact("java/hello25.jar"), &[]);
    assert_eq!(r["facts"]["class_major"], 69);
    let r = json_result(&artifact("java/hello17-native.jar"), &[]);
    let natives = &r["facts"]["natives"];
    assert_eq!(natives[0]["name"], "native/libhello.so");
    assert_eq!(natives[0]["facts"]["role"]["kind"], "java-native");
    assert!(r["reasons"]
        .to_string()
        .contains("native native/libhello.so"));
}

#[test]
fn dotnet_assemblies_name_their_target_framework() {
    let r = json_result(&artifact("python/dotnet/Python.Runtime.dll"), &[]);
    assert_eq!(
        r["facts"]["dotnet"]["target_framework"],
        ".NETStandard,Version=v2.0"
    );
    let r = json_result(&artifact("python/dotnet/ClrLoader.dll"), &[]);
    assert!(r["facts"]["dotnet"]["target_framework"]
        .as_str()
        .unwrap()
        .starts_with(".NETFramework"));
}

#[test]
fn a_pyinstaller_bundle_is_recognised_and_needs_tmp() {
    let r = json_result(&artifact("python/pyinstaller-hello"), &[]);
    assert_eq!(r["facts"]["bundle"]["kind"], "PyInstaller");
    assert!(r["facts"]["bundle"]["runtime"]
        .as_str()
        .unwrap()
        .starts_with("libpython3"));
    let tmp = r["needs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["kind"] == "temp-dir")
        .expect("a temp-dir need");
    assert_eq!(tmp["confidence"], "certain");
}

#[test]
fn a_directory_gets_one_verdict_naming_the_file_that_forces_it() {
    let tree = artifact("tree");
    let out = whichbase()
        .args(["--format", "json"])
        .arg(&tree)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &doc["directories"][0];
    // A Node.js addon and a Python script: no single language image has both runtimes.
    assert_eq!(d["verdict"]["tier"], "distro", "{d}");
    let forced = d["verdict"]["forced_by"].to_string();
    assert!(
        forced.contains("hello.py") && forced.contains("bufferutil.node"),
        "{forced}"
    );
    assert!(d["verdict"]["notes"]
        .to_string()
        .contains("nodejs and python3"));
    let files = d["files"].to_string();
    for f in ["bin/app", "lib/libfoo.so", "bufferutil.node", "hello.py"] {
        assert!(files.contains(f), "{f} not found in {files}");
    }
    assert!(!files.contains("README.txt"));
    let skipped = d["skipped"].to_string();
    assert!(skipped.contains("loop"), "{skipped}");
    assert!(skipped.contains("out of the tree"), "{skipped}");
    assert!(skipped.contains("FIFO"), "{skipped}");
    // The table: the directory line first, then one line per file.
    let out = whichbase().arg(&tree).output().unwrap();
    let text = common::stdout(&out);
    let first = text.lines().next().unwrap();
    assert!(
        first.contains("distro") && first.contains("forced by"),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.trim_start().contains("bin/app: base-nossl")),
        "{text}"
    );
}

#[test]
fn exclude_leaves_files_out_of_a_directory() {
    let tree = artifact("tree");
    let r = whichbase()
        .args([
            "--format",
            "json",
            "--exclude",
            "*.py",
            "--exclude",
            "node_modules",
        ])
        .arg(&tree)
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&r.stdout).unwrap();
    let d = &doc["directories"][0];
    let files = d["files"].to_string();
    assert!(
        !files.contains("hello.py") && !files.contains("bufferutil"),
        "{files}"
    );
    assert_eq!(d["verdict"]["tier"], "base-nossl");
}

#[test]
fn a_zip_bomb_in_a_jar_is_an_error_within_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let jar = dir.path().join("bomb.jar");
    // A manifest that inflates to 512 MiB: the reader stops at its 1 MiB limit.
    let st = std::process::Command::new("python3")
        .args([
            "-c",
            "import sys,zipfile\nz=zipfile.ZipFile(sys.argv[1],'w',zipfile.ZIP_DEFLATED)\nz.writestr('META-INF/MANIFEST.MF', b'Main-Class: A\\n' + bytes(512<<20))\nz.close()",
        ])
        .arg(&jar)
        .status()
        .unwrap();
    assert!(st.success());
    let out = std::process::Command::new("prlimit")
        .arg("--as=536870912")
        .arg(env!("CARGO_BIN_EXE_whichbase"))
        .arg(&jar)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = common::stderr(&out);
    assert!(
        err.contains("zip bomb") && err.lines().count() == 1,
        "{err}"
    );
}

#[test]
fn truncated_and_forged_archives_are_one_line_errors() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read(artifact("java/hello17.jar")).unwrap();
    // Cut before the central directory ends, and an end record claiming a huge directory.
    let mut cut = good.clone();
    cut.truncate(good.len() - 30);
    let mut forged = good.clone();
    let eocd = forged.windows(4).rposition(|w| w == b"PK\x05\x06").unwrap();
    forged[eocd + 12..eocd + 16].copy_from_slice(&0x7fff_ffffu32.to_le_bytes());
    for (name, bytes) in [("cut.jar", cut), ("forged.jar", forged)] {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        let out = whichbase().arg(&p).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{name}");
        let err = common::stderr(&out);
        assert!(
            err.lines().count() == 1 && err.contains(name),
            "{name}: {err}"
        );
    }
}

#[test]
fn a_node_app_directory_is_found_through_its_package_json() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("package.json"),
        r#"{"main": "server.js", "engines": {"node": "^22"}}"#,
    )
    .unwrap();
    std::fs::write(dir.path().join("server.js"), "console.log('ok')\n").unwrap();
    // Beside it, files that are no program: not listed, not errors. The entry point is
    // inspected although it has no #! line; these are judged by their first bytes.
    std::fs::write(dir.path().join("empty"), b"").unwrap();
    std::fs::write(dir.path().join("notes.txt"), "#not a shebang\n").unwrap();
    std::fs::write(dir.path().join("helper.js"), "module.exports = 1\n").unwrap();
    let out = whichbase()
        .args(["--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(out.stderr.is_empty(), "{out:?}");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &doc["directories"][0];
    assert_eq!(d["files"].as_array().map(Vec::len), Some(1), "{d}");
    assert!(
        d["files"][0].as_str().unwrap().ends_with("server.js"),
        "{d}"
    );
    assert_eq!(d["verdict"]["image"], "gcr.io/distroless/nodejs22-debian13");
}

#[test]
fn bundles_are_recognised_by_their_own_marks() {
    for (rel, kind, runtime) in [
        ("bundles/node-sea", "Node.js single executable", None),
        ("bundles/bun-hello", "Bun", None),
        (
            "bundles/dotnet-sarif-multitool",
            ".NET single-file",
            Some("net8.0, self-contained, uses ICU"),
        ),
        ("python/pyinstaller-hello", "PyInstaller", None),
    ] {
        let r = json_result(&artifact(rel), &[]);
        assert_eq!(r["facts"]["bundle"]["kind"], kind, "{rel}");
        if let Some(rt) = runtime {
            assert_eq!(r["facts"]["bundle"]["runtime"], rt, "{rel}");
        }
    }
    // The .NET runtime loads ICU at start: Debian's ICU package, found by its versioned name.
    let r = json_result(&artifact("bundles/dotnet-sarif-multitool"), &[]);
    assert_eq!(r["verdict"]["packages"][0], "libicu76", "{}", r["verdict"]);
    let r = json_result(
        &artifact("bundles/dotnet-sarif-multitool"),
        &["--release", "debian12"],
    );
    assert_eq!(r["verdict"]["packages"][0], "libicu72", "{}", r["verdict"]);
}

/// The bundle kinds no registry here ships a real example of (a GraalVM native image, a Deno
/// compiled program, an AppImage) are recognised by the marks their tools write, put on a
/// real ELF program here with objcopy (sections) or by patching the identification padding
/// (AppImage's "AI\x02"), as those tools do.
#[test]
fn bundle_marks_without_a_real_example_are_recognised() {
    let dir = tempfile::tempdir().unwrap();
    let base = common::testdata("c-dynamic");
    let payload = dir.path().join("payload");
    std::fs::write(&payload, b"0123456789abcdef").unwrap();
    for (section, kind) in [(".svm_heap", "GraalVM native image"), (".note.sui", "Deno")] {
        let out = dir.path().join(section.trim_start_matches('.'));
        let st = std::process::Command::new("objcopy")
            .arg("--add-section")
            .arg(format!("{section}={}", payload.display()))
            .arg(&base)
            .arg(&out)
            .status()
            .unwrap();
        assert!(st.success());
        let r = json_result(&out, &[]);
        assert_eq!(r["facts"]["bundle"]["kind"], kind, "{section}");
    }
    let mut b = std::fs::read(&base).unwrap();
    b[8..11].copy_from_slice(b"AI\x02");
    let appimage = dir.path().join("app.AppImage");
    std::fs::write(&appimage, b).unwrap();
    let r = json_result(&appimage, &[]);
    assert_eq!(r["facts"]["bundle"]["kind"], "AppImage");
    assert!(r["notes"].to_string().contains("FUSE"));
    // A plain program carries none of them.
    assert!(json_result(&base, &[])["facts"]["bundle"].is_null());
}

#[test]
fn interpreters_that_are_alternatives_links_get_their_package() {
    let dir = tempfile::tempdir().unwrap();
    let php = dir.path().join("x.php");
    std::fs::write(&php, "#!/usr/bin/php\n<?php echo 'ok';\n").unwrap();
    let r = json_result(&php, &[]);
    assert_eq!(
        r["verdict"]["packages"][0], "php8.4-cli",
        "{}",
        r["verdict"]
    );
    let r = json_result(&php, &["--release", "debian12"]);
    assert_eq!(
        r["verdict"]["packages"][0], "php8.2-cli",
        "{}",
        r["verdict"]
    );
    let awk = dir.path().join("x.awk");
    std::fs::write(&awk, "#!/usr/bin/awk -f\nBEGIN { print \"ok\" }\n").unwrap();
    let r = json_result(&awk, &[]);
    assert_eq!(r["verdict"]["tier"], "distro");
    assert!(
        r["verdict"]["packages"].as_array().unwrap().is_empty(),
        "mawk is in the slim image"
    );
}

/// On a terminal a long directory scan shows a progress line on stderr; piped, it does not.
/// `script` (util-linux) gives the run a pseudo-terminal.
#[test]
fn a_long_scan_shows_progress_only_on_a_terminal() {
    let bin = env!("CARGO_BIN_EXE_whichbase");
    let out = std::process::Command::new("script")
        .args(["-qec", &format!("{bin} /usr/bin >/dev/null"), "/dev/null"])
        .output()
        .expect("script (util-linux) runs");
    let tty = String::from_utf8_lossy(&out.stdout);
    assert!(
        tty.contains("\r\x1b[K[") && tty.contains("/usr/bin/"),
        "no progress line on the terminal: {tty:?}"
    );
    let piped = whichbase().arg("/usr/bin").output().unwrap();
    assert!(
        !common::stderr(&piped).contains("\x1b[K"),
        "progress written when stderr is not a terminal"
    );
}
