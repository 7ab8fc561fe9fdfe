//! Hostile and broken inputs, generated here from good files: each must give exit 2 and one
//! stderr line naming the path, in bounded time, never a panic or a hang.

use crate::common::{self, whichbase};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Runs whichbase on one path with a deadline; returns (exit code, stderr).
fn run_bounded(path: &Path) -> (i32, String) {
    let mut child = whichbase()
        .arg(path)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("whichbase starts");
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            let out = child.wait_with_output().expect("output");
            return (status.code().unwrap_or(-1), common::stderr(&out));
        }
        if start.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("whichbase hung on {}", path.display());
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn assert_one_line_error(path: &Path, code: i32, err: &str) {
    assert_eq!(code, 2, "{}: exit {code}, stderr: {err}", path.display());
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines.len(),
        1,
        "{}: want one stderr line, got: {err}",
        path.display()
    );
    assert!(
        lines[0].starts_with("whichbase: ") && lines[0].contains(&path.display().to_string()),
        "{}: the line must name the path: {err}",
        path.display()
    );
    assert!(
        !err.contains("panicked"),
        "panic on {}: {err}",
        path.display()
    );
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write");
    p
}

fn u16_at(b: &[u8], at: usize) -> usize {
    u16::from_le_bytes([b[at], b[at + 1]]) as usize
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().unwrap())
}

#[test]
fn truncations_at_every_header_boundary_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read(common::testdata("c-dynamic")).unwrap();
    // ELF64 little-endian: e_phoff at 32, e_shoff at 40, e_phentsize 54, e_phnum 56.
    let phoff = u64_at(&good, 32) as usize;
    let phnum = u16_at(&good, 56);
    let mut cuts = vec![0usize, 1, 4, 5, 16, 63, phoff, phoff + 56 * phnum - 1];
    // Cut inside every segment's contents (interpreter, dynamic, notes, loads).
    for i in 0..phnum {
        let at = phoff + i * 56;
        let off = u64_at(&good, at + 8) as usize;
        let size = u64_at(&good, at + 32) as usize;
        if size > 0 && off + size <= good.len() {
            cuts.push(off + size / 2);
            cuts.push(off + size - 1);
        }
    }
    cuts.push(good.len() - 1);
    cuts.sort_unstable();
    cuts.dedup();
    for cut in cuts.into_iter().filter(|&c| c > 0) {
        let p = write(dir.path(), &format!("cut-{cut}"), &good[..cut]);
        let (code, err) = run_bounded(&p);
        assert_one_line_error(&p, code, &err);
    }
}

#[test]
fn forged_counts_and_offsets_are_errors_not_allocations() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read(common::testdata("c-dynamic")).unwrap();
    let mut cases: Vec<(&str, Vec<u8>)> = Vec::new();
    let mut forged = good.clone();
    forged[56..58].copy_from_slice(&0xffffu16.to_le_bytes()); // e_phnum = PN_XNUM
    cases.push(("phnum-ffff", forged));
    let mut forged = good.clone();
    forged[60..62].copy_from_slice(&0xffffu16.to_le_bytes()); // e_shnum
    cases.push(("shnum-ffff", forged));
    let mut forged = good.clone();
    forged[32..40].copy_from_slice(&u64::MAX.to_le_bytes()); // e_phoff
    cases.push(("phoff-max", forged));
    let mut forged = good.clone();
    forged[40..48].copy_from_slice(&(good.len() as u64 + 4096).to_le_bytes()); // e_shoff
    cases.push(("shoff-past-end", forged));
    // Point PT_DYNAMIC and PT_INTERP past the end of the file.
    let phoff = u64_at(&good, 32) as usize;
    for (i, name) in [(2u32, "dynamic-past-end"), (3u32, "interp-past-end")] {
        let mut forged = good.clone();
        for k in 0..u16_at(&good, 56) {
            let at = phoff + k * 56;
            if u32::from_le_bytes(good[at..at + 4].try_into().unwrap()) == i {
                // Only the offset moves past the end; the size stays real, so the
                // past-the-end check (not a size cap) is what must catch it.
                forged[at + 8..at + 16].copy_from_slice(&(1u64 << 40).to_le_bytes());
            }
        }
        cases.push((name, forged));
    }
    for (name, bytes) in cases {
        let p = write(dir.path(), name, &bytes);
        let (code, err) = run_bounded(&p);
        assert_one_line_error(&p, code, &err);
    }
}

