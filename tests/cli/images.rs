//! Issue 6: container images as input, checks against a root, and Dockerfiles.
//!
//! The images are made by `testdata/images.sh` with umoci and skopeo from Debian (real layers,
//! real whiteouts, real docker-save and OCI archives). umoci's own `unpack` is the oracle for
//! applying layers; running the program in a root built from a written Dockerfile is the
//! judge of the Dockerfile.

use crate::common::{self, stderr, stdout, whichbase};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

fn images() -> PathBuf {
    let d = common::root().join("testdata/out/images");
    assert!(
        d.join("fat-docker.tar").exists(),
        "{} is missing: run testdata/build.sh (it runs images.sh)",
        d.display()
    );
    d
}

fn image_json(args: &[&str]) -> (Value, i32, String) {
    let o = whichbase()
        .arg("image")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("JSON: {e}\nstderr: {}", stderr(&o)));
    (doc, o.status.code().unwrap_or(-1), stderr(&o))
}

fn app_files(report: &Value) -> BTreeSet<String> {
    report["application_files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect()
}

/// The `fat` image unpacked by umoci: the reference for what the layers make.
fn unpacked_fat() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = common::root().join("target/test-images/fat-unpacked");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.parent().unwrap()).unwrap();
        let layout = images().join("fat");
        let o = Command::new("umoci")
            .args(["unpack", "--image"])
            .arg(format!("{}:fat", layout.display()))
            .arg(&dir)
            .output()
            .expect("umoci is installed by testdata/images.sh");
        assert!(o.status.success(), "umoci unpack: {}", stderr(&o));
        dir.join("rootfs")
    })
}

