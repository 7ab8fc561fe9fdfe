//! Embeds the generated catalog (`src/catalog/data/*.json`) in a form that is cheap to read.
//!
//! The committed files are pretty JSON so their diffs are reviewable. Parsing a whole
//! platform file costs more than inspecting a program, so this script cuts each one into
//! compact pieces that are parsed only when a verdict needs them:
//! - `index.json`, compact;
//! - per platform: a skeleton (everything but the packages: the native images with their
//!   files) as record lines (see `skeleton_records`); the language-runtime images apart
//!   (parsed only when asked for); one line per package (`name first count contents modules`:
//!   which lines of the objects text are its objects, its contents without `objects` and
//!   `modules` as compact JSON, and its modules, shared objects outside the loader's
//!   directories such as gconv plugins, as a JSON array, last because libc6's are 50 KB
//!   that no verdict of a program reads); every package's objects, one record per line (see
//!   `object_record`), each parsed only when a lookup lands on it; and a sorted table of every
//!   object and symlink path with its package, so a lookup parses only the package that has
//!   the path;
//! - per release's distro file: a compact skeleton (the small interpreter command -> package
//!   map), and the library -> package map and the slim image's package list as sorted static
//!   tables searched without parsing anything.
//!
//! The runtime reads the same data through the same types as `--catalog DIR`; a test checks
//! that both give identical results.

use serde_json::Value;
use std::fmt::Write;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/catalog/data");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".json"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let read = |name: &str| -> Value {
        let path = dir.join(name);
        println!("cargo:rerun-if-changed={}", path.display());
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    };

    let mut out = String::new();
    // The provenance's archive dates and warnings (half the index's text) apart: a verdict
    // never reads them, and even kept as raw JSON they cost a scan at every start.
    let mut provenance_parts: [Option<String>; 2] = [None, None];
    let index = if names.iter().any(|n| n == "index.json") {
        let mut index = read("index.json");
        if let Some(p) = index.get_mut("provenance").and_then(Value::as_object_mut) {
            for (slot, key) in provenance_parts.iter_mut().zip(["index_dates", "warnings"]) {
                *slot = p.get(key).map(Value::to_string);
            }
            p.insert("index_dates".into(), Value::Object(Default::default()));
            p.remove("warnings");
        }
        Some(index.to_string())
    } else {
        None
    };
    let _ = writeln!(out, "static INDEX: Option<&str> = {index:?};");
    let [dates, warnings] = provenance_parts;
    let _ = writeln!(out, "static INDEX_DATES: Option<&str> = {dates:?};");
    let _ = writeln!(out, "static INDEX_WARNINGS: Option<&str> = {warnings:?};");

    out.push_str("static PLATFORMS: &[EmbeddedPlatform] = &[\n");
    for name in names
        .iter()
        .filter(|n| *n != "index.json" && !n.starts_with("distro-"))
    {
        let mut platform = read(name);
        let packages = platform
            .get_mut("packages")
            .map(Value::take)
            .unwrap_or(Value::Null);
        if let Some(obj) = platform.as_object_mut() {
            obj.insert("packages".into(), Value::Object(Default::default()));
        }
        let more_images = split_runtime_images(name, &mut platform);
        // The packages as lines of one text and their objects as lines of another, with
        // line offsets: a Rust table of strings per package cost 836 relocations and 17 KB
        // of copy-on-write data at every start (measured when it was replaced).
        let mut package_lines = String::new();
        let mut object_lines = String::new();
        let mut object_count = 0usize;
        if let Value::Object(pkgs) = &packages {
            for (pkg, contents) in pkgs {
                let mut contents = contents.clone();
                let modules = contents
                    .as_object_mut()
                    .and_then(|o| o.remove("modules"))
                    .map(|m| m.to_string())
                    .unwrap_or_default();
                // One object record per line, parsed one at a time: a C program needs
                // libc.so.6 of libc6's twenty objects.
                let objects = contents.as_object_mut().and_then(|o| o.remove("objects"));
                let first = object_count;
                for o in objects.iter().flat_map(|o| o.as_array()).flatten() {
                    object_lines.push_str(&object_record(name, o));
                    object_lines.push('\n');
                    object_count += 1;
                }
                let contents = contents.to_string();
                for text in [pkg.as_str(), &contents, &modules] {
                    // Compact JSON escapes control characters: a tab or newline here would
                    // be a name's.
                    assert!(
                        !text.contains([FIELD, '\n']),
                        "{name}: package {pkg} has a tab or newline"
                    );
                }
                let _ = writeln!(
                    package_lines,
                    "{pkg}\t{first}\t{}\t{contents}\t{modules}",
                    object_count - first
                );
            }
        }
        let _ = writeln!(
            out,
            "  EmbeddedPlatform {{ file: {name:?}, skeleton: {:?}, more_images: {more_images:?}, paths: {}, packages: {}, objects: {} }},",
            skeleton_records(name, &platform),
            line_table(&path_table(&packages)),
            line_table(&package_lines),
            line_table(&object_lines),
        );
    }
    out.push_str("];\n");

    out.push_str("static DISTROS: &[EmbeddedDistro] = &[\n");
    for name in names.iter().filter(|n| n.starts_with("distro-")) {
        // Everything but `library_packages`, `slim_packages`, `slim_versions` and `interpreters`
        // stays in the skeleton.
        let mut distro = read(name);
        // One string of "library\tpackage package\n" lines, sorted (serde_json's map is
        // ordered by key): a table of 16,000 string pairs would cost as many relocations at
        // every start of the program.
        let table = take_as_lines(&mut distro, "library_packages", |pkgs| {
            let pkgs: Vec<&str> = pkgs
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            pkgs.join(" ")
        });
        // The slim image's packages the same way: 80 map entries cost more to parse than
        // the whole verdict of a C program.
        let slim = take_as_lines(&mut distro, "slim_packages", |version| {
            version.as_str().unwrap_or_default().to_string()
        });
        // The versions the slim image's libraries define, for the distro verdict's check.
        let slim_versions = take_as_lines(&mut distro, "slim_versions", |versions| {
            let versions: Vec<&str> = versions
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            for v in &versions {
                assert!(
                    !v.contains([' ', '\t', '\n']),
                    "{name}: slim library version {v:?} has a space, tab or newline"
                );
            }
            versions.join(" ")
        });
        // The interpreter map apart, as its own JSON text: parsed only for a script, and
        // left in the skeleton it was a kilobyte that every distro verdict scanned past.
        let interpreters = distro
            .as_object_mut()
            .and_then(|o| o.remove("interpreters"))
            .map(|v| v.to_string());
        let _ = writeln!(
            out,
            "  EmbeddedDistro {{ file: {name:?}, skeleton: {:?}, interpreters: {interpreters:?}, libraries: {}, slim: {}, slim_versions: {} }},",
            distro.to_string(),
            sampled_line_table(&table),
            line_table(&slim),
            line_table(&slim_versions)
        );
    }
    out.push_str("];\n");

    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(Path::new(&out_dir).join("catalog_embedded.rs"), out)
        .expect("OUT_DIR is writable");
}

