//! The command line: clap's derive types, turned into a plain [`Config`]. This is the only
//! module that knows clap.

use crate::catalog::Tier;
use crate::inspect::NeedKind;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Tells the smallest container base image a built program really runs on, and why.
///
/// Reads the file only (never runs it): how it is linked, its interpreter, the shared
/// libraries and symbol versions it needs; then checks them against what each distroless
/// image (and Debian slim) contains, generated from the real Debian packages.
#[derive(Debug, Parser)]
#[command(name = "whichbase", version, about, long_about = None)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
struct Args {
    #[command(subcommand)]
    command: Option<Sub>,

    /// Files to inspect, or directories to walk (every program, script, JAR and library in
    /// the tree; one verdict for the directory, then one line per file). A file named
    /// `image` must be written `./image`.
    #[arg(required_unless_present = "generate", value_name = "PATH")]
    paths: Vec<PathBuf>,

    /// Also check each program against this root filesystem (an unpacked image): resolve
    /// its interpreter, libraries and versions inside DIR only and report every missing
    /// piece; exit 1 when something would not run there.
    #[arg(long, value_name = "DIR")]
    root: Option<PathBuf>,

    /// Print a Dockerfile runner stage for the verdict instead of the report.
    #[arg(long, global = true)]
    dockerfile: bool,

    /// The user the Dockerfile runs as: `nonroot` (the default: the `:nonroot` tag of
    /// distroless, uid 65532), `root`, or a uid[:gid]. With `--root`, a user name given here
    /// must exist in the root's /etc/passwd.
    #[arg(long, value_name = "USER", global = true)]
    user: Option<String>,

    /// In a directory, skip paths matching this glob (`*`, `**`, `?`), matched against the
    /// path relative to the directory and against the file name. Repeatable.
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table, global = true)]
    format: Format,

    /// Colour the tier in the table format: `auto` when stdout is a terminal and `NO_COLOR`
    /// is unset or empty.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = Color::Auto)]
    color: Color,

    /// Print a man page or a shell completion script to stdout and exit.
    #[arg(long, value_enum, value_name = "KIND", exclusive = true)]
    generate: Option<Generate>,

    /// CI gate: exit 1 when any input needs a larger tier than this.
    #[arg(long, value_name = "TIER", value_parser = parse_tier, global = true)]
    max: Option<Tier>,

    /// Consider only this Debian release (debian12, debian13).
    #[arg(long, value_name = "RELEASE", global = true)]
    release: Option<String>,

    /// Use this catalog (a directory as in src/catalog/data, or one combined JSON file)
    /// instead of the embedded one.
    #[arg(long, value_name = "PATH", global = true)]
    catalog: Option<PathBuf>,

    /// Do not count this filesystem need (you provide it another way, e.g. by mounting
    /// certificates). Repeatable. One of: ca-certificates, time-zone-data, user-database,
    /// name-service, shell, programs, temp-dir, home-dir, mime-types, locale-data,
    /// runtime-libraries, nss-modules (short forms: ca, tz, users, dns, sh, tmp, home, mime,
    /// locale, dlopen), or `all` for the verdict on libraries alone.
    #[arg(long, value_name = "NEED", value_parser = parse_need, global = true)]
    ignore: Vec<Ignore>,

    /// Count `possible` filesystem needs too (by default only `certain` and `likely` ones).
    #[arg(long, global = true)]
    strict: bool,

    /// Also print the facts read from each file and the resolved library tree.
    #[arg(short, long, global = true)]
    verbose: bool,
}

#[derive(Debug, Subcommand)]
enum Sub {
    /// Reads container images: a `docker save` archive, an OCI image layout (directory or
    /// tar), or an unpacked root filesystem. Reports the base, the entrypoint and the
    /// application's programs, the smallest image for them, and what to copy along.
    Image(ImageArgs),
}

#[derive(Debug, clap::Args)]
struct ImageArgs {
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,

    /// Check the image's programs against another image (archive, layout or root directory)
    /// or a catalog image (`gcr.io/distroless/cc-debian12`): exit 1 when one would not run.
    #[arg(long, value_name = "IMAGE")]
    against: Option<String>,

    /// Only the image for this platform of a multi-platform index (`linux/arm64`).
    #[arg(long, value_name = "PLATFORM")]
    platform: Option<String>,
}

/// What the run is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// Files and directories (the default).
    Files,
    /// `whichbase image`.
    Images {
        against: Option<String>,
        platform: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A verdict line per file and a table of its reasons, for people.
    Table,
    /// One JSON document (docs/output.schema.json).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning (one result per file).
    Sarif,
    /// GitHub Actions workflow commands (::error, ::warning, ::notice annotations).
    Github,
    /// A Markdown report for a job summary or a pull-request comment.
    Markdown,
}

