//! Scripts: the `#!` line (including `/usr/bin/env NAME` and `env -S`), or the file's
//! extension when there is no `#!` line; a Python zipapp is a script too. For Node.js, the
//! `engines.node` range of the nearest `package.json` narrows the runtime.

use super::facts::{ScriptFacts, ScriptLanguage};
use super::input::Input;
use super::InspectErrorKind;
use crate::text::RawText;
use std::path::Path;

/// Linux reads at most this many bytes of a `#!` line (BINPRM_BUF_SIZE).
const SHEBANG_MAX: usize = 256;
/// Directories searched upwards for a `package.json`.
const PACKAGE_JSON_DEPTH: usize = 4;

/// The language an interpreter command runs, and for Python the version its name carries.
pub fn language_of(command: &str) -> ScriptLanguage {
    match command {
        c if c == "python" || c.starts_with("python3") || c.starts_with("python2") => {
            ScriptLanguage::Python
        }
        "node" | "nodejs" => ScriptLanguage::Node,
        "sh" | "dash" | "ksh" | "mksh" | "zsh" | "ash" | "busybox" => ScriptLanguage::Shell,
        "bash" => ScriptLanguage::Bash,
        c if c.starts_with("perl") => ScriptLanguage::Perl,
        c if c.starts_with("ruby") => ScriptLanguage::Ruby,
        c if c.starts_with("php") => ScriptLanguage::Php,
        _ => ScriptLanguage::Other,
    }
}

/// The interpreter a file's extension implies, for scripts without a `#!` line.
pub fn by_extension(path: &Path) -> Option<&'static str> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "py" | "pyw" | "pyz" => "python3",
        "js" | "mjs" | "cjs" => "node",
        "sh" => "sh",
        "bash" => "bash",
        "pl" | "pm" => "perl",
        "rb" => "ruby",
        "php" => "php",
        _ => return None,
    })
}

/// Reads a script's facts. `zipapp` says the file is also a ZIP archive with `__main__.py`.
/// Out of line, so that an ELF run does not carry its frame: see `inspect::inspect_input`.
#[inline(never)]
pub fn inspect_script(
    path: &Path,
    input: &Input,
    zipapp: bool,
) -> Result<ScriptFacts, InspectErrorKind> {
    let head = input.head();
    let executable = input.mode & 0o111 != 0;
    let (shebang, crlf, via_env, command) = if head.starts_with(b"#!") {
        let line_end = head.iter().position(|&b| b == b'\n');
        let line = match line_end {
            Some(n) => head.get(..n).unwrap_or_default(),
            None if head.len() as u64 == input.len => head,
            None => {
                return Err(InspectErrorKind::Malformed {
                    format: "script",
                    what: format!("the #! line is longer than {} bytes", head.len()),
                })
            }
        };
        let crlf = line.ends_with(b"\r");
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.len() > SHEBANG_MAX {
            return Err(InspectErrorKind::Malformed {
                format: "script",
                what: format!(
                    "the #! line is {} bytes; Linux reads only {SHEBANG_MAX}",
                    line.len()
                ),
            });
        }
        let (via_env, command) = interpreter_command(line.get(2..).unwrap_or_default());
        (Some(RawText::new(line)), crlf, via_env, command)
    } else {
        let default = by_extension(path).ok_or_else(|| InspectErrorKind::Unsupported {
            what: "a text file without a #! line or a known script extension".into(),
        })?;
        (None, false, false, default.as_bytes().to_vec())
    };
    let command_text = RawText::new(&command);
    let language = language_of(command_text.as_clean_str().unwrap_or_default());
    let (node_engines, package_json) = if language == ScriptLanguage::Node && input.on_host {
        nearest_engines(path)
    } else {
        (None, None)
    };
    Ok(ScriptFacts {
        language,
        interpreter: command_text,
        shebang,
        via_env,
        crlf,
        executable,
        zipapp,
        node_engines,
        package_json,
    })
}

/// The command a `#!` line runs: the interpreter's base name, or for `/usr/bin/env` the first
/// word that is not an option or a `NAME=value` assignment (`env -S` splits the rest).
fn interpreter_command(rest: &[u8]) -> (bool, Vec<u8>) {
    let mut words = rest
        .split(|b| *b == b' ' || *b == b'\t')
        .filter(|w| !w.is_empty());
    let interpreter = words.next().unwrap_or_default();
    let base = interpreter
        .rsplit(|&b| b == b'/')
        .next()
        .unwrap_or(interpreter);
    if base != b"env" {
        return (false, base.to_vec());
    }
    for w in words {
        if w.starts_with(b"-") || w.contains(&b'=') {
            // `-S`, `-S python3` written together as `-Spython3`, `-i`, `-u NAME` is rare.
            if let Some(joined) = w.strip_prefix(b"-S").filter(|r| !r.is_empty()) {
                return (true, basename(joined));
            }
            continue;
        }
        return (true, basename(w));
    }
    (true, b"env".to_vec())
}

fn basename(w: &[u8]) -> Vec<u8> {
    w.rsplit(|&b| b == b'/').next().unwrap_or(w).to_vec()
}