#[test]
fn docker_save_oci_archive_and_oci_layout_give_the_same_report() {
    let dir = images();
    let mut reports = Vec::new();
    for input in ["fat-docker.tar", "fat-oci.tar"] {
        let (doc, code, err) = image_json(&[dir.join(input).to_str().unwrap()]);
        assert_eq!(code, 0, "{input}: {err}");
        reports.push(doc["images"][0].clone());
    }
    let (doc, _, _) = image_json(&[dir.join("fat").to_str().unwrap()]);
    let layout = doc["images"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "fat")
        .expect("the layout's `fat` tag")
        .clone();
    reports.push(layout);
    for r in &reports {
        assert_eq!(r["platform"], "linux/amd64");
        assert_eq!(r["layers"], 3, "three layers: base, application, whiteouts");
        assert_eq!(r["base"]["os"], "Debian GNU/Linux 12 (bookworm)");
        assert_eq!(r["base"]["package_manager"], "dpkg");
        assert_eq!(r["entrypoint"]["program"], "/app/bin/server");
        assert_eq!(r["config"]["user"], "65532");
        // The C++ server needs libstdc++: cc. The Go tool alone would be scratch.
        assert_eq!(r["verdict"]["tier"], "cc");
        assert_eq!(r["verdict"]["image"], "gcr.io/distroless/cc-debian13");
        let files = app_files(r);
        let want: BTreeSet<String> = [
            "/app/bin/greeter",
            "/app/bin/lib/libfoo.so.1",
            "/app/bin/server",
            "/usr/local/bin/tool",
        ]
        .map(String::from)
        .into();
        assert_eq!(
            files, want,
            "the application's files, the deleted config.ini not among them"
        );
        // The greeter finds libfoo through RUNPATH $ORIGIN/lib: the application brings it.
        let greeter = r["programs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["path"] == "/app/bin/greeter")
            .unwrap();
        assert_eq!(greeter["brings"][0], "/app/bin/lib/libfoo.so.1");
        assert_eq!(greeter["verdict"]["tier"], "base-nossl");
        let now = r["size_now"].as_u64().unwrap();
        let rec = r["size_recommended"].as_u64().unwrap();
        assert!(
            rec < now / 2,
            "cc is far smaller than Debian: {rec} vs {now}"
        );
    }
    assert_eq!(reports[0]["name"], "docker.io/whichbase/fat:1");
}

#[test]
fn layers_are_applied_as_umoci_unpacks_them() {
    let rootfs = unpacked_fat();
    // Whiteouts: layer 3 deleted /usr/share/doc and /app/config.ini.
    assert!(!rootfs.join("usr/share/doc").exists() && !rootfs.join("app/config.ini").exists());
    let (from_layers, _, _) = image_json(&[images().join("fat-docker.tar").to_str().unwrap()]);
    let (from_dir, code, err) = image_json(&[rootfs.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let a = &from_layers["images"][0];
    let b = &from_dir["images"][0];
    assert_eq!(app_files(a), app_files(b));
    assert_eq!(
        a["size_now"], b["size_now"],
        "same regular files, same bytes"
    );
    assert_eq!(a["base"]["packages"], b["base"]["packages"]);
    assert_eq!(a["verdict"]["tier"], b["verdict"]["tier"]);
}

#[test]
fn a_multi_platform_index_gives_one_report_per_platform() {
    let multi = images().join("multi");
    let (doc, code, err) = image_json(&[multi.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let platforms: Vec<&str> = doc["images"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["platform"].as_str().unwrap())
        .collect();
    assert_eq!(platforms, ["linux/amd64", "linux/arm64"]);
    for r in doc["images"].as_array().unwrap() {
        assert_eq!(r["verdict"]["tier"], "scratch", "static programs: {r}");
        assert_eq!(r["entrypoint"]["program"], "/app/svc");
    }
    let (one, _, _) = image_json(&[multi.to_str().unwrap(), "--platform", "linux/arm64"]);
    assert_eq!(one["images"].as_array().unwrap().len(), 1);
    assert_eq!(one["images"][0]["platform"], "linux/arm64");
}

#[test]
fn against_another_base_names_what_is_missing_and_fails_the_job() {
    let dir = images();
    let fat = dir.join("fat-docker.tar");
    let o = whichbase()
        .arg("image")
        .arg(&fat)
        .arg("--against")
        .arg(dir.join("distroless12"))
        .output()
        .unwrap();
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(text.contains("libstdc++.so.6 => not found"), "{text}");
    // The greeter's own libfoo goes along with it: not reported missing.
    assert!(!text.contains("libfoo.so.1 => not found"), "{text}");
    // Against its own unpacked root, everything runs.
    let o = whichbase()
        .arg("image")
        .arg(&fat)
        .arg("--against")
        .arg(unpacked_fat())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("every program runs"));
    // A catalog image by reference: cc-debian12 has libstdc++.
    let o = whichbase()
        .arg("image")
        .arg(&fat)
        .args(["--against", "gcr.io/distroless/cc-debian12"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
}

#[test]
fn root_checks_speak_like_the_loader_with_readelf_as_oracle() {
    let root = images().join("distroless12");
    let future = common::testdata("zig-glibc-future");
    let o = whichbase()
        .arg("--root")
        .arg(&root)
        .arg(common::testdata("c-dynamic"))
        .arg(common::testdata("c-libpq"))
        .arg(&future)
        .output()
        .unwrap();
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{text}{}", stderr(&o));
    assert!(text.contains("c-dynamic: runs on"), "{text}");
    assert!(text.contains("libpq.so.5 => not found"), "{text}");
    // Every GLIBC version readelf says the program needs beyond 2.36 is named.
    let v = Command::new("readelf")
        .arg("-V")
        .arg(&future)
        .output()
        .unwrap();
    let versions: BTreeSet<String> = stdout(&v)
        .split_whitespace()
        .filter_map(|w| w.strip_prefix("GLIBC_2."))
        .filter(|n| n.parse::<u32>().is_ok_and(|n| n > 36))
        .map(|n| format!("GLIBC_2.{n}"))
        .collect();
    assert!(!versions.is_empty());
    // As the loader says it, naming the program by the path it was given, not by where a
    // Dockerfile would copy it.
    let shown = future.display().to_string();
    for ver in &versions {
        assert!(
            text.contains(&format!("`{ver}' not found (required by {shown})")),
            "{ver}: {text}"
        );
    }
    assert!(!text.contains("/app/"), "{text}");
    assert!(text.contains("has glibc 2.36"), "{text}");
    // A Go program that loads CA certificates, against an empty root: no CA bundle, no libc
    // needed.
    let empty = tempfile::tempdir().unwrap();
    let o = whichbase()
        .arg("--root")
        .arg(empty.path())
        .arg(common::testdata("go-x509"))
        .output()
        .unwrap();
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(
        text.contains("/etc/ssl/certs/ca-certificates.crt"),
        "{text}"
    );
    assert!(!text.contains("=> not found"), "{text}");
}

#[test]
fn hostile_image_layers_are_one_line_errors() {
    let tmp = tempfile::tempdir().unwrap();
    // A docker-save archive whose layer names ../etc/shadow.
    let mut layer = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_gnu();
    h.set_size(1);
    h.as_gnu_mut().unwrap().name[..13].copy_from_slice(b"../etc/shadow");
    h.set_cksum();
    layer.append(&h, &b"x"[..]).unwrap();
    let layer = layer.into_inner().unwrap();
    let mut outer = tar::Builder::new(Vec::new());
    let mut add = |name: &str, data: &[u8]| {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        outer.append_data(&mut h, name, data).unwrap();
    };
    add(
        "manifest.json",
        br#"[{"Config":"c.json","RepoTags":["evil:1"],"Layers":["l.tar"]}]"#,
    );
    add(
        "c.json",
        br#"{"architecture":"amd64","os":"linux","config":{}}"#,
    );
    add("l.tar", &layer);
    let path = tmp.path().join("evil.tar");
    std::fs::write(&path, outer.into_inner().unwrap()).unwrap();
    let o = whichbase().arg("image").arg(&path).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("evil.tar") && err.contains("leaves the root"),
        "{err}"
    );
    assert!(!Path::new("/etc/shadow.whichbase").exists());
    // Not an image at all.
    let junk = tmp.path().join("junk.tar");
    std::fs::write(&junk, b"not a tar archive at all, just text").unwrap();
    let o = whichbase().arg("image").arg(&junk).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
}

/// What a Dockerfile runner stage says, parsed for the judge.
struct Stage {
    image: String,
    release: String,
    packages: Vec<String>,
    copies: Vec<(String, Vec<String>, String)>,
    user: Option<String>,
    entrypoint: Vec<String>,
}

fn parse_dockerfile(text: &str) -> Stage {
    let mut s = Stage {
        image: String::new(),
        release: String::new(),
        packages: Vec::new(),
        copies: Vec::new(),
        user: None,
        entrypoint: Vec::new(),
    };
    let joined = text.replace("\\\n", " ");
    for line in joined.lines().filter(|l| !l.starts_with('#')) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.first().copied() {
            Some("FROM") if !line.contains(" AS ") => {
                let reference = words[1].split(':').next().unwrap();
                if reference == "scratch" {
                    s.image = "scratch".into();
                    s.release = "debian13".into();
                } else if let Some(rest) = reference.strip_prefix("gcr.io/distroless/") {
                    let (name, release) = rest.rsplit_once('-').unwrap();
                    s.image = name.into();
                    s.release = release.into();
                } else if let Some(v) = words[1].strip_prefix("debian:") {
                    s.image = "distro".into();
                    s.release = format!("debian{}", v.trim_end_matches("-slim"));
                }
            }
            Some("RUN") => {
                let after = line.split("--no-install-recommends").nth(1).unwrap_or("");
                s.packages = after
                    .split("&&")
                    .next()
                    .unwrap()
                    .split_whitespace()
                    .map(String::from)
                    .collect();
            }
            Some("COPY") => {
                let stage = words[1].strip_prefix("--from=").unwrap().to_string();
                let args: Vec<String> = words[2..]
                    .iter()
                    .filter(|w| !w.starts_with("--"))
                    .map(|w| w.to_string())
                    .collect();
                let (dest, sources) = args.split_last().unwrap();
                s.copies.push((stage, sources.to_vec(), dest.clone()));
            }
            Some("USER") => s.user = Some(words[1].to_string()),
            Some("ENTRYPOINT") => {
                s.entrypoint =
                    serde_json::from_str(line.trim_start_matches("ENTRYPOINT ")).unwrap();
            }
            _ => {}
        }
    }
    s
}

/// Builds the root a Dockerfile describes (the image's packages from Debian, plus its
/// copies: `build` from this repository's tree or this machine, `app` from `app_root`) and
/// runs its ENTRYPOINT there as its USER. Returns whether it exited 0, and its output.
fn run_dockerfile(text: &str, app_root: Option<&Path>) -> (bool, String) {
    let s = parse_dockerfile(text);
    assert!(!s.image.is_empty() && !s.entrypoint.is_empty(), "{text}");
    let tmp = tempfile::tempdir_in(common::root().join("target")).unwrap();
    let root = tmp.path().join("root");
    if s.image == "scratch" {
        std::fs::create_dir_all(&root).unwrap();
    } else {
        let mut cmd = Command::new("python3");
        cmd.arg(common::root().join("scripts/debian.py"))
            .args([
                "rootfs",
                "--release",
                &s.release,
                "--arch",
                "amd64",
                "--image",
                &s.image,
                "--out",
            ])
            .arg(&root);
        for p in &s.packages {
            cmd.args(["--add-package", p]);
        }
        let o = cmd.output().unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
    }
    for (stage, sources, dest) in &s.copies {
        for src in sources {
            let from = match (stage.as_str(), app_root) {
                ("app", Some(r)) => r.join(src.trim_start_matches('/')),
                ("build", _) if src.starts_with('/') => PathBuf::from(src),
                ("build", _) => common::root().join(src),
                _ => panic!("COPY from unknown stage {stage}"),
            };
            let to = if dest.ends_with('/') {
                root.join(dest.trim_start_matches('/'))
                    .join(Path::new(src).file_name().unwrap())
            } else {
                root.join(dest.trim_start_matches('/'))
            };
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            let st = Command::new("cp")
                .arg("-a")
                .arg(&from)
                .arg(&to)
                .status()
                .unwrap();
            assert!(st.success(), "cp {} {}", from.display(), to.display());
        }
    }
    std::fs::create_dir_all(root.join("dev")).unwrap();
    let _ = Command::new("mknod")
        .args(["-m", "666"])
        .arg(root.join("dev/null"))
        .args(["c", "1", "3"])
        .status();
    let user = match s.user.as_deref() {
        Some("nonroot") => "65532:65532".to_string(),
        Some(u) => u.to_string(),
        None => "0:0".to_string(),
    };
    run_in_root(&root, &user, &s.entrypoint)
}

/// Runs `argv` in `root` with chroot as `user` (uid:gid), with a fresh /proc mounted as a
/// container has one (glibc reads /proc/self/exe to expand `$ORIGIN` in the program's paths).
/// Returns whether it exited 0, and its output.
fn run_in_root(root: &Path, user: &str, argv: &[impl AsRef<std::ffi::OsStr>]) -> (bool, String) {
    let mut proc_arg = std::ffi::OsString::from("--mount-proc=");
    proc_arg.push(root.join("proc"));
    std::fs::create_dir_all(root.join("proc")).unwrap();
    let o = Command::new("/usr/bin/unshare")
        .env_clear()
        .args(["--mount", "--pid", "--fork"])
        .arg(proc_arg)
        .arg("/usr/sbin/chroot")
        .arg(format!("--userspec={user}"))
        .arg(root)
        .args(argv)
        .output()
        .unwrap();
    (o.status.success(), format!("{}{}", stdout(&o), stderr(&o)))
}

fn dockerfile_for(path: &Path, extra: &[&str]) -> String {
    let rel = path.strip_prefix(common::root()).unwrap();
    let o = whichbase()
        .current_dir(common::root())
        .arg("--dockerfile")
        .args(extra)
        .arg(rel)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o)
}

#[test]
fn written_dockerfiles_run_their_program() {
    // A C++ program (cc), $ORIGIN programs with their libraries copied beside them (base-nossl),
    // and a Go program kept on scratch with the CA bundle copied in (--max scratch).
    // And a program needing a library no distroless image has: debian slim + apt-get.
    let cases: [(&str, &[&str], &str); 5] = [
        (
            "c-libpq",
            &[],
            "apt-get install -y --no-install-recommends libpq5",
        ),
        (
            "cxx-dynamic",
            &[],
            "FROM gcr.io/distroless/cc-debian13:nonroot",
        ),
        (
            "c-origin",
            &[],
            "COPY --from=build testdata/out/lib/libfoo.so.1 /app/lib/libfoo.so.1",
        ),
        ("go-x509", &["--max", "scratch"], "FROM scratch"),
        // Its library needs a second one beside it, found through the inherited RPATH.
        (
            "c-rpath-chain",
            &[],
            "COPY --from=build testdata/out/lib/libbar.so.1 /app/lib/libbar.so.1",
        ),
    ];
    for (name, extra, expect) in cases {
        let text = dockerfile_for(&common::testdata(name), extra);
        assert!(text.contains(expect), "{name}: {text}");
        assert!(text.contains("ENTRYPOINT [\""), "exec form: {text}");
        let (ok, out) = run_dockerfile(&text, None);
        assert!(
            ok && out.trim_start().starts_with("ok"),
            "{name} in its Dockerfile's root:\n{text}\n{out}"
        );
    }
    // Without the copied CA bundle, the Go program fails: the COPY line is needed.
    let text = dockerfile_for(&common::testdata("go-x509"), &["--max", "scratch"]);
    let stripped: String = text
        .lines()
        .filter(|l| !l.contains("ca-certificates.crt"))
        .map(|l| format!("{l}\n"))
        .collect();
    let (ok, out) = run_dockerfile(&stripped, None);
    assert!(!ok, "go-x509 ran without its CA bundle: {out}");
    // --user root: no USER line and no :nonroot tag.
    let text = dockerfile_for(&common::testdata("cxx-dynamic"), &["--user", "root"]);
    assert!(
        !text.contains("USER") && !text.contains(":nonroot"),
        "{text}"
    );
}

#[test]
fn an_images_dockerfile_runs_its_entrypoint_on_the_smaller_base() {
    let o = whichbase()
        .arg("image")
        .arg(images().join("fat-docker.tar"))
        .arg("--dockerfile")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.starts_with("FROM docker.io/whichbase/fat:1 AS app"),
        "{text}"
    );
    assert!(
        text.contains("ENTRYPOINT [\"/app/bin/server\", \"--port=8080\"]"),
        "{text}"
    );
    let (ok, out) = run_dockerfile(&text, Some(unpacked_fat()));
    assert!(
        ok,
        "the image's server in cc-debian13 with the copied files:\n{text}\n{out}"
    );
}

#[test]
fn a_named_user_must_exist_in_the_root() {
    let program = common::testdata("c-dynamic");
    let check = |root: &Path, user: &str| {
        let o = whichbase()
            .arg("--root")
            .arg(root)
            .args(["--user", user])
            .arg(&program)
            .output()
            .unwrap();
        (o.status.code(), stdout(&o))
    };
    // Distroless has the nonroot user; Debian does not.
    let (code, text) = check(&images().join("distroless12"), "nonroot");
    assert_eq!(code, Some(0), "{text}");
    let (code, text) = check(unpacked_fat(), "nonroot");
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("user nonroot: not in"), "{text}");
    // A numeric uid needs no passwd entry.
    let (code, text) = check(unpacked_fat(), "65532");
    assert_eq!(code, Some(0), "{text}");
}

#[test]
fn a_script_entrypoint_needs_its_interpreter_in_the_image() {
    let (doc, code, err) = image_json(&[images().join("fat").to_str().unwrap()]);
    assert_eq!(
        code, 1,
        "an entrypoint that cannot start fails the job: {err}"
    );
    let r = doc["images"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "script")
        .expect("the `script` tag");
    let problem = r["entrypoint"]["problem"].as_str().unwrap_or("");
    assert!(
        problem.contains("#! interpreter /bin/sh is not in the image"),
        "{problem}"
    );
    assert_eq!(
        r["verdict"]["tier"], "distro",
        "a shell script needs a shell: {r}"
    );
}

#[test]
fn image_reports_speak_the_ci_formats_too() {
    let fat = images().join("fat-docker.tar");
    let tmp = tempfile::tempdir().unwrap();
    let o = whichbase()
        .arg("image")
        .arg(&fat)
        .args(["--format", "sarif", "--max", "base-nossl"])
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(1),
        "the gate still decides the exit code"
    );
    let doc = tmp.path().join("image.sarif");
    std::fs::write(&doc, &o.stdout).unwrap();
    let (ok, report) = crate::formats::validate(std::slice::from_ref(&doc));
    assert!(ok, "{report}");
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 3, "one result per program of the image");
    let errors: Vec<&Value> = results.iter().filter(|r| r["level"] == "error").collect();
    assert_eq!(
        errors.len(),
        1,
        "only the C++ server is over base-nossl: {results:?}"
    );
    let o = whichbase()
        .arg("image")
        .arg(&fat)
        .args(["--format", "github", "--max", "base-nossl"])
        .output()
        .unwrap();
    let text = stdout(&o);
    assert!(
        text.contains("::error file=") && text.contains("/app/bin/server"),
        "{text}"
    );
}

