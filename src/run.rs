//! One run of the command: load the catalog, inspect each input, decide, render, and choose
//! the exit code. Per-file failures are reported and never stop the run.

use crate::catalog::Catalog;
use crate::cli::{Config, Format};
use crate::inspect::{self, Limits};
use crate::render::{self, verdict_line, Outcome};
use crate::text::escape_path;
use crate::verdict::{self, Options};
use std::io::{self, Write};

/// Exit codes, as documented in README.md.
pub const EXIT_OK: u8 = 0;
pub const EXIT_OVER_MAX: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

pub fn run(config: &Config) -> u8 {
    let catalog = match &config.catalog {
        Some(path) => Catalog::load(path),
        None => Catalog::embedded(),
    };
    let catalog = match catalog {
        Ok(c) => c,
        Err(e) => {
            eprintln!("whichbase: {e}");
            return EXIT_ERROR;
        }
    };
    if let Some(r) = &config.release {
        if catalog.release(r).is_none() {
            let names: Vec<&str> = catalog
                .index
                .releases
                .iter()
                .map(|r| r.name.as_str())
                .collect();
            eprintln!(
                "whichbase: unknown release '{r}' (one of: {})",
                names.join(", ")
            );
            return EXIT_ERROR;
        }
    }
    let options = Options {
        release: config.release.clone(),
    };
    let limits = Limits::default();
    let outcomes: Vec<Outcome> = config
        .paths
        .iter()
        .map(|path| Outcome {
            path: path.clone(),
            result: inspect::inspect(path, &limits).map(|facts| {
                let v = verdict::decide(&facts, &catalog, &options);
                (facts, v)
            }),
        })
        .collect();

    let mut failed = false;
    for o in &outcomes {
        if let Err(e) = &o.result {
            eprintln!("whichbase: {e}");
            failed = true;
        }
    }
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let written = match config.format {
        Format::Table => render::table::render(&mut out, &outcomes, config.verbose),
        Format::Json => render::json::render(&mut out, &outcomes, &catalog.index, config.verbose),
    }
    .and_then(|()| out.flush());
    if let Err(e) = written {
        // A closed pipe (`whichbase ... | head`) is not an error worth reporting.
        if e.kind() != io::ErrorKind::BrokenPipe {
            eprintln!("whichbase: writing output: {e}");
            return EXIT_ERROR;
        }
    }

    let mut over = false;
    if let Some(max) = config.max {
        for o in &outcomes {
            if let Ok((_, v)) = &o.result {
                if v.tier > max {
                    over = true;
                    let why = v.blocking_needs().join(", ");
                    eprintln!(
                        "whichbase: {}: needs {} (over --max {max}): {}",
                        escape_path(&o.path),
                        verdict_line(v),
                        if why.is_empty() {
                            "see the reasons"
                        } else {
                            &why
                        }
                    );
                }
            }
        }
    }
    if failed {
        EXIT_ERROR
    } else if over {
        EXIT_OVER_MAX
    } else {
        EXIT_OK
    }
}