/// Rewrites the first `.gnu.version_r` entry's `vn_next` so the chain points at itself or far
/// past the table, and `vn_cnt` huge: the walk must stop (forward-only offsets, count caps).
#[test]
fn version_need_chains_that_loop_or_overrun_end() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read(common::testdata("c-dynamic")).unwrap();
    let out = std::process::Command::new("readelf")
        .args(["-W", "-S"])
        .arg(common::testdata("c-dynamic"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.contains(".gnu.version_r"))
        .expect("c-dynamic has .gnu.version_r");
    let cols: Vec<&str> = line.split_whitespace().collect();
    let pos = cols.iter().position(|c| *c == ".gnu.version_r").unwrap();
    let off = usize::from_str_radix(cols[pos + 3], 16).unwrap();
    for (name, field_at, value) in [
        ("vn-next-zero-ends-the-chain-early", 12usize, 0u32),
        ("vn-next-huge", 12, 0x7fff_fff0),
        ("vn-aux-huge", 8, 0x7fff_fff0),
    ] {
        let mut forged = good.clone();
        forged[off + field_at..off + field_at + 4].copy_from_slice(&value.to_le_bytes());
        // Also claim a huge record count.
        forged[off + 2..off + 4].copy_from_slice(&0xffffu16.to_le_bytes());
        let p = write(dir.path(), name, &forged);
        let start = Instant::now();
        let (code, err) = run_bounded(&p);
        assert!(start.elapsed() < Duration::from_secs(10));
        // Either an error naming the path, or a verdict; never a panic or a hang.
        assert!(code == 2 || code == 0, "{name}: exit {code}: {err}");
        if code == 2 {
            assert_one_line_error(&p, code, &err);
        }
    }
}

#[test]
fn empty_files_directories_fifos_and_devices_are_refused_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let empty = write(dir.path(), "empty", b"");
    let fifo = dir.path().join("fifo");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success());
    let link = dir.path().join("link-to-fifo");
    std::os::unix::fs::symlink(&fifo, &link).unwrap();
    let dangling = dir.path().join("dangling");
    std::os::unix::fs::symlink(dir.path().join("nowhere"), &dangling).unwrap();
    for p in [
        empty,
        fifo,
        link,
        dangling,
        PathBuf::from("/dev/null"),
        PathBuf::from("/dev/zero"),
    ] {
        let (code, err) = run_bounded(&p);
        assert_one_line_error(&p, code, &err);
    }
    // The directory holding them is walked: the FIFO is skipped with a note, never opened,
    // and nothing in it is a program.
    let out = whichbase()
        .args(["--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &doc["directories"][0];
    assert_eq!(d["verdict"]["tier"], "none");
    let skipped = d["skipped"].to_string();
    assert!(
        skipped.contains("FIFO") && skipped.contains("broken symbolic link"),
        "{skipped}"
    );
}

#[test]
fn unreadable_files_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("secret");
    std::fs::copy(common::testdata("c-dynamic"), &p).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
    // As root, permissions do not stop reads; drop to nobody with setpriv when we are root.
    let is_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| common::stdout(&o).trim() == "0")
        .unwrap_or(false);
    let out = if is_root {
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        std::process::Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_whichbase"))
            .arg(&p)
            .output()
            .expect("setpriv runs")
    } else {
        whichbase().arg(&p).output().unwrap()
    };
    let err = common::stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("permission denied") && err.contains("secret"),
        "{err}"
    );
}

#[test]
fn a_bad_input_does_not_stop_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let empty = write(dir.path(), "empty", b"");
    let out = whichbase()
        .arg(&empty)
        .arg(common::testdata("c-static"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        common::stdout(&out).contains("c-static: scratch"),
        "{}",
        common::stdout(&out)
    );
    assert!(common::stderr(&out).contains("empty file"));
}