/// `--color`: whether the table format may use ANSI colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

/// `--generate`: what to print instead of inspecting anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Generate {
    Man,
    CompleteBash,
    CompleteZsh,
    CompleteFish,
    CompleteElvish,
    CompletePowershell,
}

fn parse_tier(s: &str) -> Result<Tier, String> {
    Tier::parse(s).ok_or_else(|| {
        let names: Vec<&str> = Tier::ALL.iter().map(|t| t.as_str()).collect();
        format!("unknown tier '{s}' (one of: {})", names.join(", "))
    })
}

/// One `--ignore` value: a need kind, or `all` of them.
#[derive(Debug, Clone)]
struct Ignore(Vec<NeedKind>);

fn parse_need(s: &str) -> Result<Ignore, String> {
    if s.eq_ignore_ascii_case("all") {
        return Ok(Ignore(NeedKind::ALL.to_vec()));
    }
    NeedKind::parse(s).map(|k| Ignore(vec![k])).ok_or_else(|| {
        let names: Vec<&str> = NeedKind::ALL.iter().map(|k| k.as_str()).collect();
        format!("unknown need '{s}' (one of: {}, all)", names.join(", "))
    })
}

/// Everything a run needs, free of clap types.
#[derive(Debug, Clone)]
pub struct Config {
    pub paths: Vec<PathBuf>,
    pub format: Format,
    pub max: Option<Tier>,
    pub release: Option<String>,
    pub catalog: Option<PathBuf>,
    pub ignore: Vec<NeedKind>,
    pub strict: bool,
    pub exclude: Vec<String>,
    pub verbose: bool,
    pub mode: Mode,
    pub root: Option<PathBuf>,
    pub dockerfile: bool,
    /// `--user`, when given (the Dockerfile defaults to `nonroot`).
    pub user: Option<String>,
    /// Colour the table format's verdicts (`--color`, resolved against the terminal and
    /// `NO_COLOR`).
    pub color: bool,
}

/// Parses `std::env::args`; on bad usage clap prints the error and exits with code 2.
/// `--generate` prints what it names and exits, as `--help` does.
pub fn parse() -> Config {
    let a = Args::parse();
    if let Some(kind) = a.generate {
        std::process::exit(generate(kind));
    }
    let (mode, paths) = match a.command {
        Some(Sub::Image(i)) => (
            Mode::Images {
                against: i.against,
                platform: i.platform,
            },
            i.paths,
        ),
        None => (Mode::Files, a.paths),
    };
    Config {
        paths,
        mode,
        root: a.root,
        dockerfile: a.dockerfile,
        user: a.user,
        format: a.format,
        max: a.max,
        release: a.release,
        catalog: a.catalog,
        ignore: a.ignore.into_iter().flat_map(|i| i.0).collect(),
        strict: a.strict,
        exclude: a.exclude,
        verbose: a.verbose,
        color: color_wanted(a.color),
    }
}

/// `--color auto` colours only when stdout is a terminal and `NO_COLOR` is unset or empty
/// (<https://no-color.org>: any non-empty value disables); `always` and `never` override both.
fn color_wanted(choice: Color) -> bool {
    use std::io::IsTerminal;
    match choice {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

/// Writes the man page or a completion script, both generated from the clap definitions
/// above, to stdout. Returns the exit code: 0, or 2 when stdout cannot be written (a closed
/// pipe is not an error).
fn generate(kind: Generate) -> i32 {
    use clap::CommandFactory;
    use clap_complete::Shell;
    use std::io::Write;
    let mut cmd = Args::command();
    let mut out = Vec::new();
    let shell = match kind {
        Generate::Man => None,
        Generate::CompleteBash => Some(Shell::Bash),
        Generate::CompleteZsh => Some(Shell::Zsh),
        Generate::CompleteFish => Some(Shell::Fish),
        Generate::CompleteElvish => Some(Shell::Elvish),
        Generate::CompletePowershell => Some(Shell::PowerShell),
    };
    let rendered = match shell {
        // Writing into memory cannot fail.
        Some(shell) => {
            clap_complete::generate(shell, &mut cmd, "whichbase", &mut out);
            Ok(())
        }
        None => clap_mangen::Man::new(cmd).render(&mut out),
    };
    let written = rendered.and_then(|()| {
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(&out).and_then(|()| stdout.flush())
    });
    match written {
        Ok(()) => 0,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            eprintln!("whichbase: writing output: {e}");
            2
        }
    }
}