/// A root holding `c-rpath-chain` and `c-runpath-chain` with their libraries in /app/lib:
/// libchain.so.1 (no paths of its own) needs libbar.so.1 beside it.
fn chain_root() -> tempfile::TempDir {
    let tmp = tempfile::tempdir_in(common::root().join("target")).unwrap();
    let root = tmp.path();
    let st = Command::new("cp")
        .arg("-a")
        .arg(images().join("distroless12/."))
        .arg(root)
        .status()
        .unwrap();
    assert!(st.success());
    std::fs::create_dir_all(root.join("app/lib")).unwrap();
    for (from, to) in [
        ("c-rpath-chain", "app/c-rpath-chain"),
        ("c-runpath-chain", "app/c-runpath-chain"),
        ("lib/libchain.so.1", "app/lib/libchain.so.1"),
        ("lib/libbar.so.1", "app/lib/libbar.so.1"),
    ] {
        std::fs::copy(common::testdata(from), root.join(to)).unwrap();
    }
    tmp
}

/// glibc's loader searches the DT_RPATH of every object above a library (up to the program)
/// for that library's needs, but a DT_RUNPATH only for the object's own: `--root` and
/// `image` must say what the loader does, and the loader in a chroot is the judge.
#[test]
fn an_rpath_is_inherited_by_the_libraries_beneath_it_and_a_runpath_is_not() {
    let tmp = chain_root();
    let root = tmp.path();
    let (ran, out) = run_in_root(root, "0:0", &["/app/c-rpath-chain"]);
    assert!(ran && out.contains("ok c-rpath-chain (libbar)"), "{out}");
    let (ran, out) = run_in_root(root, "0:0", &["/app/c-runpath-chain"]);
    assert!(
        !ran && out.contains("libbar.so.1: cannot open shared object file"),
        "{out}"
    );

    let check = |program: &str| {
        let o = whichbase()
            .arg("--root")
            .arg(root)
            .arg(root.join(program))
            .output()
            .unwrap();
        (o.status.code(), stdout(&o))
    };
    let (code, text) = check("app/c-rpath-chain");
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("c-rpath-chain: runs on"), "{text}");
    let (code, text) = check("app/c-runpath-chain");
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("libbar.so.1 => not found (required by /app/lib/libchain.so.1)"),
        "{text}"
    );

    // The image report: each program brings what the loader would load for it, and the
    // libraries are not judged as programs of their own.
    let (doc, _, err) = image_json(&[root.to_str().unwrap()]);
    let programs = doc["images"][0]["programs"].as_array().unwrap();
    let program = |path: &str| {
        programs
            .iter()
            .find(|p| p["path"] == path)
            .unwrap_or_else(|| panic!("{path} not reported: {doc}\n{err}"))
    };
    let brings = |p: &Value| -> Vec<String> {
        p["brings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b.as_str().unwrap().to_string())
            .collect()
    };
    let rpath = program("/app/c-rpath-chain");
    assert_eq!(
        brings(rpath),
        ["/app/lib/libbar.so.1", "/app/lib/libchain.so.1"]
    );
    assert_eq!(rpath["verdict"]["tier"], "base-nossl", "{rpath}");
    let runpath = program("/app/c-runpath-chain");
    assert_eq!(brings(runpath), ["/app/lib/libchain.so.1"]);
    assert_eq!(runpath["verdict"]["tier"], "none", "{runpath}");
    assert!(
        runpath["verdict"]["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["need"] == "libbar.so.1" && r["tier"] == "none"),
        "{runpath}"
    );
    assert!(
        !programs
            .iter()
            .any(|p| p["path"].as_str().unwrap().starts_with("/app/lib/")),
        "a library reported as a program: {doc}"
    );
}

/// The classic hand-made scratch root: the program plus the files `ldd` names, copied to the
/// same paths. The loader lives only in /lib64, which is no search directory; libc.so.6 asks
/// for it by soname and glibc answers with the loader already running. `--root` must agree
/// with the chroot.
#[test]
fn a_root_of_copied_loader_and_libc_runs_and_root_says_so() {
    let tmp = tempfile::tempdir_in(common::root().join("target")).unwrap();
    let root = tmp.path();
    for (from, to) in [
        ("/lib64/ld-linux-x86-64.so.2", "lib64/ld-linux-x86-64.so.2"),
        (
            "/lib/x86_64-linux-gnu/libc.so.6",
            "lib/x86_64-linux-gnu/libc.so.6",
        ),
    ] {
        std::fs::create_dir_all(root.join(to).parent().unwrap()).unwrap();
        // std::fs::copy follows the host's symlinks, as `cp` does by default.
        std::fs::copy(from, root.join(to)).unwrap();
    }
    std::fs::copy(common::testdata("c-dynamic"), root.join("c-dynamic")).unwrap();
    let (ran, out) = run_in_root(root, "0:0", &["/c-dynamic"]);
    assert!(ran && out.starts_with("ok c-dynamic"), "{out}");
    let o = whichbase()
        .arg("--root")
        .arg(root)
        .arg(root.join("c-dynamic"))
        .output()
        .unwrap();
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{text}{}", stderr(&o));
    assert!(text.contains("c-dynamic: runs on"), "{text}");
}