#[test]
fn control_characters_from_a_binary_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = std::fs::read(common::testdata("c-dynamic")).unwrap();
    // Overwrite "libc.so.6" in the dynamic string table with an escape sequence.
    let needle = b"libc.so.6\0";
    let at = bytes
        .windows(needle.len())
        .position(|w| w == needle)
        .unwrap();
    bytes[at..at + 9].copy_from_slice(b"\x1b[31mc\n.6");
    let p = write(dir.path(), "evil", &bytes);
    let out = whichbase()
        .args(["-v", "--format", "table"])
        .arg(&p)
        .output()
        .unwrap();
    let all = format!("{}{}", common::stdout(&out), common::stderr(&out));
    assert!(!all.contains('\x1b'), "raw escape printed: {all:?}");
    let json = whichbase()
        .args(["--format", "json"])
        .arg(&p)
        .output()
        .unwrap();
    let text = common::stdout(&json);
    assert!(
        text.contains("\\\\x1b[31mc\\\\n.6"),
        "escaped name expected in JSON: {text}"
    );
}

/// A minimal ELF64 x86-64 header with `phnum` program headers right after it.
fn elf64_header(e_type: u16, phnum: u16) -> Vec<u8> {
    let mut b = vec![0x7f, b'E', b'L', b'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    b.extend_from_slice(&e_type.to_le_bytes());
    b.extend_from_slice(&62u16.to_le_bytes()); // EM_X86_64
    b.extend_from_slice(&1u32.to_le_bytes());
    b.extend_from_slice(&0u64.to_le_bytes()); // e_entry
    b.extend_from_slice(&64u64.to_le_bytes()); // e_phoff
    b.extend_from_slice(&0u64.to_le_bytes()); // e_shoff
    b.extend_from_slice(&0u32.to_le_bytes());
    for v in [64u16, 56, phnum, 64, 0, 0] {
        b.extend_from_slice(&v.to_le_bytes());
    }
    b
}

fn phdr(p_type: u32, offset: u64, vaddr: u64, size: u64) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(&p_type.to_le_bytes());
    b.extend_from_slice(&4u32.to_le_bytes());
    for v in [offset, vaddr, vaddr, size, size, 8] {
        b.extend_from_slice(&v.to_le_bytes());
    }
    b
}

/// Runs whichbase under an address-space limit; being killed or aborting is a failure.
fn run_limited(path: &Path) -> (i32, String) {
    let out = std::process::Command::new("prlimit")
        .arg("--as=536870912") // 512 MiB of address space, far above a real run's ~20 MiB
        .arg(env!("CARGO_BIN_EXE_whichbase"))
        .arg(path)
        .output()
        .expect("prlimit (util-linux) runs");
    (out.status.code().unwrap_or(-1), common::stderr(&out))
}

// Regression (review of issue 3): 65,000 PT_NOTE headers, each a 64 KiB window, made the
// range cache keep 4 GB.
#[test]
fn issue_3_thousands_of_note_segments_stay_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let n: u16 = 65_000;
    let mut b = elf64_header(2, n);
    for i in 0..u64::from(n) {
        b.extend(phdr(4, i, 0, 65_536));
    }
    b.resize(b.len() + 65_536, 0);
    let p = write(dir.path(), "notes", &b);
    let (code, err) = run_limited(&p);
    assert!(code == 0 || code == 2, "exit {code}: {err}");
}

// Regression (review of issue 3): 20,000 DT_NEEDED entries naming one 8 MB string were each
// copied whole: gigabytes.
#[test]
fn issue_3_huge_names_referenced_many_times_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let entries = 20_000u64;
    let dyn_off = 64 + 2 * 56;
    let str_off = dyn_off + (entries + 3) * 16;
    let str_len = 8u64 << 20;
    let total = str_off + str_len + 1;
    let mut b = elf64_header(2, 2);
    b.extend(phdr(1, 0, 0, total)); // PT_LOAD mapping the whole file at address 0
    b.extend(phdr(2, dyn_off, dyn_off, (entries + 3) * 16)); // PT_DYNAMIC
    for _ in 0..entries {
        b.extend_from_slice(&1u64.to_le_bytes()); // DT_NEEDED
        b.extend_from_slice(&0u64.to_le_bytes());
    }
    for (tag, val) in [(5u64, str_off), (10, str_len + 1), (0, 0)] {
        b.extend_from_slice(&tag.to_le_bytes());
        b.extend_from_slice(&val.to_le_bytes());
    }
    b.resize(str_off as usize + str_len as usize, b'a');
    b.push(0);
    let p = write(dir.path(), "needed", &b);
    let (code, err) = run_limited(&p);
    assert_one_line_error(&p, code, &err);
}