/// A `LineTable` expression for sorted lines: the text and the byte offset of each line's
/// start, so the runtime binary-searches the offsets without splitting the text first.
fn line_table(lines: &str) -> String {
    let starts = line_starts(lines);
    format!("LineTable::new({lines:?}, &{starts:?})")
}

/// Lines between two sampled keys: `LineTable::SAMPLE_STRIDE`, which checks that a sample
/// has the length this stride gives.
const SAMPLE_STRIDE: usize = 64;

/// A `LineTable` expression for a large sorted `key\tvalue` table, with the key of every
/// `SAMPLE_STRIDE`th line as a small table of its own: a lookup then reads a few pages of
/// the binary, not one per probe of a binary search over 600 KB.
fn sampled_line_table(lines: &str) -> String {
    let starts = line_starts(lines);
    let sample: String = lines
        .lines()
        .step_by(SAMPLE_STRIDE)
        .map(|l| format!("{}\n", l.split('\t').next().unwrap_or_default()))
        .collect();
    let sample_starts = line_starts(&sample);
    format!("LineTable::sampled({lines:?}, &{starts:?}, {sample:?}, &{sample_starts:?})")
}

fn line_starts(lines: &str) -> Vec<u32> {
    let mut starts = Vec::new();
    let mut at = 0usize;
    for line in lines.split_inclusive('\n') {
        starts.push(u32::try_from(at).expect("a catalog table under 4 GiB"));
        at += line.len();
    }
    starts
}