/// `engines.node` of the nearest `package.json` in the script's directory or above, found
/// from the script's real path, so the answer does not depend on how the path was written.
fn nearest_engines(path: &Path) -> (Option<RawText>, Option<String>) {
    let Ok(real) = path.canonicalize() else {
        return (None, None);
    };
    let mut dir = real.parent();
    for _ in 0..PACKAGE_JSON_DEPTH {
        let Some(d) = dir else { break };
        let candidate = if d.as_os_str().is_empty() {
            Path::new("package.json").to_path_buf()
        } else {
            d.join("package.json")
        };
        if let Some(engines) = read_engines(&candidate) {
            return (engines, Some(crate::text::escape_path(&candidate)));
        }
        dir = d.parent();
    }
    (None, None)
}

/// `Some(engines)` when the file is a readable `package.json` (engines may be absent).
fn read_engines(path: &Path) -> Option<Option<RawText>> {
    let v = super::walk::read_package_json(path)?;
    Some(v["engines"]["node"].as_str().map(RawText::from))
}

/// The smallest of `versions` (major numbers, ascending) that a `engines.node` range allows.
/// Understands what package.json files use: `>=20`, `>20.1`, `^22`, `~24.1`, `22.x`, `22`,
/// `>=20 <25`, and `||` alternatives. `None` when no version fits or the range is unreadable.
pub fn node_majors_allowed(range: &str, versions: &[u32]) -> Vec<u32> {
    versions
        .iter()
        .copied()
        .filter(|&v| {
            range
                .split("||")
                .any(|alt| alternative_allows(alt.trim(), v))
        })
        .collect()
}

fn alternative_allows(alt: &str, major: u32) -> bool {
    if alt.is_empty() || alt == "*" || alt == "x" {
        return true;
    }
    // "20 - 24" hyphen ranges.
    if let Some((lo, hi)) = alt.split_once(" - ") {
        return num(lo).is_some_and(|l| major >= l) && num(hi).is_some_and(|h| major <= h);
    }
    alt.split_whitespace().all(|cond| {
        let (op, ver) = match cond {
            c if c.starts_with(">=") => (">=", &c[2..]),
            c if c.starts_with("<=") => ("<=", &c[2..]),
            c if c.starts_with('>') => (">", &c[1..]),
            c if c.starts_with('<') => ("<", &c[1..]),
            c if c.starts_with('^') => ("^", &c[1..]),
            c if c.starts_with('~') => ("~", &c[1..]),
            c if c.starts_with('=') => ("=", &c[1..]),
            c => ("=", c),
        };
        let Some(v) = num(ver) else { return false };
        // `22` and `22.x` name the whole major; `22.0.0` one release in it.
        let rest: Vec<&str> = ver.trim_start_matches('v').split('.').skip(1).collect();
        let whole_major = rest.iter().all(|p| *p == "x" || *p == "*");
        match op {
            ">=" => major >= v,
            // >22 and >22.x exclude 22; >22.0.0 allows 22's later releases.
            ">" if whole_major => major > v,
            ">" => major >= v,
            // <=22 and <=22.x allow 22; <=22.5.0 does not: an image ships its major's
            // latest release, past any bound inside the major.
            "<=" if whole_major => major <= v,
            "<=" => major < v,
            // <22 and <22.0.0 exclude 22; <22.5 allows 22's earlier releases (not what the
            // image ships, which is its latest): excluded too.
            "<" => major < v,
            _ => major == v, // ^N, ~N, =N, N, N.x all pin the major
        }
    })
}

fn num(v: &str) -> Option<u32> {
    v.trim()
        .trim_start_matches('v')
        .split('.')
        .next()?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shebangs_name_their_interpreter() {
        assert_eq!(
            interpreter_command(b"/usr/bin/python3"),
            (false, b"python3".to_vec())
        );
        assert_eq!(
            interpreter_command(b" /usr/bin/env node"),
            (true, b"node".to_vec())
        );
        assert_eq!(
            interpreter_command(b"/usr/bin/env -S python3 -u"),
            (true, b"python3".to_vec())
        );
        assert_eq!(
            interpreter_command(b"/usr/bin/env -Sperl -w"),
            (true, b"perl".to_vec())
        );
        assert_eq!(
            interpreter_command(b"/usr/bin/env LANG=C bash"),
            (true, b"bash".to_vec())
        );
        assert_eq!(interpreter_command(b"/bin/sh -e"), (false, b"sh".to_vec()));
        assert_eq!(language_of("python3.11"), ScriptLanguage::Python);
        assert_eq!(language_of("nodejs"), ScriptLanguage::Node);
        assert_eq!(language_of("dash"), ScriptLanguage::Shell);
    }

    #[test]
    fn engines_ranges_pick_majors() {
        let v = [22, 24, 26];
        assert_eq!(node_majors_allowed(">=24", &v), vec![24, 26]);
        assert_eq!(node_majors_allowed("^22.3.0", &v), vec![22]);
        assert_eq!(node_majors_allowed("22.x || 26.x", &v), vec![22, 26]);
        assert_eq!(node_majors_allowed(">=20 <25", &v), vec![22, 24]);
        assert_eq!(node_majors_allowed("<24", &v), vec![22]);
        assert_eq!(node_majors_allowed(">22.0.0", &v), vec![22, 24, 26]);
        assert_eq!(node_majors_allowed(">22", &v), vec![24, 26]);
        assert_eq!(node_majors_allowed(">22.x", &v), vec![24, 26]);
        assert_eq!(node_majors_allowed("<=22.0.0", &v), Vec::<u32>::new());
        assert_eq!(node_majors_allowed("18", &v), Vec::<u32>::new());
        assert_eq!(node_majors_allowed("*", &v), vec![22, 24, 26]);
        assert_eq!(node_majors_allowed("20 - 24", &v), vec![22, 24]);
    }
}