// Regression (review of issue 7's lookup memo): every library name tried in every RPATH
// directory was remembered for the whole run. 100 names of 2 KB and an RPATH of 676
// directories made one run hold 2 GB; it must stay far below the 512 MiB limit.
#[test]
fn issue_7_lookups_a_program_forges_are_not_all_remembered() {
    let dir = tempfile::tempdir().unwrap();
    let interp = b"/lib64/ld-linux-x86-64.so.2\0";
    let names: Vec<String> = (0..100)
        .map(|i| format!("lib{i}{}.so", "x".repeat(2000)))
        .collect();
    let rpath: Vec<String> = (0..676)
        .map(|i| {
            format!(
                "/{}{}",
                (b'a' + (i / 26) as u8) as char,
                (b'a' + (i % 26) as u8) as char
            )
        })
        .collect();
    let rpath = rpath.join(":");
    let interp_off = 64 + 3 * 56u64;
    let dyn_off = (interp_off + interp.len() as u64 + 7) & !7;
    let entries = names.len() as u64 + 4;
    let str_off = dyn_off + entries * 16;
    let mut strtab = vec![0u8];
    let mut name_at = Vec::new();
    for n in &names {
        name_at.push(strtab.len() as u64);
        strtab.extend_from_slice(n.as_bytes());
        strtab.push(0);
    }
    let rpath_at = strtab.len() as u64;
    strtab.extend_from_slice(rpath.as_bytes());
    strtab.push(0);
    let total = str_off + strtab.len() as u64;
    let mut b = elf64_header(2, 3);
    b.extend(phdr(1, 0, 0, total)); // PT_LOAD mapping the whole file at address 0
    b.extend(phdr(3, interp_off, interp_off, interp.len() as u64)); // PT_INTERP
    b.extend(phdr(2, dyn_off, dyn_off, entries * 16)); // PT_DYNAMIC
    b.extend_from_slice(interp);
    b.resize(dyn_off as usize, 0);
    let mut tags: Vec<(u64, u64)> = name_at.iter().map(|&at| (1, at)).collect(); // DT_NEEDED
    tags.extend([
        (15, rpath_at),
        (5, str_off),
        (10, strtab.len() as u64),
        (0, 0),
    ]);
    for (tag, val) in tags {
        b.extend_from_slice(&tag.to_le_bytes());
        b.extend_from_slice(&val.to_le_bytes());
    }
    b.extend_from_slice(&strtab);
    let p = write(dir.path(), "many-rpath-lookups", &b);
    let (code, doc, err) = json_limited(&p);
    assert_eq!(code, 0, "{err}");
    let result = &doc["results"][0];
    assert_eq!(
        result["needed"].as_array().map(Vec::len),
        Some(100),
        "the forged names are all read: {result}"
    );
    assert_ne!(result["verdict"]["tier"], "scratch", "{result}");
}

// Regression (review of issue 3): a PT_LOAD offset near u64::MAX overflowed in debug builds.
#[test]
fn issue_3_load_offsets_near_the_top_do_not_overflow() {
    let dir = tempfile::tempdir().unwrap();
    let mut b = elf64_header(2, 2);
    // PT_LOAD at file offset 2^64 - 256; DT_STRTAB 0x200 into it: offset + 0x200 overflows.
    b.extend(phdr(1, u64::MAX - 0xff, 0, 0x1000));
    b.extend(phdr(2, 176, 0x10, 64)); // PT_DYNAMIC right after the two headers
    for (tag, val) in [(1u64, 0u64), (5, 0x200), (10, 16), (0, 0)] {
        b.extend_from_slice(&tag.to_le_bytes());
        b.extend_from_slice(&val.to_le_bytes());
    }
    b.resize(4096, 0);
    let p = write(dir.path(), "overflow", &b);
    let (code, err) = run_bounded(&p);
    assert_one_line_error(&p, code, &err);
}