/// Empties the map `field` of `doc` and returns it as sorted `key\tVALUE\n` lines, VALUE
/// made by `value` (the runtime binary-searches these lines without parsing them).
fn take_as_lines(doc: &mut Value, field: &str, value: impl Fn(&Value) -> String) -> String {
    let taken = doc
        .as_object_mut()
        .and_then(|o| o.insert(field.into(), Value::Object(Default::default())))
        .unwrap_or(Value::Null);
    let mut lines = String::new();
    if let Value::Object(map) = taken {
        for (key, v) in &map {
            let _ = writeln!(lines, "{key}\t{}", value(v));
        }
    }
    lines
}

/// Every shared object, symlink and listed file of a platform's packages as sorted lines:
/// `path\tpackage\tINDEX` (the object's position in the package's `objects`),
/// `path\tpackage\t>TARGET` (a symlink) or `path\tpackage\t=` (one of its `files`). With it a lookup finds the one package that has a
/// path without parsing the others: a C program's verdict then parses libc6, not the forty
/// packages of the python3 image.
fn path_table(packages: &Value) -> String {
    let mut lines: Vec<String> = Vec::new();
    let clean = |s: &str| {
        assert!(
            !s.contains(['\t', '\n']),
            "catalog path or package name with a tab or newline: {s:?}"
        );
    };
    if let Value::Object(pkgs) = packages {
        for (pkg, contents) in pkgs {
            clean(pkg);
            let objects = contents.get("objects").and_then(Value::as_array);
            for (i, o) in objects.into_iter().flatten().enumerate() {
                if let Some(path) = o.get("path").and_then(Value::as_str) {
                    clean(path);
                    lines.push(format!("{path}\t{pkg}\t{i}"));
                }
            }
            let files = contents.get("files").and_then(Value::as_array);
            for file in files.into_iter().flatten().filter_map(Value::as_str) {
                clean(file);
                lines.push(format!("{file}\t{pkg}\t="));
            }
            let links = contents.get("links").and_then(Value::as_object);
            for (from, to) in links.into_iter().flatten() {
                if let Some(to) = to.as_str() {
                    clean(from);
                    clean(to);
                    lines.push(format!("{from}\t{pkg}\t>{to}"));
                }
            }
        }
    }
    // By path only: lines of one path keep package order, and the runtime's binary search
    // compares the text before the first tab.
    lines.sort_by(|a, b| a.split('\t').next().cmp(&b.split('\t').next()));
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// Takes the language-runtime images (java*, nodejs*, python3: every tier above cc) out of
/// the platform's `images` and returns them as one JSON array, parsed only when a verdict
/// looks beyond the native images: they are most of the skeleton's text (forty packages
/// for python3), and a native program never needs them.
fn split_runtime_images(file: &str, platform: &mut Value) -> Option<String> {
    const NATIVE: [&str; 4] = ["static", "base-nossl", "base", "cc"];
    let images = platform.get_mut("images")?.as_array_mut()?;
    let native = |i: &Value| {
        i.get("tier")
            .and_then(Value::as_str)
            .is_some_and(|t| NATIVE.contains(&t))
    };
    // The runtime code appends the runtime images after the native ones: that must be the
    // order of the file too, so positions and "first image of a tier" stay the same.
    let first_runtime = images.iter().position(|i| !native(i))?;
    assert!(
        images[first_runtime..].iter().all(|i| !native(i)),
        "{file}: a native image is listed after a language-runtime image"
    );
    let runtime: Vec<Value> = images.drain(first_runtime..).collect();
    Some(Value::Array(runtime).to_string())
}

// Record lines: the skeleton and the objects, the two pieces of a platform that every verdict
// reads, are written as lines of tab-separated fields instead of JSON, because parsing them
// with serde_json was a fifth of a one-file run. A list's items are separated by U+001F and
// a map's entries by U+001E (an entry is its key then its items, U+001F-separated). The
// reader is `catalog::record`; a unit test there reads every embedded record back and
// compares it with the committed JSON.

/// The separators of a record line. No catalog text may contain them (checked here).
const FIELD: char = '\t';
const ITEM: char = '\x1f';
const ENTRY: char = '\x1e';

/// A text that goes into a record: it must not contain a separator or a newline, and a list
/// item must not be empty (an empty field is the empty list).
fn field_text<'v>(file: &str, v: &'v Value) -> &'v str {
    let s = v
        .as_str()
        .unwrap_or_else(|| panic!("{file}: expected a string in a record, got {v}"));
    assert!(
        !s.is_empty() && !s.contains([FIELD, ITEM, ENTRY, '\n']),
        "{file}: empty catalog text, or one with a tab, newline or record separator: {s:?}"
    );
    s
}

