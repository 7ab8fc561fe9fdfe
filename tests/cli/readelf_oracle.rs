//! readelf as an independent oracle: for every ELF in testdata, /usr/bin and
//! /usr/lib/x86_64-linux-gnu, whichbase's interpreter, linkage, DT_NEEDED, DT_RPATH,
//! DT_RUNPATH, DT_SONAME and version needs must equal what `readelf -W` prints. Any
//! difference fails the test, listing the files.

use crate::common;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use whichbase::inspect::{inspect, Facts, Limits, Linkage};

#[derive(Debug, Default, PartialEq)]
struct View {
    elf_type: String,
    interpreter: Option<String>,
    needed: Vec<String>,
    rpath: Vec<String>,
    runpath: Vec<String>,
    soname: Option<String>,
    pie_flag: bool,
    has_dynamic: bool,
    version_needs: Vec<(String, Vec<String>)>,
}

fn bracketed(line: &str) -> Option<String> {
    let start = line.find('[')? + 1;
    let end = line.rfind(']')?;
    line.get(start..end).map(str::to_string)
}

fn readelf_view(path: &Path) -> Option<View> {
    let out = Command::new("readelf")
        .args(["-W", "-h", "-l", "-d", "-V"])
        .arg(path)
        .env("LC_ALL", "C")
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !text.contains("ELF Header:") {
        return None;
    }
    let mut v = View::default();
    let mut in_verneed = false;
    for line in text.lines() {
        let t = line.trim();
        if let Some(rest) = t.strip_prefix("Type:") {
            v.elf_type = rest.split_whitespace().next().unwrap_or("").to_string();
        } else if t.starts_with("[Requesting program interpreter:") {
            v.interpreter = t
                .strip_prefix("[Requesting program interpreter: ")
                .and_then(|s| s.strip_suffix(']'))
                .map(str::to_string);
        } else if t.starts_with("Dynamic section at offset") {
            v.has_dynamic = true;
        } else if t.contains("(NEEDED)") {
            v.needed.extend(bracketed(t));
        } else if t.contains("(RPATH)") {
            v.rpath.extend(bracketed(t).into_iter().flat_map(split));
        } else if t.contains("(RUNPATH)") {
            v.runpath.extend(bracketed(t).into_iter().flat_map(split));
        } else if t.contains("(SONAME)") {
            v.soname = bracketed(t);
        } else if t.contains("(FLAGS_1)") {
            v.pie_flag = t.split_whitespace().any(|w| w == "PIE");
        } else if t.starts_with("Version needs section") {
            in_verneed = true;
        } else if t.starts_with("Version definition section")
            || t.starts_with("Version symbols section")
        {
            in_verneed = false;
        } else if in_verneed {
            if let Some(pos) = t.find("File: ") {
                let file = t[pos + 6..]
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .to_string();
                v.version_needs.push((file, Vec::new()));
            } else if let Some(pos) = t.find("Name: ") {
                let name = t[pos + 6..]
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .to_string();
                if let Some(last) = v.version_needs.last_mut() {
                    last.1.push(name);
                }
            }
        }
    }
    Some(v)
}