/// Every part of a `--catalog` is checked when it is loaded, the parts parsed only on demand
/// (the interpreter map, the provenance's dates and warnings) included: a broken file is an
/// error naming it, never a verdict from half a catalog.
#[test]
fn a_broken_catalog_is_an_error_not_a_different_verdict() {
    let cases = [
        (
            "debian13-amd64.json",
            "\"objects\": [",
            "\"objects\": 7, \"x\": [",
        ),
        (
            "distro-debian13.json",
            "\"interpreters\": {",
            "\"interpreters\": 7, \"x\": {",
        ),
        (
            "index.json",
            "\"warnings\": [",
            "\"warnings\": {}, \"x\": [",
        ),
        (
            "index.json",
            "\"index_dates\": {",
            "\"index_dates\": [], \"x\": {",
        ),
    ];
    for (file, from, to) in cases {
        let dir = tempfile::tempdir().unwrap();
        let cat = dir.path().join("cat");
        std::fs::create_dir(&cat).unwrap();
        for e in std::fs::read_dir(common::root().join("src/catalog/data")).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), cat.join(e.file_name())).unwrap();
        }
        let f = cat.join(file);
        let text = std::fs::read_to_string(&f).unwrap();
        assert!(text.contains(from), "{file} has {from}");
        std::fs::write(&f, text.replacen(from, to, 1)).unwrap();
        let out = whichbase()
            .arg("--catalog")
            .arg(&cat)
            .arg(common::testdata("c-dynamic"))
            .output()
            .unwrap();
        let err = common::stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{file}: {err}");
        assert!(err.contains(file), "{file}: {err}");
        assert_eq!(err.lines().count(), 1, "{file}: {err}");
    }
}

/// (offset, size, header position) of the named section of a little-endian ELF64 file.
fn section(b: &[u8], name: &str) -> (usize, usize, usize) {
    let shoff = u64_at(b, 0x28) as usize;
    let entsize = u16_at(b, 0x3a);
    let shnum = u16_at(b, 0x3c);
    let names_hdr = shoff + entsize * u16_at(b, 0x3e);
    let names = u64_at(b, names_hdr + 0x18) as usize;
    for i in 0..shnum {
        let h = shoff + i * entsize;
        let n = names + u32::from_le_bytes(b[h..h + 4].try_into().unwrap()) as usize;
        let end = n + b[n..].iter().position(|&c| c == 0).unwrap();
        if &b[n..end] == name.as_bytes() {
            return (
                u64_at(b, h + 0x18) as usize,
                u64_at(b, h + 0x20) as usize,
                h,
            );
        }
    }
    panic!("no section {name}");
}

/// Runs whichbase --format json under the address-space limit; returns (code, stdout, stderr).
fn json_limited(path: &Path) -> (i32, serde_json::Value, String) {
    let out = std::process::Command::new("prlimit")
        .arg("--as=536870912")
        .arg(env!("CARGO_BIN_EXE_whichbase"))
        .args(["--format", "json"])
        .arg(path)
        .output()
        .expect("prlimit runs");
    let doc = serde_json::from_slice(&out.stdout).unwrap_or_default();
    (out.status.code().unwrap_or(-1), doc, common::stderr(&out))
}

