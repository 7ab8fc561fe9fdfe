//! Facts read from the real testdata programs: what each was built to demonstrate.

use crate::common::testdata;
use std::path::Path;
use whichbase::inspect::{inspect, ElfFacts, ElfKind, Facts, LibcFamily, Limits, Linkage};

fn facts(path: &Path) -> ElfFacts {
    match inspect(path, &Limits::default()) {
        Ok(Facts::Elf(e)) => *e,
        other => panic!("{}: {other:?}", path.display()),
    }
}

fn strings(v: &[whichbase::text::RawText]) -> Vec<String> {
    v.iter().map(ToString::to_string).collect()
}

#[test]
fn static_programs_are_static_and_static_pie_is_not_mistaken_for_a_library() {
    for name in ["c-static", "musl-static", "go-static"] {
        let f = facts(&testdata(name));
        assert_eq!(f.linkage, Some(Linkage::Static), "{name}");
        assert_eq!(f.kind, ElfKind::Executable, "{name}");
        assert!(f.interpreter.is_none() && f.needed.is_empty(), "{name}");
    }
    for name in ["c-static-pie", "rust-static-pie"] {
        let f = facts(&testdata(name));
        assert_eq!(f.linkage, Some(Linkage::StaticPie), "{name}");
        assert_eq!(f.kind, ElfKind::PieExecutable, "{name}");
    }
    // glibc's start files leave the GNU ABI note; musl's do not.
    assert_eq!(facts(&testdata("c-static")).libc, LibcFamily::Glibc);
    assert_eq!(facts(&testdata("musl-static")).libc, LibcFamily::Unknown);
}

#[test]
fn a_dynamic_glibc_program_reports_interpreter_needs_and_notes() {
    let f = facts(&testdata("c-dynamic"));
    assert_eq!(f.linkage, Some(Linkage::Dynamic));
    assert_eq!(f.kind, ElfKind::PieExecutable);
    assert_eq!(f.platform.as_deref(), Some("linux/amd64"));
    assert_eq!(
        f.interpreter.as_ref().map(ToString::to_string).as_deref(),
        Some("/lib64/ld-linux-x86-64.so.2")
    );
    assert_eq!(f.libc, LibcFamily::Glibc);
    assert_eq!(strings(&f.needed), ["libc.so.6"]);
    let libc = f
        .version_needs
        .iter()
        .find(|v| v.library.to_string() == "libc.so.6")
        .expect("libc versions");
    assert!(strings(&libc.versions)
        .iter()
        .any(|v| v.starts_with("GLIBC_2.")));
    let tag = f.abi_tag.expect("ABI note");
    assert_eq!(tag.os, "Linux");
    // The build-id, checked against readelf's reading of the same note.
    let notes = std::process::Command::new("readelf")
        .args(["-n", "-W"])
        .arg(testdata("c-dynamic"))
        .output()
        .expect("readelf runs");
    let notes = String::from_utf8_lossy(&notes.stdout);
    let oracle = notes
        .lines()
        .find_map(|l| l.split_once("Build ID: ").map(|(_, id)| id.trim()))
        .expect("readelf shows a build-id");
    assert_eq!(f.build_id.as_deref(), Some(oracle));
}

#[test]
fn non_numeric_version_needs_are_kept() {
    let f = facts(&testdata("c-relr"));
    let all: Vec<String> = f
        .version_needs
        .iter()
        .flat_map(|v| strings(&v.versions))
        .collect();
    assert!(all.contains(&"GLIBC_ABI_DT_RELR".to_string()), "{all:?}");
}

#[test]
fn musl_aarch64_and_libraries_are_told_apart() {
    let m = facts(&testdata("musl-dynamic"));
    assert_eq!(m.libc, LibcFamily::Musl);
    assert_eq!(
        m.interpreter.map(|i| i.to_string()).as_deref(),
        Some("/lib/ld-musl-x86_64.so.1")
    );
    let a = facts(&testdata("c-aarch64"));
    assert_eq!(
        (a.machine.as_str(), a.platform.as_deref()),
        ("AArch64", Some("linux/arm64"))
    );
    let z = facts(&testdata("zig-aarch64-musl"));
    assert_eq!(
        (z.platform.as_deref(), z.linkage),
        (Some("linux/arm64"), Some(Linkage::Static))
    );
    let l = facts(&testdata("libshared.so"));
    assert_eq!(l.kind, ElfKind::SharedLibrary);
    assert_eq!(
        l.soname.map(|s| s.to_string()).as_deref(),
        Some("libshared.so.1")
    );
}

#[test]
fn rpath_and_runpath_keep_origin_as_written() {
    let o = facts(&testdata("c-origin"));
    assert_eq!(strings(&o.runpath), ["$ORIGIN/lib"]);
    assert!(o.rpath.is_empty());
    let r = facts(&testdata("c-rpath"));
    assert_eq!(strings(&r.rpath), ["$ORIGIN/lib"]);
    assert!(r.runpath.is_empty());
}

#[test]
fn stripping_relocatable_objects_and_core_dumps_are_recognised() {
    let dir = tempfile::tempdir().unwrap();
    let stripped = dir.path().join("stripped");
    std::fs::copy(testdata("c-dynamic"), &stripped).unwrap();
    assert!(!facts(&stripped).stripped, "gcc output keeps .symtab");
    assert!(std::process::Command::new("strip")
        .arg(&stripped)
        .status()
        .unwrap()
        .success());
    assert!(facts(&stripped).stripped);
    // The dynamic facts survive stripping.
    assert_eq!(strings(&facts(&stripped).needed), ["libc.so.6"]);

    let obj = dir.path().join("x.o");
    std::fs::write(dir.path().join("x.c"), "int x(void) { return 1; }\n").unwrap();
    assert!(std::process::Command::new("gcc")
        .args(["-c", "-o"])
        .arg(&obj)
        .arg(dir.path().join("x.c"))
        .status()
        .unwrap()
        .success());
    let f = facts(&obj);
    assert_eq!((f.kind, f.linkage), (ElfKind::Relocatable, None));

    // A real core dump of a sleeping process, written by gdb's gcore.
    let mut sleeper = std::process::Command::new("sleep")
        .arg("30")
        .spawn()
        .unwrap();
    let prefix = dir.path().join("core");
    let ok = std::process::Command::new("gcore")
        .arg("-o")
        .arg(&prefix)
        .arg(sleeper.id().to_string())
        .output()
        .expect("gcore (gdb) is installed by .ci/run");
    let _ = sleeper.kill();
    let _ = sleeper.wait();
    assert!(
        ok.status.success(),
        "gcore failed: {}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let core = dir.path().join(format!("core.{}", sleeper.id()));
    let f = facts(&core);
    assert_eq!((f.kind, f.linkage), (ElfKind::Core, None));
}
