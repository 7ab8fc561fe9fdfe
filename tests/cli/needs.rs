//! Filesystem needs and toolchains, read from the testdata programs built for them (each one
//! does the thing: loads the system CA pool, loads Europe/Paris, looks up `nonroot`, ...).
//! What each verdict is worth at run time is judged in `chroot.rs`; here: that the needs, their
//! evidence and confidence, the toolchain records and the user's controls come out right.

use crate::common::{self, json_result, testdata, tier_of, whichbase};
use serde_json::Value;

/// The need of `kind` in a result, if any.
fn need<'a>(r: &'a Value, kind: &str) -> Option<&'a Value> {
    r["needs"].as_array()?.iter().find(|n| n["kind"] == kind)
}

fn counted(r: &Value) -> Vec<String> {
    r["needs"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|n| n["status"] == "counted")
        .map(|n| n["kind"].as_str().unwrap_or("?").to_string())
        .collect()
}

/// Program -> (verdict tier, the needs that count), on the default release.
const EXPECTED: &[(&str, &str, &[&str])] = &[
    ("go-x509", "static", &["ca-certificates"]),
    ("go-x509-old", "static", &["ca-certificates"]),
    ("go-stripped", "static", &["ca-certificates"]),
    ("go-tz", "static", &["time-zone-data"]),
    ("go-tzdata", "scratch", &[]),
    ("go-tz-tag", "scratch", &[]),
    ("go-user", "static", &["user-database"]),
    ("go-user-cgo", "base-nossl", &["user-database"]),
    ("go-netgo", "static", &["user-database", "name-service"]),
    ("go-dns", "scratch", &["name-service"]),
    ("go-exec", "scratch", &[]),
    ("go-static", "scratch", &[]),
    ("rust-native-certs", "static", &["ca-certificates"]),
    ("rust-native-certs-plain", "static", &["ca-certificates"]),
    ("rust-webpki", "scratch", &[]),
    ("rust-openssl", "cc", &["ca-certificates"]),
    ("rust-tz-jiff", "static", &["time-zone-data"]),
    ("rust-static-pie", "scratch", &[]),
    ("c-getaddrinfo", "base-nossl", &["name-service"]),
    ("c-getaddrinfo-static", "scratch", &["name-service"]),
    ("c-getpwnam", "base-nossl", &["user-database"]),
    ("c-getpwnam-exports", "base-nossl", &["user-database"]),
    (
        "c-getpwnam-static",
        "base-nossl",
        &["user-database", "nss-modules"],
    ),
    ("musl-getpwnam-static", "static", &["user-database"]),
    ("c-system", "distro", &["shell"]),
    ("c-tz-static", "static", &["time-zone-data"]),
    ("c-dlopen-name", "base", &["runtime-libraries"]),
    ("c-static", "scratch", &[]),
    ("musl-static", "scratch", &[]),
    ("c-dynamic", "base-nossl", &[]),
    ("go-tmp", "static", &["temp-dir"]),
    ("go-mime", "scratch", &[]),
    ("c-iconv", "base-nossl", &["locale-data"]),
    ("c-exec", "base-nossl", &[]),
];