// The needs readers never fail the inspection: a record that does not parse is a note, and the
// verdict on the libraries stands. Each forged record below must leave a verdict, a note and
// bounded memory.
#[test]
fn issue_4_a_cargo_auditable_zip_bomb_is_a_note_within_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    // 256 MiB of zeros, zlib-compressed to a few hundred KB, put in place of .dep-v0.
    let bomb = dir.path().join("bomb.zlib");
    let st = std::process::Command::new("python3")
        .args([
            "-c",
            "import sys,zlib; open(sys.argv[1],'wb').write(zlib.compress(bytes(256<<20), 9))",
        ])
        .arg(&bomb)
        .status()
        .unwrap();
    assert!(st.success());
    for (name, payload) in [
        ("bomb", bomb.clone()),
        ("garbage", write(dir.path(), "g", b"not zlib at all")),
    ] {
        let out = dir.path().join(name);
        let st = std::process::Command::new("objcopy")
            .arg("--update-section")
            .arg(format!(".dep-v0={}", payload.display()))
            .arg(common::testdata("rust-native-certs"))
            .arg(&out)
            .status()
            .unwrap();
        assert!(st.success());
        let (code, doc, err) = json_limited(&out);
        assert_eq!(code, 0, "{name}: {err}");
        let r = &doc["results"][0];
        assert!(
            r["notes"].to_string().contains(".dep-v0"),
            "{name}: {}",
            r["notes"]
        );
        assert_eq!(
            r["verdict"]["tier"], "static",
            "{name}: the CA path strings still count"
        );
    }
}

#[test]
fn issue_4_forged_go_records_are_notes() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read(common::testdata("go-x509")).unwrap();
    // funcnameOffset past the table, and build information with an endless length varint.
    let (pcln, _, _) = section(&good, ".gopclntab");
    let (info, _, _) = section(&good, ".go.buildinfo");
    let mut b = good.clone();
    b[pcln + 8 + 3 * 8..pcln + 8 + 4 * 8].copy_from_slice(&u64::MAX.to_le_bytes());
    b[info + 32..info + 44].fill(0xff);
    let p = write(dir.path(), "go-forged", &b);
    let (code, doc, err) = json_limited(&p);
    assert_eq!(code, 0, "{err}");
    let r = &doc["results"][0];
    let notes = r["notes"].to_string();
    assert!(notes.contains(".gopclntab"), "{notes}");
    assert!(notes.contains("build information"), "{notes}");
    assert_eq!(r["toolchain"]["language"], "Go");
    // An unknown pclntab magic, too.
    let mut b = good;
    b[pcln..pcln + 4].copy_from_slice(&[1, 2, 3, 4]);
    let p = write(dir.path(), "go-magic", &b);
    let (code, doc, _) = json_limited(&p);
    assert_eq!(code, 0);
    assert!(doc["results"][0]["notes"]
        .to_string()
        .contains("unknown magic"));
}

#[test]
fn issue_4_a_symbol_string_table_claiming_terabytes_is_clipped() {
    let dir = tempfile::tempdir().unwrap();
    let mut b = std::fs::read(common::testdata("c-getpwnam-static")).unwrap();
    let (_, _, h) = section(&b, ".strtab");
    b[h + 0x20..h + 0x28].copy_from_slice(&(1u64 << 40).to_le_bytes());
    let p = write(dir.path(), "strtab", &b);
    let (code, doc, err) = json_limited(&p);
    assert!(code == 0 || code == 2, "exit {code}: {err}");
    if code == 0 {
        assert!(doc["results"][0]["needs"].is_array());
    }
}

// Without section headers (as `sstrip` leaves a file) the imports are still read: the dynamic
// symbol table is sized from DT_GNU_HASH, as the loader does.
#[test]
fn issue_4_imports_are_read_without_section_headers() {
    let dir = tempfile::tempdir().unwrap();
    let mut b = std::fs::read(common::testdata("c-getaddrinfo")).unwrap();
    b[0x28..0x30].fill(0); // e_shoff
    b[0x3c..0x40].fill(0); // e_shnum, e_shstrndx
    let p = write(dir.path(), "no-sections", &b);
    let (code, doc, err) = json_limited(&p);
    assert_eq!(code, 0, "{err}");
    let needs = doc["results"][0]["needs"].to_string();
    assert!(needs.contains("imports getaddrinfo"), "{needs}");
}

// Regressions from the review of issues 4 and 5.

