//! Issue 7: whichbase never runs what it inspects and never opens it for writing, shown by
//! the system calls themselves (strace).

use crate::common;
use std::path::Path;
use std::process::Command;

/// The traced system calls, one per line, of `whichbase ARGS`, and whichbase's exit code.
fn trace(args: &[&Path], image: bool) -> (Vec<String>, i32) {
    let log = tempfile::NamedTempFile::new().unwrap();
    let mut cmd = Command::new("strace");
    cmd.args(["-f", "-qq", "-e", "trace=execve,execveat,open,openat,openat2,creat,truncate,rename,renameat,renameat2,unlink,unlinkat,mkdir,mkdirat,symlink,symlinkat,link,linkat", "-o"])
        .arg(log.path())
        .arg(env!("CARGO_BIN_EXE_whichbase"));
    if image {
        cmd.arg("image");
    }
    let out = cmd
        .args(args)
        .output()
        .expect("strace is installed by .ci/run");
    let text = std::fs::read_to_string(log.path()).unwrap();
    (
        text.lines().map(str::to_string).collect(),
        out.status.code().unwrap_or(-1),
    )
}

fn check(lines: &[String], inputs: &[&Path]) {
    let execs: Vec<&String> = lines
        .iter()
        .filter(|l| l.contains("execve(") || l.contains("execveat("))
        .collect();
    assert_eq!(
        execs.len(),
        1,
        "only whichbase itself is executed: {execs:?}"
    );
    assert!(
        execs[0].contains(env!("CARGO_BIN_EXE_whichbase")),
        "{execs:?}"
    );
    for l in lines {
        for bad in [
            "creat(",
            "truncate(",
            "rename",
            "unlink",
            "mkdir",
            "symlink",
            "link(",
        ] {
            assert!(
                !l.contains(bad) || l.contains("readlink"),
                "writes to the filesystem: {l}"
            );
        }
        if l.contains("open") {
            for flag in ["O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC"] {
                assert!(!l.contains(flag), "an open for writing: {l}");
            }
        }
    }
    for input in inputs {
        let shown = input.display().to_string();
        assert!(
            lines
                .iter()
                .any(|l| l.contains("open") && l.contains(&shown) && l.contains("O_RDONLY")),
            "{shown} was not opened read-only (or not at all): {lines:#?}"
        );
    }
}

#[test]
fn inspection_never_executes_and_opens_every_input_read_only() {
    let inputs = [
        common::testdata("c-dynamic"),
        common::testdata("go-x509"),
        common::testdata("rust-default"),
        common::root().join("testdata/out/artifacts/java"),
        common::root().join("testdata/out/artifacts/scripts"),
    ];
    let paths: Vec<&Path> = inputs.iter().map(|p| p.as_path()).collect();
    let (lines, code) = trace(&paths, false);
    assert!(code == 0 || code == 1, "exit {code}");
    check(&lines, &paths[..3]);
    // Every file of the walked directories is opened read-only too.
    let walked: Vec<&String> = lines
        .iter()
        .filter(|l| l.contains("open") && l.contains("testdata/out/artifacts/"))
        .collect();
    assert!(walked.len() > 5, "{walked:?}");
    // An image: the archive is read in place, nothing extracted.
    let image = common::root().join("testdata/out/images/fat-docker.tar");
    let (lines, code) = trace(&[image.as_path()], true);
    assert_eq!(code, 0);
    check(&lines, &[image.as_path()]);
    // whichbase with --root: the root's files are opened read-only, nothing else runs.
    let root = common::root().join("testdata/out/images/distroless12");
    let program = common::testdata("c-dynamic");
    let (lines, _) = trace(
        &[Path::new("--root"), root.as_path(), program.as_path()],
        false,
    );
    check(&lines, &[program.as_path()]);
}

/// The libraries beside a program (`$ORIGIN`) are read read-only, and a `$ORIGIN` directory
/// that leads into this machine's own library directories is not read at all: the verdict
/// must not depend on the host.
#[test]
fn libraries_beside_a_program_are_read_only_and_never_the_hosts() {
    let dir = tempfile::tempdir().unwrap();
    // c-rpath-chain with its libraries: both are opened read-only.
    std::fs::create_dir(dir.path().join("lib")).unwrap();
    let program = dir.path().join("c-rpath-chain");
    std::fs::copy(common::testdata("c-rpath-chain"), &program).unwrap();
    let libs: Vec<std::path::PathBuf> = ["libchain.so.1", "libbar.so.1"]
        .iter()
        .map(|l| {
            let to = dir.path().join("lib").join(l);
            std::fs::copy(common::testdata(&format!("lib/{l}")), &to).unwrap();
            to
        })
        .collect();
    let (lines, code) = trace(&[program.as_path()], false);
    assert_eq!(code, 0);
    let mut read: Vec<&Path> = vec![program.as_path()];
    read.extend(libs.iter().map(|l| l.as_path()));
    check(&lines, &read);
    // c-origin whose $ORIGIN/lib is a link to the host's multiarch directory: nothing there
    // is opened, and the verdict is the program's alone.
    let host = tempfile::tempdir().unwrap();
    let origin = host.path().join("c-origin");
    std::fs::copy(common::testdata("c-origin"), &origin).unwrap();
    std::os::unix::fs::symlink("/usr/lib/x86_64-linux-gnu", host.path().join("lib")).unwrap();
    let (lines, _) = trace(&[origin.as_path()], false);
    check(&lines, &[origin.as_path()]);
    let opened: Vec<&String> = lines
        .iter()
        .filter(|l| l.contains("open") && l.contains("/usr/lib/x86_64-linux-gnu/"))
        .collect();
    assert!(opened.is_empty(), "host libraries read: {opened:?}");
    let r = common::json_result(&origin, &[]);
    assert_eq!(r["copy_beside"], serde_json::json!(["libfoo.so.1"]), "{r}");
}
