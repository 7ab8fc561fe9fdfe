//! `--generate`: the man page and the shell completions, generated from the clap definitions,
//! checked with the real tools that read them (bash's `complete`, groff and man).

use crate::common::{stderr, stdout, whichbase};
use std::process::Command;

fn generate(kind: &str) -> String {
    let o = whichbase().args(["--generate", kind]).output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "--generate {kind}: {}",
        stderr(&o)
    );
    assert!(stderr(&o).is_empty(), "--generate {kind} wrote to stderr");
    stdout(&o)
}

/// Every long option `--help` lists: the man page and completions must know them all.
fn long_options() -> Vec<String> {
    let help = stdout(&whichbase().arg("--help").output().unwrap());
    let mut opts: Vec<String> = help
        .split(|c: char| c.is_whitespace() || c == ',' || c == '[' || c == ']')
        .filter(|w| w.starts_with("--") && w.len() > 2)
        .map(|w| {
            w.trim_end_matches(|c: char| !c.is_ascii_alphanumeric())
                .to_string()
        })
        .collect();
    opts.sort();
    opts.dedup();
    for known in [
        "--format",
        "--max",
        "--color",
        "--generate",
        "--ignore",
        "--help",
    ] {
        assert!(
            opts.iter().any(|o| o == known),
            "--help lacks {known}: {opts:?}"
        );
    }
    opts
}

#[test]
fn generate_prints_every_kind_without_paths_and_refuses_paths() {
    for (kind, mark) in [
        ("man", ".TH whichbase 1"),
        ("complete-bash", "complete -F _whichbase"),
        ("complete-zsh", "#compdef whichbase"),
        ("complete-fish", "complete -c whichbase"),
        (
            "complete-elvish",
            "edit:completion:arg-completer[whichbase]",
        ),
        ("complete-powershell", "Register-ArgumentCompleter"),
    ] {
        let text = generate(kind);
        assert!(text.contains(mark), "--generate {kind} lacks {mark:?}");
        assert!(text.contains("format"), "--generate {kind} lacks --format");
    }
    let o = whichbase()
        .args(["--generate", "man", "/bin/true"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "--generate takes no PATH");
    let o = whichbase().args(["--generate", "tcsh"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("complete-bash"), "{}", stderr(&o));
}

/// Sources the completion in a real bash, then asks it to complete as readline would.
#[test]
fn bash_completion_registers_and_completes_long_options() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("whichbase.bash");
    std::fs::write(&script, generate("complete-bash")).unwrap();
    let complete = |words: &[&str]| {
        let line = words.join(" ");
        let program = format!(
            r#"source {script}
spec=$(complete -p whichbase) || exit 3
echo "spec: $spec"
fn=$(sed -n 's/.*-F \([^ ]*\) .*/\1/p' <<<"$spec")
COMP_WORDS=({line})
COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))
COMP_LINE="{line}"
COMP_POINT=${{#COMP_LINE}}
"$fn" whichbase "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
printf 'reply: %s\n' "${{COMPREPLY[@]}}""#,
            script = script.display()
        );
        let o = Command::new("bash")
            .args(["--norc", "--noprofile", "-c", &program])
            .output()
            .expect("bash runs (apt-get install bash)");
        assert!(o.status.success(), "bash: {}{}", stdout(&o), stderr(&o));
        stdout(&o)
    };
    let out = complete(&["whichbase", "--form"]);
    let spec = out
        .lines()
        .find(|l| l.starts_with("spec: "))
        .unwrap_or_default();
    assert!(
        spec.starts_with("spec: complete ")
            && spec.contains(" -F _whichbase ")
            && spec.ends_with(" whichbase"),
        "completion not registered for whichbase: {out}"
    );
    let replies: Vec<&str> = out
        .lines()
        .filter_map(|l| l.strip_prefix("reply: "))
        .collect();
    assert_eq!(replies, ["--format"], "{out}");
    let out = complete(&["whichbase", "--format", "s"]);
    let replies: Vec<&str> = out
        .lines()
        .filter_map(|l| l.strip_prefix("reply: "))
        .collect();
    assert_eq!(replies, ["sarif"], "format values complete: {out}");
    let out = complete(&["whichbase", "--"]);
    for opt in long_options() {
        assert!(
            out.contains(&format!("reply: {opt}\n")),
            "{opt} not offered: {out}"
        );
    }
}

/// The man page is roff that groff reads without a warning, and that `man -l` renders with
/// NAME, SYNOPSIS and every long option. The same groff check must flag broken roff.
#[test]
fn man_page_is_valid_roff_that_man_renders_with_every_long_option() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("whichbase.1");
    let roff = generate("man");
    std::fs::write(&page, &roff).unwrap();
    let groff_warnings = |path: &std::path::Path| {
        let o = Command::new("groff")
            .args(["-man", "-Tutf8", "-ww", "-z"])
            .arg(path)
            .output()
            .expect("groff runs (apt-get install groff-base; .ci/run does)");
        stderr(&o)
    };
    let warnings = groff_warnings(&page);
    assert!(
        warnings.is_empty(),
        "groff warns about the man page:\n{warnings}"
    );
    let broken = dir.path().join("broken.1");
    std::fs::write(
        &broken,
        roff.replacen(".SH NAME", ".SH NAME\n.XQ undefined", 1),
    )
    .unwrap();
    assert!(
        !groff_warnings(&broken).is_empty(),
        "groff -ww did not flag an undefined macro: the check cannot fail"
    );

    let o = Command::new("man")
        .arg("-l")
        .arg(&page)
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .env("MANWIDTH", "250")
        .env("MAN_KEEP_FORMATTING", "")
        .output()
        .expect("man runs (apt-get install man-db; .ci/run does)");
    assert!(o.status.success(), "man -l: {}", stderr(&o));
    // Drop overstrike bold/underline (`c\bc`, `_\bc`) in case man formats for a terminal.
    let mut text = String::new();
    for c in stdout(&o).chars() {
        if c == '\u{8}' {
            text.pop();
        } else {
            text.push(c);
        }
    }
    for heading in ["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS"] {
        assert!(
            text.lines().any(|l| l.trim() == heading),
            "no {heading} section:\n{text}"
        );
    }
    assert!(text.contains("whichbase - "), "NAME line missing:\n{text}");
    for opt in long_options() {
        assert!(text.contains(&opt), "man page lacks {opt}:\n{text}");
    }
    for value in ["sarif", "github", "markdown", "complete-bash"] {
        assert!(text.contains(value), "man page lacks {value}");
    }
}