#[test]
fn issue_5_odd_python_extension_names_are_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "x.cpython-.so",
        "y.cpython-é3.so",
        "z.cpython-3a1-x86_64-linux-gnu.so",
    ] {
        let p = dir.path().join(name);
        std::fs::copy(common::testdata("lib/libfoo.so.1"), &p).unwrap();
        let (code, err) = run_bounded(&p);
        assert_eq!(code, 0, "{name}: {err}");
    }
}

#[test]
fn issue_5_zip64_archives_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let jar = dir.path().join("many.jar");
    // 70,001 entries: more than a classic end record can count, so Python writes ZIP64.
    let st = std::process::Command::new("python3")
        .args([
            "-c",
            "import sys,zipfile\nz=zipfile.ZipFile(sys.argv[1],'w')\nz.writestr('META-INF/MANIFEST.MF','Main-Class: A\\n')\nfor i in range(70000): z.writestr(f'a/C{i}.class', b'\\xca\\xfe\\xba\\xbe\\x00\\x00\\x00\\x3d')\nz.close()",
        ])
        .arg(&jar)
        .status()
        .unwrap();
    assert!(st.success());
    let out = whichbase()
        .args(["--format", "json"])
        .arg(&jar)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["results"][0]["facts"]["classes"], 70000);
    assert_eq!(doc["results"][0]["facts"]["java_release"], 17);
}

#[test]
fn issue_5_package_json_entry_points_do_not_leave_the_tree() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("app.js"), "console.log('ok')\n").unwrap();
    let tree = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), tree.path().join("lib")).unwrap();
    std::fs::write(
        tree.path().join("package.json"),
        r#"{"main": "lib/app.js"}"#,
    )
    .unwrap();
    let out = whichbase()
        .args(["--format", "json"])
        .arg(tree.path())
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &doc["directories"][0];
    assert_eq!(d["files"].as_array().unwrap().len(), 0, "{d}");
    assert!(d["skipped"].to_string().contains("outside the tree"), "{d}");
}

#[test]
fn issue_5_a_link_to_a_directory_is_walked_and_failures_are_noted() {
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("tree");
    std::fs::create_dir(&tree).unwrap();
    std::fs::copy(common::testdata("go-static"), tree.join("ok")).unwrap();
    let good = std::fs::read(common::testdata("c-dynamic")).unwrap();
    std::fs::write(tree.join("broken"), &good[..100]).unwrap();
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&tree, &link).unwrap();
    let out = whichbase()
        .args(["--format", "json"])
        .arg(&link)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "the truncated file is an error");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &doc["directories"][0];
    assert_eq!(d["verdict"]["tier"], "scratch");
    assert!(
        d["verdict"]["notes"]
            .to_string()
            .contains("could not be inspected"),
        "{d}"
    );
}

/// Runs whichbase (`image` mode or not) under a 512 MiB address-space limit and a deadline.
fn run_case(path: &Path, image: bool) -> (i32, String, String) {
    let mut cmd = std::process::Command::new("timeout");
    cmd.args(["20", "prlimit", "--as=536870912"])
        .arg(env!("CARGO_BIN_EXE_whichbase"));
    if image {
        cmd.arg("image");
    }
    let out = cmd.arg(path).output().expect("timeout and prlimit run");
    (
        out.status.code().unwrap_or(-1),
        common::stdout(&out),
        common::stderr(&out),
    )
}