#[test]
fn each_need_program_gets_its_needs_and_tier() {
    let mut wrong = Vec::new();
    for (name, tier, kinds) in EXPECTED {
        let r = json_result(&testdata(name), &[]);
        let got_tier = r["verdict"]["tier"].as_str().unwrap_or("?");
        let mut got = counted(&r);
        got.sort();
        let mut want: Vec<String> = kinds.iter().map(|k| k.to_string()).collect();
        want.sort();
        if got_tier != *tier || got != want {
            wrong.push(format!(
                "{name}: want {tier} {want:?}, got {got_tier} {got:?}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// c-getpwnam-exports is c-getpwnam with ten thousand exported names: its dynamic string
/// table (600 KB, build.sh checks it is over 256 KiB) is read name by name and its symbols
/// streamed, never held whole. Its needs, libraries and versions are c-getpwnam's exactly.
#[test]
fn a_large_dynamic_string_table_gives_the_same_needs_as_a_small_one() {
    let small = json_result(&testdata("c-getpwnam"), &[]);
    let large = json_result(&testdata("c-getpwnam-exports"), &[]);
    assert!(!small["needs"].as_array().unwrap().is_empty());
    for field in ["needs", "needed", "interpreter", "verdict"] {
        assert_eq!(small[field], large[field], "{field}");
    }
    let imports = need(&large, "user-database").expect("the user database need");
    assert!(imports["evidence"]
        .as_str()
        .unwrap()
        .contains("imports getpwnam"));
}

#[test]
fn go_needs_come_from_the_function_table_with_certainty() {
    let r = json_result(&testdata("go-x509"), &[]);
    let ca = need(&r, "ca-certificates").expect("a CA need");
    assert_eq!(ca["confidence"], "certain");
    assert!(ca["evidence"].as_str().unwrap().contains("crypto/x509"));
    assert_eq!(ca["files"][0], "/etc/ssl/certs/ca-certificates.crt");
    assert_eq!(ca["satisfied_by"], "gcr.io/distroless/static-debian13");
    // `-s -w` removes the symbol table, not .gopclntab: the same need is found.
    let stripped = json_result(&testdata("go-stripped"), &["-v"]);
    assert_eq!(stripped["facts"]["stripped"], true);
    assert_eq!(
        need(&stripped, "ca-certificates").unwrap()["confidence"],
        "certain"
    );
}

#[test]
fn go_build_information_is_reported_as_the_toolchain() {
    let r = json_result(&testdata("go-x509"), &[]);
    let t = &r["toolchain"];
    assert_eq!(t["language"], "Go");
    assert!(t["compiler"].as_str().unwrap().starts_with("go1."));
    assert_eq!(t["settings"]["CGO_ENABLED"], "0");
    assert_eq!(t["settings"]["GOARCH"], "amd64");
    // The old layout (Debian's Go 1.19) reads as well.
    let old = json_result(&testdata("go-x509-old"), &[]);
    assert!(old["toolchain"]["compiler"]
        .as_str()
        .unwrap()
        .starts_with("go1.19"));
    // CGO_ENABLED=1 with netgo,osusergo: the ELF is static and the verdict trusts the ELF,
    // explaining with the build settings.
    let netgo = json_result(&testdata("go-netgo"), &[]);
    assert_eq!(netgo["linkage"], "static");
    assert_eq!(netgo["toolchain"]["settings"]["CGO_ENABLED"], "1");
    assert!(netgo["toolchain"]["settings"]["-tags"]
        .as_str()
        .unwrap()
        .contains("netgo"));
    let notes = netgo["notes"].to_string();
    assert!(notes.contains("CGO_ENABLED=1"), "{notes}");
}

#[test]
fn embedded_tzdata_removes_the_time_zone_need_and_says_so() {
    for name in ["go-tzdata", "go-tz-tag"] {
        let r = json_result(&testdata(name), &[]);
        assert!(need(&r, "time-zone-data").is_none(), "{name}");
        assert!(r["notes"].to_string().contains("time/tzdata"), "{name}");
    }
    let tag = json_result(&testdata("go-tz-tag"), &[]);
    assert!(tag["toolchain"]["settings"]["-tags"]
        .as_str()
        .unwrap()
        .contains("timetzdata"));
}

#[test]
fn rust_dependencies_come_from_cargo_auditable_or_panic_paths() {
    let r = json_result(&testdata("rust-native-certs"), &[]);
    let t = &r["toolchain"];
    assert_eq!(t["language"], "Rust");
    assert_eq!(t["dependencies_from"], "cargo-auditable .dep-v0");
    let deps = t["dependencies"].to_string();
    assert!(deps.contains("rustls-native-certs"), "{deps}");
    let ca = need(&r, "ca-certificates").unwrap();
    assert!(ca["evidence"]
        .as_str()
        .unwrap()
        .contains("rustls-native-certs"));

    let plain = json_result(&testdata("rust-native-certs-plain"), &[]);
    assert_ne!(
        plain["toolchain"]["dependencies_from"],
        "cargo-auditable .dep-v0"
    );
    assert!(need(&plain, "ca-certificates").is_some());

    let webpki = json_result(&testdata("rust-webpki"), &[]);
    assert!(need(&webpki, "ca-certificates").is_none());
    assert!(webpki["notes"].to_string().contains("webpki-roots"));
}

#[test]
fn c_needs_come_from_imports_and_static_symbols() {
    let r = json_result(&testdata("c-getaddrinfo"), &[]);
    let n = need(&r, "name-service").unwrap();
    assert!(n["evidence"]
        .as_str()
        .unwrap()
        .contains("imports getaddrinfo"));
    assert_eq!(n["confidence"], "certain");
    let r = json_result(&testdata("c-getpwnam-static"), &[]);
    assert!(need(&r, "user-database").unwrap()["evidence"]
        .as_str()
        .unwrap()
        .contains("links getpwnam"));
    let r = json_result(&testdata("c-system"), &[]);
    assert_eq!(need(&r, "shell").unwrap()["tier"], "distro");
    let r = json_result(&testdata("c-dlopen-name"), &[]);
    let libs = need(&r, "runtime-libraries").unwrap();
    assert_eq!(libs["files"][0], "libz.so.1");
    assert_eq!(libs["confidence"], "likely");
}

#[test]
fn stripped_static_c_programs_fall_back_to_glibc_strings() {
    // A copy of the static getaddrinfo program with its symbol table stripped.
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("prog");
    std::fs::copy(testdata("c-getaddrinfo-static"), &copy).unwrap();
    let st = std::process::Command::new("strip")
        .arg(&copy)
        .status()
        .unwrap();
    assert!(st.success());
    let r = json_result(&copy, &[]);
    assert_eq!(r["facts"]["stripped"], true);
    let n = need(&r, "name-service").expect("name service from strings");
    assert_eq!(n["confidence"], "likely");
    assert!(n["evidence"].as_str().unwrap().contains("/etc/hosts"));
    // Host lookups need only the runtime's files; whether it also looks users up (which
    // loads NSS modules) the strings cannot tell, so that need is only possible.
    assert_eq!(r["verdict"]["tier"], "scratch");
    assert_eq!(need(&r, "nss-modules").unwrap()["status"], "not-counted");
    assert_eq!(tier_of(&copy, &["--strict"]), "base-nossl");
}

#[test]
fn static_glibc_user_lookups_are_tied_to_their_build_glibc() {
    // distroless static's nsswitch.conf says `passwd: compat`, a module a static glibc program
    // can load only from its own glibc: debian12's (2.36, the build's) works, 2.41 crashes it.
    let r = json_result(&testdata("c-getpwnam-static"), &[]);
    assert_eq!(
        r["verdict"]["image"],
        "gcr.io/distroless/base-nossl-debian12"
    );
    assert!(r["notes"].to_string().contains("fits debian12 only"));
    assert!(r["to_go_smaller"].to_string().contains("passwd: files"));
    assert_eq!(
        tier_of(&testdata("c-getpwnam-static"), &["--release", "debian13"]),
        "none"
    );
    // musl reads /etc/passwd itself: static is enough.
    assert_eq!(tier_of(&testdata("musl-getpwnam-static"), &[]), "static");
}

#[test]
fn ignore_drops_a_need_and_the_verdict_says_so() {
    let path = testdata("go-x509");
    assert_eq!(tier_of(&path, &["--ignore", "ca-certificates"]), "scratch");
    let r = json_result(&path, &["--ignore", "ca"]);
    assert_eq!(r["verdict"]["tier"], "scratch");
    assert_eq!(need(&r, "ca-certificates").unwrap()["status"], "ignored");
    assert!(r["notes"].to_string().contains("--ignore ca-certificates"));
    let o = whichbase()
        .args(["--ignore", "bogus"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(common::stderr(&o).contains("unknown need"));
}

#[test]
fn strict_counts_possible_needs() {
    let path = testdata("go-exec");
    let r = json_result(&path, &[]);
    let sh = need(&r, "shell").expect("os/exec is a possible shell need");
    assert_eq!(sh["confidence"], "possible");
    assert_eq!(sh["status"], "not-counted");
    assert_eq!(r["verdict"]["tier"], "scratch");
    assert!(r["notes"].to_string().contains("--strict"));
    let strict = json_result(&path, &["--strict"]);
    assert_eq!(strict["verdict"]["tier"], "distro");
    assert_eq!(need(&strict, "shell").unwrap()["status"], "counted");
}

#[test]
fn possible_needs_of_each_kind_count_only_when_strict() {
    // (program, need, tier with --strict)
    for (name, kind, strict_tier) in [
        ("go-mime", "mime-types", "static"),
        ("c-exec", "programs", "distro"),
        ("go-user", "home-dir", "static"),
    ] {
        let r = json_result(&testdata(name), &[]);
        let n = need(&r, kind).unwrap_or_else(|| panic!("{name}: no {kind} need"));
        assert_eq!(n["confidence"], "possible", "{name}");
        assert_eq!(n["status"], "not-counted", "{name}");
        assert_eq!(
            tier_of(&testdata(name), &["--strict"]),
            strict_tier,
            "{name}"
        );
    }
    let r = json_result(&testdata("c-iconv"), &[]);
    assert_eq!(
        need(&r, "locale-data").unwrap()["files"][0],
        "/usr/lib/x86_64-linux-gnu/gconv"
    );
}

#[test]
fn a_static_verdict_for_files_says_how_to_stay_on_scratch() {
    let r = json_result(&testdata("go-tz"), &[]);
    let lines = r["to_go_smaller"].to_string();
    assert!(lines.contains("to stay on scratch"), "{lines}");
    assert!(lines.contains("timetzdata"), "{lines}");
    let r = json_result(&testdata("go-x509"), &[]);
    let lines = r["to_go_smaller"].to_string();
    assert!(
        lines.contains("COPY --from=build /etc/ssl/certs/ca-certificates.crt"),
        "{lines}"
    );
    let r = json_result(&testdata("rust-native-certs"), &[]);
    assert!(r["to_go_smaller"].to_string().contains("webpki-roots"));
}

#[test]
fn the_table_shows_needs_with_confidence() {
    let o = whichbase().arg(testdata("go-x509")).output().unwrap();
    let text = common::stdout(&o);
    let line = text
        .lines()
        .find(|l| l.contains("CA certificates"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        line.contains("certain") && line.contains("crypto/x509") && line.contains("-> static"),
        "{line}"
    );
}

#[test]
fn the_gate_fails_when_a_need_raises_the_tier() {
    let o = whichbase()
        .args(["--max", "scratch"])
        .arg(testdata("go-x509"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        common::stderr(&o).contains("CA certificates"),
        "{}",
        common::stderr(&o)
    );
    let o = whichbase()
        .args(["--max", "scratch", "--ignore", "ca-certificates"])
        .arg(testdata("go-x509"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
}

/// README's needs table has a row for every need kind, and tests above cover each row.
#[test]
fn readme_lists_every_need() {
    let readme = std::fs::read_to_string(common::root().join("README.md")).unwrap();
    let kinds = [
        "ca-certificates",
        "time-zone-data",
        "user-database",
        "name-service",
        "shell",
        "programs",
        "temp-dir",
        "home-dir",
        "mime-types",
        "locale-data",
        "runtime-libraries",
        "nss-modules",
    ];
    for k in kinds {
        assert!(
            readme.contains(&format!("| `{k}` |")),
            "README needs table lacks {k}"
        );
    }
}

#[test]
fn toolchains_are_named_from_their_own_marks() {
    let cases = [
        ("go-x509", "Go"),
        ("rust-native-certs", "Rust"),
        ("rust-default", "Rust"),
        ("c-dynamic", "C"),
        ("cxx-dynamic", "C++"),
        ("zig-native", "Zig"),
        ("d-hello", "D"),
        ("nim-hello", "Nim"),
        ("crystal-hello", "Crystal"),
    ];
    let mut wrong = Vec::new();
    for (name, lang) in cases {
        let r = json_result(&testdata(name), &[]);
        if r["toolchain"]["language"] != lang {
            wrong.push(format!("{name}: want {lang}, got {}", r["toolchain"]));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    let r = json_result(&testdata("c-dynamic"), &[]);
    assert!(r["toolchain"]["compiler"]
        .as_str()
        .unwrap()
        .starts_with("GCC: (Debian"));
    let r = json_result(&testdata("rust-default"), &[]);
    assert!(r["toolchain"]["compiler"]
        .as_str()
        .unwrap()
        .starts_with("rustc version"));
}

#[test]
fn ignore_all_gives_the_verdict_on_libraries_alone() {
    let r = json_result(&testdata("c-system"), &["--ignore", "all"]);
    assert_eq!(r["verdict"]["tier"], "base-nossl");
    assert!(r["needs"]
        .as_array()
        .unwrap()
        .iter()
        .all(|n| n["status"] == "ignored"));
}
