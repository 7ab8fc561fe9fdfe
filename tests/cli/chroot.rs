//! The final judge: each testdata program is run, with `chroot`, inside the root filesystem of
//! the image whichbase recommends (built by `scripts/debian.py rootfs` from the same Debian
//! packages the catalog names, as the archive serves them today), and inside the image just
//! below it. It must print its `ok` line in the first and fail in the second. A `none` verdict
//! must fail in every tier. Runs as root (CI does). Programs for arm64, armhf, riscv64, s390x
//! and ppc64le run in roots of their own architecture through qemu-user-static, copied into
//! the root.
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
fn rootfs(release: &str, arch: &str, image: &str, packages: &[String]) -> PathBuf {
    let key = format!(
        "{release}-{arch}-{image}{}",
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
            arch,
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
    // What every container runtime (Docker, containerd, CRI-O) bind-mounts into every
    // container, scratch included: /etc/hosts with localhost and /etc/resolv.conf. The
    // nameserver is unreachable here, as on a machine without network.
    std::fs::create_dir_all(dir.join("etc")).unwrap();
    std::fs::write(
        dir.join("etc/hosts"),
        "127.0.0.1\tlocalhost\n::1\tlocalhost\n",
    )
    .unwrap();
    std::fs::write(dir.join("etc/resolv.conf"), "nameserver 127.0.0.11\n").unwrap();
    // And the usual device nodes (Go's os/exec opens /dev/null for a child's stdin).
    std::fs::create_dir_all(dir.join("dev")).unwrap();
    for (name, minor) in [
        ("null", "3"),
        ("zero", "5"),
        ("full", "7"),
        ("random", "8"),
        ("urandom", "9"),
    ] {
        let node = dir.join("dev").join(name);
        if !node.exists() {
            let st = Command::new("mknod")
                .args(["-m", "666"])
                .arg(&node)
                .args(["c", "1", minor])
                .status()
                .expect("mknod runs");
            assert!(st.success(), "mknod {}", node.display());
        }
    }
    roots.insert(key, dir.clone());
    dir
}

/// The Debian architecture for a container platform, and the qemu-user binary that runs it
/// on this amd64 machine (none needed for amd64).
fn arch_of(platform: &str) -> Option<(&'static str, Option<&'static str>)> {
    Some(match platform {
        "linux/amd64" => ("amd64", None),
        "linux/arm64" => ("arm64", Some("/usr/bin/qemu-aarch64-static")),
        "linux/arm/v7" => ("armhf", Some("/usr/bin/qemu-arm-static")),
        "linux/riscv64" => ("riscv64", Some("/usr/bin/qemu-riscv64-static")),
        "linux/s390x" => ("s390x", Some("/usr/bin/qemu-s390x-static")),
        "linux/ppc64le" => ("ppc64el", Some("/usr/bin/qemu-ppc64le-static")),
        _ => return None,
    })
}

/// Copies the program (and for $ORIGIN programs, its lib/ directory) into /app of the root,
/// runs it there, and says whether it worked: exit 0, and with no arguments its `ok` line.
fn runs_in(root: &Path, program: &Path, args: &[&str], qemu: Option<&str>) -> (bool, String) {
    runs_hiding(root, program, args, qemu, &[], &[])
}

/// Runs `launcher... /app/prog args` in the root (an interpreter starting a script, JAR or
/// library); success is exit 0 and output starting with `ok` (the artifacts print that).
fn runs_with(root: &Path, program: &Path, launcher: &[&str], args: &[&str]) -> (bool, String) {
    runs_hiding(root, program, args, None, &[], launcher)
}

/// Like [`runs_in`], with the given paths of the root hidden inside the private mount
/// namespace: a file is covered by an empty one, a directory by an empty read-only tmpfs. The root on
/// disk is not changed.
fn runs_hiding(
    root: &Path,
    program: &Path,
    args: &[&str],
    qemu: Option<&str>,
    hide: &[PathBuf],
    launcher: &[&str],
) -> (bool, String) {
    // Tests share roots and run in parallel: each run gets its own directory.
    static RUN: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = RUN.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = format!("app{}-{n}", std::process::id());
    let app = root.join(&dir);
    let _ = std::fs::remove_dir_all(&app);
    std::fs::create_dir_all(app.join("lib")).unwrap();
    // The copy keeps the extension: Node.js tells an ES module by `.mjs`.
    let prog = match program.extension().and_then(|e| e.to_str()) {
        Some(ext) => format!("prog.{ext}"),
        None => "prog".to_string(),
    };
    std::fs::copy(program, app.join(&prog)).unwrap();
    for entry in std::fs::read_dir(program.parent().unwrap().join("lib"))
        .into_iter()
        .flatten()
        .flatten()
    {
        std::fs::copy(entry.path(), app.join("lib").join(entry.file_name())).unwrap();
    }
    // Like a container runtime: a private mount and PID namespace with /proc mounted (glibc
    // reads /proc/self/exe to expand $ORIGIN), then chroot into the image's root.
    let mut proc_arg = std::ffi::OsString::from("--mount-proc=");
    proc_arg.push(root.join("proc"));
    std::fs::create_dir_all(root.join("proc")).unwrap();
    let mut cmd = Command::new("/usr/bin/unshare");
    cmd.env_clear();
    cmd.args(["--mount", "--pid", "--fork"]).arg(proc_arg);
    if !hide.is_empty() {
        // mount(8) in the new namespace, then exec chroot: sh -c 'mount ...; exec "$@"'.
        let mut script = String::new();
        for (i, p) in hide.iter().enumerate() {
            let how = if p.is_dir() {
                "mount -t tmpfs -o ro tmpfs"
            } else {
                "mount --bind /dev/null"
            };
            script.push_str(&format!("{how} \"${{H{i}}}\" || exit 97; "));
            cmd.env(format!("H{i}"), p);
        }
        script.push_str("exec \"$@\"");
        cmd.args(["/bin/sh", "-c", &script, "sh"]);
    }
    cmd.arg("/usr/sbin/chroot").arg(root);
    if let Some(q) = qemu {
        std::fs::copy(q, app.join("qemu")).expect("qemu-user-static is installed by .ci/run");
        cmd.arg(format!("/{dir}/qemu"));
    }
    cmd.args(launcher)
        .arg(format!("/{dir}/{prog}"))
        .args(args)
        .env("PATH", "/usr/bin:/bin");
    // Tests run in parallel threads: a child forked by another thread can hold the copy's
    // write descriptor open until it execs, and exec then fails with ETXTBSY. Retry that.
    let mut attempt = 0;
    let (out, text) = loop {
        let out = cmd.output().expect("unshare runs");
        let text = format!("{}{}", common::stdout(&out), common::stderr(&out));
        attempt += 1;
        if !text.contains("Text file busy") || attempt == 10 {
            break (out, text);
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let _ = std::fs::remove_dir_all(&app);
    (
        out.status.success() && (!args.is_empty() || text.trim_start().starts_with("ok")),
        text.trim().to_string(),
    )
}

const LADDER: [&str; 6] = ["scratch", "static", "base-nossl", "base", "cc", "distro"];

/// The Debian packages a JSON result's verdict adds to the slim image.
fn verdict_packages(r: &serde_json::Value) -> Vec<String> {
    r["verdict"]["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p.as_str().map(str::to_string))
        .collect()
}

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
    // Without today's staging there is nothing to call stale: the verdict failure stands.
    let Ok(text) = std::fs::read_to_string(staging_path) else {
        return Vec::new();
    };
    let staging: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    let served = &staging["releases"][release]["arches"]["amd64"]["packages"];
    // Only the packages of the native images (static .. cc) can change a native verdict.
    let native: std::collections::BTreeSet<&str> = catalog["images"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|i| {
            ["static", "base-nossl", "base", "cc"].contains(&i["tier"].as_str().unwrap_or(""))
        })
        .flat_map(|i| {
            i["packages"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|p| p.as_str())
        })
        .collect();
    let mut stale = Vec::new();
    for (name, pkg) in catalog["packages"]
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(n, _)| native.contains(n.as_str()))
    {
        let ours = pkg["version"].as_str().unwrap_or_default();
        let today = served[name]["version"].as_str().unwrap_or_default();
        if !today.is_empty() && ours != today {
            stale.push(format!("{name} {ours} (archive: {today})"));
        }
    }
    stale
}

fn judge(name: &str, release: &str) -> Result<String, String> {
    judge_program(name, &testdata(name), &[], release)
}

/// Runs `program args` in the recommended image and the one below (see the module doc), on the
/// verdict for its libraries alone: these programs only print their ok line (or `--version`),
/// which exercises what it takes to start, not a filesystem need (c-dlopen does not even fail
/// without the library it names). The needs are judged by [`judge_needs`].
fn judge_program(
    name: &str,
    program: &Path,
    args: &[&str],
    release: &str,
) -> Result<String, String> {
    let flags = ["--release", release, "--ignore", "all"];
    judge_program_with(name, program, args, release, &flags)
}

/// [`judge_program`] with the given whichbase flags.
fn judge_program_with(
    name: &str,
    program: &Path,
    args: &[&str],
    release: &str,
    flags: &[&str],
) -> Result<String, String> {
    let r = json_result(program, flags);
    let tier = r["verdict"]["tier"].as_str().unwrap_or("?").to_string();
    let platform = r["platform"].as_str().unwrap_or("?");
    let packages = verdict_packages(&r);
    let excuse_if_stale = |what: String| -> Result<(), String> {
        let stale = stale_packages(release);
        if stale.is_empty() {
            Err(format!(
                "{name} ({release}, {platform}): verdict {tier}: {what}"
            ))
        } else {
            eprintln!("catalog is stale for {release}: {}", stale.join(", "));
            Ok(())
        }
    };
    let Some((arch, qemu)) = arch_of(platform) else {
        // No image exists for the platform at all: nothing to run it in.
        return if tier == "none" {
            Ok(format!(
                "{name} ({release}): none, no image exists for {platform}"
            ))
        } else {
            Err(format!(
                "{name}: verdict {tier} for {platform}, which no image is built for"
            ))
        };
    };
    let published = common::root()
        .join(format!("src/catalog/data/{release}-{arch}.json"))
        .exists();
    if !published {
        return if tier == "none" {
            Ok(format!(
                "{name} ({release}): none, {release} has no {platform} images"
            ))
        } else {
            Err(format!(
                "{name}: verdict {tier} on {release}, which has no {platform} images"
            ))
        };
    }
    if tier == "none" {
        for t in LADDER {
            let (ok, out) = runs_in(&rootfs(release, arch, t, &[]), program, args, qemu);
            if ok {
                excuse_if_stale(format!("it runs in {t}: {out}"))?;
            }
        }
        return Ok(format!(
            "{name} ({release}, {platform}): none, fails in every tier"
        ));
    }
    let pos = LADDER
        .iter()
        .position(|t| *t == tier)
        .ok_or(format!("{name}: tier {tier} is not judged here"))?;
    let (ok, out) = runs_in(
        &rootfs(release, arch, &tier, &packages),
        program,
        args,
        qemu,
    );
    if !ok {
        excuse_if_stale(format!("does not run there: {out}"))?;
    }
    let mut below_note = String::new();
    if pos > 0 {
        // The image just below; for distro with extra packages, the slim image without them.
        let below = if tier == "distro" && !packages.is_empty() {
            "distro"
        } else {
            LADDER[pos - 1]
        };
        let (ok_below, out_below) =
            runs_in(&rootfs(release, arch, below, &[]), program, args, qemu);
        if ok_below {
            excuse_if_stale(format!("also runs in the smaller {below}: {out_below}"))?;
        }
        below_note = format!(
            ", fails in {below}{}",
            if below == tier { " without them" } else { "" }
        );
    }
    Ok(format!(
        "{name} ({release}, {platform}): runs in {tier}{}{below_note}",
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
        "c-tinfo",
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
        "c-rpath-chain",
        "c-runpath-chain",
        "c-origin-two",
        "c-dlopen",
        "zig-glibc238",
        "zig-glibc-future",
        "c-nix-interp",
        "c-aarch64",
        "zig-aarch64-musl",
        "zig-armhf",
        "zig-riscv64",
        "zig-s390x",
        "zig-ppc64le",
        "zig-i386",
        "zig-native",
        "d-hello",
        "nim-hello",
        "crystal-hello",
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

/// Programs from this machine's Debian 12 packages, run with `--version`: real binaries
/// nobody here wrote, judged the same way.
fn judge_host_programs(release: &str) {
    let programs = [
        ("/usr/bin/gzip", "--version"),
        ("/usr/bin/sed", "--version"),
        ("/usr/bin/tar", "--version"),
        ("/usr/bin/ls", "--version"),
        ("/usr/bin/openssl", "version"),
        ("/usr/bin/curl", "--version"),
        ("/usr/bin/python3.11", "--version"),
    ];
    let mut failures = Vec::new();
    for (p, arg) in programs {
        let path = Path::new(p);
        assert!(path.exists(), "{p} is missing: .ci/run installs it");
        match judge_program(p, path, &[arg], release) {
            Ok(line) => eprintln!("{line}"),
            Err(e) => failures.push(e),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every ELF program of this machine's /usr/bin, judged by the loader of the image it is given:
/// for each dynamic amd64 program whose verdict (on its libraries alone) is a distroless image
/// or the slim image with nothing added, that image's own `ld.so --list`, run in the chroot of
/// its root, finds every library and symbol version the program needs; and where the verdict
/// is base or cc, the loader of the image just below does not. `--list` maps the program and
/// its libraries and checks their versions without running the program, so hundreds of real
/// programs nobody here wrote are judged in seconds.
fn loader_lists_host_programs(release: &str) {
    let mut programs: Vec<PathBuf> = std::fs::read_dir("/usr/bin")
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.symlink_metadata().is_ok_and(|m| m.is_file())
                && std::fs::File::open(p)
                    .and_then(|mut f| {
                        let mut magic = [0u8; 4];
                        std::io::Read::read_exact(&mut f, &mut magic).map(|()| magic)
                    })
                    .is_ok_and(|m| &m == b"\x7fELF")
        })
        .collect();
    programs.sort();
    let out = common::whichbase()
        .args(["--format", "json", "--release", release, "--ignore", "all"])
        .args(&programs)
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // The loader of a root lists the program: exit 0 and nothing "not found".
    let lists = |root: &Path, program: &Path| -> (bool, String) {
        static RUN: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = RUN.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = root.join(format!("list{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // A hard link when the root is on the same filesystem (node alone is 100 MB).
        let copy = dir.join("prog");
        if std::fs::hard_link(program, &copy).is_err() {
            std::fs::copy(program, &copy).unwrap();
        }
        let inside = format!("/{}/prog", dir.file_name().unwrap().to_string_lossy());
        let out = Command::new("/usr/sbin/chroot")
            .arg(root)
            .args(["/lib64/ld-linux-x86-64.so.2", "--list", &inside])
            .env_clear()
            .output()
            .expect("chroot runs");
        let _ = std::fs::remove_dir_all(&dir);
        let text = format!("{}{}", common::stdout(&out), common::stderr(&out));
        (
            out.status.success() && !text.contains("not found"),
            text.trim().to_string(),
        )
    };
    let (mut checked, mut below_checked, mut failures) = (0, 0, Vec::new());
    for r in doc["results"].as_array().unwrap() {
        let tier = r["verdict"]["tier"].as_str().unwrap_or("");
        let nothing_added = r["verdict"]["packages"]
            .as_array()
            .is_none_or(|p| p.is_empty());
        let judged =
            ["base-nossl", "base", "cc"].contains(&tier) || (tier == "distro" && nothing_added);
        if !judged || r["platform"] != "linux/amd64" || r["linkage"] != "dynamic" {
            continue;
        }
        let path = Path::new(r["path"].as_str().unwrap());
        checked += 1;
        let (ok, text) = lists(&rootfs(release, "amd64", tier, &[]), path);
        if !ok {
            failures.push(format!(
                "{}: {tier}, but its loader says: {text}",
                path.display()
            ));
        }
        // Below base-nossl there is no loader at all: nothing to show.
        if tier == "base" || tier == "cc" || tier == "distro" {
            let below = LADDER[LADDER.iter().position(|t| *t == tier).unwrap() - 1];
            below_checked += 1;
            let (ok, _) = lists(&rootfs(release, "amd64", below, &[]), path);
            if ok {
                failures.push(format!("{}: {tier}, but {below} loads it", path.display()));
            }
        }
    }
    // Verdicts that add Debian packages to the slim image: the slim image with them (and what
    // they depend on, as apt would install it) lists the program, and without them it does
    // not. Each package set is a root of its own, so only the first few sets are built.
    let mut by_packages: BTreeMap<Vec<String>, Vec<PathBuf>> = BTreeMap::new();
    let mut unchecked_versions: BTreeMap<PathBuf, Vec<String>> = BTreeMap::new();
    for r in doc["results"].as_array().unwrap() {
        let packages = verdict_packages(r);
        if r["verdict"]["tier"] == "distro"
            && !packages.is_empty()
            && r["platform"] == "linux/amd64"
            && r["linkage"] == "dynamic"
        {
            let path = PathBuf::from(r["path"].as_str().unwrap());
            by_packages.entry(packages).or_default().push(path.clone());
            // The libraries whose symbol versions the verdict says it could not check (their
            // packages are not in the catalog): a version the loader misses there is that
            // stated limit, not a wrong verdict. Libraries must still all be found.
            let unchecked: Vec<String> = r["notes"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|n| n.as_str())
                .filter(|n| n.contains(" not checked (its package is not in the catalog)"))
                .filter_map(|n| Some(n.split_once(": versions ")?.0.to_string()))
                .collect();
            unchecked_versions.insert(path, unchecked);
        }
    }
    // Whether a loader's complaint is only a version of a library in `unchecked`
    // ("/lib/x86_64-linux-gnu/libdbus-1.so.3: version `LIBDBUS_PRIVATE_1.14.10' not found").
    let only_unchecked_versions = |text: &str, unchecked: &[String]| {
        text.lines().filter(|l| l.contains("not found")).all(|l| {
            l.split_once(": version `").is_some_and(|(lib, _)| {
                let file = lib.rsplit('/').next().unwrap_or(lib);
                unchecked.iter().any(|u| u == file)
            })
        })
    };
    let mut with_packages = 0;
    for (packages, paths) in by_packages.iter().take(MAX_PACKAGE_SETS) {
        let root = rootfs(release, "amd64", "distro", packages);
        let slim = rootfs(release, "amd64", "distro", &[]);
        for path in paths {
            with_packages += 1;
            let (ok, text) = lists(&root, path);
            let unchecked = unchecked_versions.get(path).map_or(&[][..], Vec::as_slice);
            if !ok && !only_unchecked_versions(&text, unchecked) {
                failures.push(format!(
                    "{}: distro + {}, but its loader says: {text}",
                    path.display(),
                    packages.join(" ")
                ));
            }
            if lists(&slim, path).0 {
                failures.push(format!(
                    "{}: distro + {}, but the slim image alone loads it",
                    path.display(),
                    packages.join(" ")
                ));
            }
        }
    }
    eprintln!("{release}: {checked} programs listed by their image's loader, {below_checked} refused by the one below, {with_packages} with the packages their verdict adds ({} of {} package sets)", by_packages.len().min(MAX_PACKAGE_SETS), by_packages.len());
    // A fresh Debian 12 machine with what .ci/run installs has hundreds of these.
    assert!(checked >= 100, "only {checked} programs judged");
    if !failures.is_empty() {
        let stale = stale_packages(release);
        assert!(
            !stale.is_empty(),
            "{} of {checked} verdicts do not hold:\n{}",
            failures.len(),
            failures.join("\n")
        );
        eprintln!("catalog is stale for {release}: {}", stale.join(", "));
    }
}

/// How many package sets `loader_lists_host_programs` builds a root for (each takes seconds).
const MAX_PACKAGE_SETS: usize = 8;

#[test]
fn the_loader_of_each_image_lists_the_host_programs_given_it_debian12() {
    loader_lists_host_programs("debian12");
}

#[test]
fn the_loader_of_each_image_lists_the_host_programs_given_it_debian13() {
    loader_lists_host_programs("debian13");
}

#[test]
fn verdicts_for_debian_programs_hold_in_debian12_roots() {
    judge_host_programs("debian12");
}

#[test]
fn verdicts_for_debian_programs_hold_in_debian13_roots() {
    judge_host_programs("debian13");
}

/// The programs that exercise a filesystem need, with the flags their verdict is judged with.
/// Each does the thing (loads the CA pool, Europe/Paris, `nonroot`, resolves `localhost`, runs
/// `sh -c`), so it must run in the recommended image; and each counted need must be real: the
/// program fails in the recommended image with that need's files hidden.
const NEED_PROGRAMS: &[(&str, &[&str])] = &[
    ("go-x509", &[]),
    ("go-x509-old", &[]),
    ("go-stripped", &[]),
    ("go-tz", &[]),
    ("go-tzdata", &[]),
    ("go-tz-tag", &[]),
    ("go-user", &[]),
    ("go-user-cgo", &[]),
    ("go-netgo", &[]),
    ("go-dns", &[]),
    ("go-exec", &["--strict"]),
    ("rust-native-certs", &[]),
    ("rust-native-certs-plain", &[]),
    ("rust-webpki", &[]),
    ("rust-openssl", &[]),
    ("rust-tz-jiff", &[]),
    ("c-getaddrinfo", &[]),
    ("c-getaddrinfo-static", &[]),
    ("c-getpwnam", &[]),
    ("c-getpwnam-static", &[]),
    ("musl-getpwnam-static", &[]),
    ("c-system", &[]),
    ("c-tz-static", &[]),
    ("c-dlopen-name", &[]),
    ("go-tmp", &[]),
    ("go-mime", &["--strict"]),
    ("c-iconv", &[]),
    ("c-exec", &["--strict"]),
];

fn judge_needs(release: &str) {
    let mut failures = Vec::new();
    for (name, flags) in NEED_PROGRAMS {
        let program = testdata(name);
        let mut args = vec!["--release", release];
        args.extend_from_slice(flags);
        match judge_program_with(name, &program, &[], release, &args) {
            Ok(line) => eprintln!("{line}"),
            Err(e) => {
                failures.push(e);
                continue;
            }
        }
        let r = json_result(&program, &args);
        let tier = r["verdict"]["tier"].as_str().unwrap_or("?").to_string();
        let packages = verdict_packages(&r);
        if tier == "none" {
            continue;
        }
        let root = rootfs(release, "amd64", &tier, &packages);
        for n in r["needs"].as_array().into_iter().flatten() {
            // Library names are proven by the image below lacking them; `programs` names no file.
            if n["status"] != "counted"
                || n["kind"] == "runtime-libraries"
                || n["kind"] == "programs"
            {
                continue;
            }
            let kind = n["kind"].as_str().unwrap_or("?");
            let hide: Vec<PathBuf> = n["files"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|f| f.as_str())
                .flat_map(|f| {
                    // A library name (nss-modules) is looked for where glibc's loader looks.
                    if f.starts_with('/') {
                        vec![root.join(f.trim_start_matches('/'))]
                    } else {
                        ["lib/x86_64-linux-gnu", "usr/lib/x86_64-linux-gnu"]
                            .iter()
                            .map(|d| root.join(d).join(f))
                            .collect()
                    }
                })
                // Mount over what a link points to, and never over anything outside the root
                // (an absolute link would resolve on the host).
                .filter_map(|p| p.canonicalize().ok())
                .filter(|p| root.canonicalize().is_ok_and(|r| p.starts_with(r)))
                .collect();
            if hide.is_empty() {
                failures.push(format!(
                    "{name} ({release}): {kind}: none of its files is in {tier}"
                ));
                continue;
            }
            let (ok, out) = runs_hiding(&root, &program, &[], None, &hide, &[]);
            if ok {
                failures.push(format!(
                    "{name} ({release}): {kind} counted, but it still runs in {tier} with {hide:?} hidden: {out}"
                ));
            } else {
                eprintln!("{name} ({release}): {kind} is real: fails in {tier} without it: {out}");
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn filesystem_needs_hold_when_run_in_debian13_roots() {
    judge_needs("debian13");
}

#[test]
fn filesystem_needs_hold_when_run_in_debian12_roots() {
    judge_needs("debian12");
}

/// Artifacts a runtime runs, judged in roots built from Debian's own packages. The python3
/// image is made of Debian packages, so its root is the real thing. The java and nodejs
/// images carry runtimes from outside Debian (Temurin, the Node.js tarball), so the stand-ins
/// are the same base images plus Debian's own runtime packages: openjdk-21/25-jre-headless
/// on java-base, nodejs (Node.js 20) on cc. Each case names its root and the root where the
/// artifact must fail.
struct RuntimeCase {
    artifact: &'static str,
    /// The verdict whichbase must give (tier and a piece of the image reference).
    tier: &'static str,
    image: &'static str,
    /// (release, image, extra packages, launcher) that must run it.
    runs: (
        &'static str,
        &'static str,
        &'static [&'static str],
        &'static [&'static str],
    ),
    /// The same, one step below: must fail.
    fails: (
        &'static str,
        &'static str,
        &'static [&'static str],
        &'static [&'static str],
    ),
    args: &'static [&'static str],
}

const PY_LOAD: &str = "import importlib.machinery as m, importlib.util as u, sys; l = m.ExtensionFileLoader(sys.argv[1], sys.argv[2]); mod = u.module_from_spec(u.spec_from_loader(sys.argv[1], l)); l.exec_module(mod); print('ok loaded')";

/// `java -jar` of Debian's OpenJDK 21 and 25 runtimes, the stand-ins for Temurin.
const JAVA21: &[&str] = &["/usr/lib/jvm/java-21-openjdk-amd64/bin/java", "-jar"];
const JAVA25: &[&str] = &["/usr/lib/jvm/java-25-openjdk-amd64/bin/java", "-jar"];

const RUNTIME_CASES: &[RuntimeCase] = &[
    RuntimeCase {
        artifact: "python/hello.py",
        tier: "python3",
        image: "python3-debian13",
        runs: ("debian13", "python3", &[], &["/usr/bin/python3"]),
        fails: ("debian13", "cc", &[], &["/usr/bin/python3"]),
        args: &[],
    },
    RuntimeCase {
        artifact: "python/app.pyz",
        tier: "python3",
        image: "python3-debian13",
        runs: ("debian13", "python3", &[], &["/usr/bin/python3"]),
        fails: ("debian13", "cc", &[], &["/usr/bin/python3"]),
        args: &[],
    },
    RuntimeCase {
        artifact: "node/app/index.js",
        tier: "nodejs",
        image: "nodejs24-debian13",
        runs: ("debian13", "cc", &["nodejs"], &["/usr/bin/node"]),
        fails: ("debian13", "cc", &[], &["/usr/bin/node"]),
        args: &[],
    },
    RuntimeCase {
        artifact: "java/hello17.jar",
        tier: "java",
        image: "java17-debian13",
        runs: (
            "debian13",
            "java-base",
            &["openjdk-21-jre-headless"],
            JAVA21,
        ),
        fails: ("debian13", "base-nossl", &[], JAVA21),
        args: &[],
    },
    // Java 25 classes: run by a Java 25 runtime, refused by Java 21 (one image down).
    RuntimeCase {
        artifact: "java/hello25.jar",
        tier: "java",
        image: "java25-debian13",
        runs: (
            "debian13",
            "java-base",
            &["openjdk-25-jre-headless"],
            JAVA25,
        ),
        fails: (
            "debian13",
            "java-base",
            &["openjdk-21-jre-headless"],
            JAVA21,
        ),
        args: &[],
    },
    // A Node-API addon: loaded with process.dlopen by the stand-in Node.js.
    RuntimeCase {
        artifact: "node/addon/prebuilds/linux-x64/bufferutil.node",
        tier: "nodejs",
        image: "nodejs22-debian13",
        runs: (
            "debian13",
            "cc",
            &["nodejs"],
            &[
                "/usr/bin/node",
                "-e",
                "process.dlopen({exports: {}}, process.argv[1]); console.log('ok addon loaded')",
            ],
        ),
        fails: (
            "debian13",
            "cc",
            &[],
            &[
                "/usr/bin/node",
                "-e",
                "process.dlopen({exports: {}}, process.argv[1]); console.log('ok addon loaded')",
            ],
        ),
        args: &[],
    },
    // A PyInstaller one-file bundle: its bootloader needs libz (base); it unpacks into /tmp.
    RuntimeCase {
        artifact: "python/pyinstaller-hello",
        tier: "base",
        image: "base-debian13",
        runs: ("debian13", "base", &[], &[]),
        fails: ("debian13", "base-nossl", &[], &[]),
        args: &[],
    },
    RuntimeCase {
        artifact: "node/esm.mjs",
        tier: "nodejs",
        image: "nodejs22-debian13",
        runs: ("debian13", "cc", &["nodejs"], &["/usr/bin/node"]),
        fails: ("debian13", "cc", &[], &["/usr/bin/node"]),
        args: &[],
    },
    RuntimeCase {
        artifact: "node/cjs.cjs",
        tier: "nodejs",
        image: "nodejs22-debian13",
        runs: ("debian13", "cc", &["nodejs"], &["/usr/bin/node"]),
        fails: ("debian13", "cc", &[], &["/usr/bin/node"]),
        args: &[],
    },
    RuntimeCase {
        artifact: "scripts/env-s.sh",
        tier: "python3",
        image: "python3-debian13",
        runs: ("debian13", "python3", &[], &["/usr/bin/python3", "-u"]),
        fails: ("debian13", "cc", &[], &["/usr/bin/python3", "-u"]),
        args: &[],
    },
    RuntimeCase {
        artifact: "java/hello17-native.jar",
        tier: "java",
        image: "java17-debian13",
        runs: (
            "debian13",
            "java-base",
            &["openjdk-21-jre-headless"],
            JAVA21,
        ),
        fails: ("debian13", "base-nossl", &[], JAVA21),
        args: &[],
    },
    // Bundles: the runtime is inside, so they run like the native programs they are.
    RuntimeCase {
        artifact: "bundles/node-sea",
        tier: "cc",
        image: "cc-debian13",
        runs: ("debian13", "cc", &[], &[]),
        fails: ("debian13", "base", &[], &[]),
        args: &[],
    },
    RuntimeCase {
        artifact: "bundles/bun-hello",
        tier: "base-nossl",
        image: "base-nossl-debian13",
        runs: ("debian13", "base-nossl", &[], &[]),
        fails: ("debian13", "static", &[], &[]),
        args: &[],
    },
    // A self-contained .NET single-file program loads ICU at start: debian slim with libicu.
    RuntimeCase {
        artifact: "bundles/dotnet-sarif-multitool",
        tier: "distro",
        image: "debian:13-slim",
        runs: ("debian13", "distro", &["libicu76"], &[]),
        fails: ("debian13", "distro", &[], &[]),
        args: &["--version"],
    },
    RuntimeCase {
        artifact: "scripts/lsb_release",
        tier: "distro",
        image: "debian:13-slim",
        runs: ("debian13", "distro", &[], &[]),
        fails: ("debian13", "cc", &[], &[]),
        args: &["-i"],
    },
];

fn runtime_root(spec: (&str, &str, &[&str], &[&str])) -> PathBuf {
    let packages: Vec<String> = spec.2.iter().map(|p| p.to_string()).collect();
    rootfs(spec.0, "amd64", spec.1, &packages)
}

#[test]
fn runtime_artifacts_run_in_their_image_and_fail_below() {
    let mut failures = Vec::new();
    for c in RUNTIME_CASES {
        let path = common::root()
            .join("testdata/out/artifacts")
            .join(c.artifact);
        let r = json_result(&path, &[]);
        let image = r["verdict"]["image"].as_str().unwrap_or_default();
        if r["verdict"]["tier"] != c.tier || !image.contains(c.image) {
            failures.push(format!(
                "{}: verdict {} {image}, want {} {}",
                c.artifact, r["verdict"]["tier"], c.tier, c.image
            ));
            continue;
        }
        let (ok, out) = runs_with(&runtime_root(c.runs), &path, c.runs.3, c.args);
        if !ok {
            failures.push(format!(
                "{}: does not run in {:?}: {out}",
                c.artifact,
                &c.runs.1..
            ));
            continue;
        }
        let (ok_below, out_below) = runs_with(&runtime_root(c.fails), &path, c.fails.3, c.args);
        if ok_below {
            failures.push(format!(
                "{}: also runs in {} {:?}: {out_below}",
                c.artifact, c.fails.1, c.fails.2
            ));
            continue;
        }
        eprintln!(
            "{}: runs in {} {:?}; fails in {} {:?}: {}",
            c.artifact,
            c.runs.1,
            c.runs.2,
            c.fails.1,
            c.fails.2,
            out_below.lines().next().unwrap_or_default()
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Python extension modules load in the interpreter of the image the verdict names, and not
/// in the other: the cp313 build in the python3 image (3.13), the cp311 build in debian12 with
/// Debian's python3.11.
#[test]
fn python_extensions_load_only_in_their_python() {
    let wheels = common::root().join("testdata/out/artifacts/python/wheels");
    let cp313 = wheels
        .join("markupsafe-cp313-manylinux/markupsafe/_speedups.cpython-313-x86_64-linux-gnu.so");
    let cp311 = wheels
        .join("markupsafe-cp311-manylinux/markupsafe/_speedups.cpython-311-x86_64-linux-gnu.so");
    let r = json_result(&cp311, &[]);
    assert_eq!(r["verdict"]["image"], "debian:12-slim");
    assert_eq!(r["verdict"]["packages"][0], "python3.11-minimal");
    let py313 = rootfs("debian13", "amd64", "python3", &[]);
    let py311 = rootfs(
        "debian12",
        "amd64",
        "distro",
        &["python3.11-minimal".to_string()],
    );
    let load = |root: &Path, python: &str, so: &Path| {
        runs_with(
            root,
            so,
            &[python, "-c", PY_LOAD, "markupsafe._speedups"],
            &[],
        )
    };
    let mut failures = Vec::new();
    for (what, ok_want, (ok, out)) in [
        (
            "cp313 in python3-debian13",
            true,
            load(&py313, "/usr/bin/python3.13", &cp313),
        ),
        (
            "cp311 in python3-debian13",
            false,
            load(&py313, "/usr/bin/python3.13", &cp311),
        ),
        (
            "cp311 in debian12 + python3.11",
            true,
            load(&py311, "/usr/bin/python3.11", &cp311),
        ),
    ] {
        if ok != ok_want {
            failures.push(format!(
                "{what}: want {}, got: {out}",
                if ok_want { "loads" } else { "fails" }
            ));
        } else {
            eprintln!("{what}: {}", out.lines().last().unwrap_or_default());
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