/// Issue 7: the corpus `testdata/hostile.py` generates from a good program: every case is one
/// stderr line naming the path with exit 2 (or, for a forged field nothing reads, the good
/// file's verdict), within 20 s and 512 MiB of address space.
#[test]
fn the_generated_hostile_corpus_is_refused_case_by_case() {
    let dir = common::root().join("target/hostile-corpus");
    let _ = std::fs::remove_dir_all(&dir);
    let good = common::testdata("c-dynamic");
    let o = std::process::Command::new("python3")
        .arg(common::root().join("testdata/hostile.py"))
        .arg(&dir)
        .arg(&good)
        .output()
        .expect("python3 runs");
    assert!(o.status.success(), "hostile.py: {}", common::stderr(&o));
    let manifest = std::fs::read_to_string(dir.join("cases.tsv")).unwrap();
    let (_, good_out, _) = run_case(&good, false);
    let good_line = good_out
        .lines()
        .next()
        .unwrap()
        .split_once(": ")
        .unwrap()
        .1
        .to_string();
    let mut errors = 0;
    for line in manifest.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        let (name, mode, expect) = (f[0], f[1], f[2]);
        let path = dir.join(name);
        let (code, out, err) = run_case(&path, mode == "image");
        assert!(!err.contains("panicked"), "{name}: {err}");
        if expect == "error" {
            assert_one_line_error(&path, code, &err);
            errors += 1;
        } else {
            assert_eq!(code, 0, "{name}: {err}");
            let line = out
                .lines()
                .next()
                .unwrap_or("")
                .split_once(": ")
                .map(|x| x.1);
            assert_eq!(
                line,
                Some(good_line.as_str()),
                "{name}: a forged unread field changed the verdict"
            );
        }
    }
    assert!(errors >= 60, "the corpus shrank: {errors} error cases");
    // The sparse files are 4 GiB apparent, a few KiB real: nothing was written out.
    let meta = std::fs::metadata(dir.join("sparse-zeros")).unwrap();
    assert_eq!(meta.len(), 4 << 30);
}

/// Issue 7: a file that shrinks while whichbase reads it ends in a verdict or a one-line error,
/// never a panic, a hang or a read past the new end.
#[test]
fn a_file_that_shrinks_while_read_never_panics() {
    let dir = tempfile::tempdir().unwrap();
    let src = std::fs::read(common::testdata("go-x509")).unwrap();
    let path = dir.path().join("shrinking");
    let mut outcomes = std::collections::BTreeSet::new();
    for delay_us in [0u64, 50, 200, 500, 1000, 2000, 5000] {
        std::fs::write(&path, &src).unwrap();
        let child = whichbase()
            .arg(&path)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(delay_us));
        let f = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
        f.set_len(100).unwrap();
        drop(f);
        let out = child.wait_with_output().unwrap();
        let code = out.status.code().unwrap_or(-1);
        let err = common::stderr(&out);
        assert!(!err.contains("panicked"), "delay {delay_us} µs: {err}");
        match code {
            0 => {}
            2 => assert_one_line_error(&path, code, &err),
            _ => panic!("delay {delay_us} µs: exit {code}: {err}"),
        }
        outcomes.insert(code);
    }
    // The file was cut before whichbase got far in at least one run.
    assert!(
        outcomes.contains(&2),
        "never saw the shrunk file: {outcomes:?}"
    );
}

/// Issue 7, peak memory: a directory is one input too. Every walked file had a slot of 440
/// bytes until the end (the outcome held inline, copied twice while the threads' lists were
/// joined), and each walked path was held twice: 60,000 files took 60 MB. Peak resident set
/// from `/usr/bin/time` (GNU time), which reads the child's rusage.
#[test]
fn issue_7_a_directory_of_60000_files_stays_under_32_mib() {
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("tree");
    for d in 0..60 {
        let sub = tree.join(format!("d{d:02}"));
        std::fs::create_dir_all(&sub).unwrap();
        for f in 0..1000 {
            std::fs::write(sub.join(format!("file-{f:04}.txt")), b"not a program\n").unwrap();
        }
    }
    std::fs::copy(common::testdata("c-dynamic"), tree.join("app")).unwrap();
    let rss = dir.path().join("rss");
    let out = std::process::Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%M")
        .arg("-o")
        .arg(&rss)
        .arg(env!("CARGO_BIN_EXE_whichbase"))
        .arg(&tree)
        .output()
        .expect("/usr/bin/time (package time) runs");
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let stdout = common::stdout(&out);
    assert!(
        stdout.contains("base-nossl"),
        "the program is judged: {stdout}"
    );
    let kib: u64 = std::fs::read_to_string(&rss)
        .unwrap()
        .lines()
        .last()
        .and_then(|l| l.trim().parse().ok())
        .expect("a peak in KiB");
    assert!(
        kib < 32 * 1024,
        "peak resident set {kib} KiB for 60,001 files"
    );
}