/// A list of strings as one field.
fn list_field(file: &str, v: Option<&Value>) -> String {
    let items: Vec<&str> = v
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|x| field_text(file, x))
        .collect();
    items.join(&ITEM.to_string())
}

/// A map of a string or a list of strings per key as one field: entries separated by ENTRY,
/// each its key and then its items, ITEM before each; a key with an empty list stands alone.
fn map_field(file: &str, v: Option<&Value>) -> String {
    let mut entries = Vec::new();
    for (key, value) in v.and_then(Value::as_object).into_iter().flatten() {
        let key = field_text(file, &Value::String(key.clone())).to_string();
        let items = match value {
            Value::Array(_) => list_field(file, Some(value)),
            _ => field_text(file, value).to_string(),
        };
        // An empty list is the key alone: `key` + ITEM + nothing would read back as one
        // empty item.
        if items.is_empty() {
            entries.push(key);
        } else {
            entries.push(format!("{key}{ITEM}{items}"));
        }
    }
    entries.join(&ENTRY.to_string())
}

/// Fails the build if `v` has a key the record does not carry: a field added to the catalog
/// must be added to the record too, never dropped on the way into the binary.
fn only_keys(file: &str, v: &Value, known: &[&str]) {
    for key in v.as_object().into_iter().flatten().map(|(k, _)| k) {
        assert!(
            known.contains(&key.as_str()),
            "{file}: field {key:?} has no place in the embedded record; add it to build.rs and catalog::record"
        );
    }
}

/// One shared object: `path soname defines needed version_needs rpath runpath`, tab-separated
/// (soname empty when there is none).
fn object_record(file: &str, o: &Value) -> String {
    only_keys(
        file,
        o,
        &[
            "path",
            "soname",
            "defines",
            "needed",
            "version_needs",
            "rpath",
            "runpath",
        ],
    );
    let path = field_text(file, o.get("path").unwrap_or(&Value::Null));
    let soname = o.get("soname").map_or("", |s| field_text(file, s));
    [
        path.to_string(),
        soname.to_string(),
        list_field(file, o.get("defines")),
        list_field(file, o.get("needed")),
        map_field(file, o.get("version_needs")),
        list_field(file, o.get("rpath")),
        list_field(file, o.get("runpath")),
    ]
    .join(&FIELD.to_string())
}

/// A platform without its packages: a first line `release arch platform triplet merged_usr
/// search_dirs dir_links` (merged_usr `1` or `0`), then a line per native image `name tier
/// reference packages files` (a native image has no runtime).
fn skeleton_records(file: &str, platform: &Value) -> String {
    only_keys(
        file,
        platform,
        &[
            "release",
            "arch",
            "platform",
            "triplet",
            "merged_usr",
            "search_dirs",
            "dir_links",
            "images",
            "packages",
        ],
    );
    let text = |key: &str| field_text(file, platform.get(key).unwrap_or(&Value::Null));
    let merged = match platform.get("merged_usr") {
        Some(Value::Bool(true)) => "1",
        Some(Value::Bool(false)) => "0",
        other => panic!("{file}: merged_usr is {other:?}"),
    };
    let mut out = [
        text("release").to_string(),
        text("arch").to_string(),
        text("platform").to_string(),
        text("triplet").to_string(),
        merged.to_string(),
        list_field(file, platform.get("search_dirs")),
        map_field(file, platform.get("dir_links")),
    ]
    .join(&FIELD.to_string());
    out.push('\n');
    let images = platform.get("images").and_then(Value::as_array);
    for image in images.into_iter().flatten() {
        only_keys(
            file,
            image,
            &["name", "tier", "reference", "packages", "files"],
        );
        let text = |key: &str| field_text(file, image.get(key).unwrap_or(&Value::Null));
        let line = [
            text("name").to_string(),
            text("tier").to_string(),
            text("reference").to_string(),
            list_field(file, image.get("packages")),
            list_field(file, image.get("files")),
        ]
        .join(&FIELD.to_string());
        out.push_str(&line);
        out.push('\n');
    }
    out
}