fn split(s: String) -> Vec<String> {
    s.split(':')
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

fn whichbase_view(path: &Path) -> Result<Option<(View, Option<Linkage>)>, String> {
    let facts = match inspect(path, &Limits::default()) {
        Ok(Facts::Elf(e)) => e,
        Ok(_) => return Ok(None),
        Err(e) => return Err(e.to_string()),
    };
    let s = |t: &whichbase::text::RawText| t.to_string();
    let v = View {
        elf_type: String::new(),
        interpreter: facts.interpreter.as_ref().map(s),
        needed: facts.needed.iter().map(s).collect(),
        rpath: facts.rpath.iter().map(s).collect(),
        runpath: facts.runpath.iter().map(s).collect(),
        soname: facts.soname.as_ref().map(s),
        pie_flag: facts.flags_1.iter().any(|f| f == "PIE"),
        has_dynamic: false,
        version_needs: facts
            .version_needs
            .iter()
            .map(|vn| (s(&vn.library), vn.versions.iter().map(s).collect()))
            .collect(),
    };
    Ok(Some((v, facts.linkage)))
}

/// The linkage readelf's view implies: an interpreter means dynamic; ET_DYN with a dynamic
/// section and DF_1_PIE but no interpreter is static-pie; ET_EXEC without one is static.
fn expected_linkage(v: &View) -> Option<Linkage> {
    match v.elf_type.as_str() {
        _ if v.interpreter.is_some() => Some(Linkage::Dynamic),
        "DYN" if v.pie_flag => Some(Linkage::StaticPie),
        "DYN" => Some(Linkage::Dynamic),
        "EXEC" if v.has_dynamic && !v.needed.is_empty() => Some(Linkage::Dynamic),
        "EXEC" => Some(Linkage::Static),
        _ => None,
    }
}

fn elf_files(dir: &Path, recursive: bool, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let Ok(ft) = e.file_type() else { continue };
        let p = e.path();
        if ft.is_dir() && recursive {
            elf_files(&p, true, out);
        } else if ft.is_file() {
            let mut magic = [0u8; 4];
            if std::fs::File::open(&p)
                .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut magic))
                .is_ok()
                && &magic == b"\x7fELF"
            {
                out.push(p);
            }
        }
    }
}

fn compare(files: &[PathBuf]) -> (usize, Vec<String>) {
    let mut diffs = Vec::new();
    let mut compared = 0;
    for f in files {
        let Some(oracle) = readelf_view(f) else {
            continue;
        };
        let ours = match whichbase_view(f) {
            Ok(Some(v)) => v,
            Ok(None) => {
                diffs.push(format!("{}: whichbase did not see an ELF", f.display()));
                continue;
            }
            Err(e) => {
                diffs.push(format!("{}: whichbase failed: {e}", f.display()));
                continue;
            }
        };
        compared += 1;
        let (mine, linkage) = ours;
        let mut fields = BTreeMap::new();
        fields.insert(
            "interpreter",
            (
                format!("{:?}", oracle.interpreter),
                format!("{:?}", mine.interpreter),
            ),
        );
        fields.insert(
            "needed",
            (format!("{:?}", oracle.needed), format!("{:?}", mine.needed)),
        );
        fields.insert(
            "rpath",
            (format!("{:?}", oracle.rpath), format!("{:?}", mine.rpath)),
        );
        fields.insert(
            "runpath",
            (
                format!("{:?}", oracle.runpath),
                format!("{:?}", mine.runpath),
            ),
        );
        fields.insert(
            "soname",
            (format!("{:?}", oracle.soname), format!("{:?}", mine.soname)),
        );
        fields.insert(
            "version needs",
            (
                format!("{:?}", oracle.version_needs),
                format!("{:?}", mine.version_needs),
            ),
        );
        fields.insert(
            "linkage",
            (
                format!("{:?}", expected_linkage(&oracle)),
                format!("{linkage:?}"),
            ),
        );
        for (name, (want, got)) in fields {
            if want != got {
                diffs.push(format!(
                    "{}: {name}: readelf {want}, whichbase {got}",
                    f.display()
                ));
            }
        }
    }
    (compared, diffs)
}

#[test]
fn testdata_facts_match_readelf() {
    let dir = common::testdata("");
    let mut files = Vec::new();
    elf_files(&dir, true, &mut files);
    assert!(
        files.len() >= 15,
        "testdata/out has only {} ELF files",
        files.len()
    );
    let (compared, diffs) = compare(&files);
    assert!(
        diffs.is_empty(),
        "{} differences:\n{}",
        diffs.len(),
        diffs.join("\n")
    );
    assert_eq!(compared, files.len());
}

#[test]
fn system_programs_and_libraries_match_readelf() {
    let mut files = Vec::new();
    elf_files(Path::new("/usr/bin"), false, &mut files);
    elf_files(Path::new("/usr/lib/x86_64-linux-gnu"), true, &mut files);
    assert!(
        files.len() > 500,
        "only {} ELF files found on this machine",
        files.len()
    );
    let (compared, diffs) = compare(&files);
    eprintln!("compared {compared} ELF files with readelf");
    assert!(
        diffs.is_empty(),
        "{} differences:\n{}",
        diffs.len(),
        diffs
            .iter()
            .take(50)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
