//! Catalog generator entry point, run by `scripts/gen-catalog.sh` (never by whichbase).
//!
//! gen-catalog --definitions scripts/images.json --staging STAGING.json --out DIR [--combined FILE]

use std::path::PathBuf;
use whichbase::catalog::generate;

fn main() {
    if let Err(e) = run() {
        eprintln!("gen-catalog: {e}");
        std::process::exit(2);
    }
}

fn run() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let (mut defs, mut staging, mut out, mut combined) = (None, None, None, None);
    while let Some(a) = args.next() {
        let mut value = || {
            args.next()
                .map(PathBuf::from)
                .ok_or(format!("{a} needs a value"))
        };
        match a.as_str() {
            "--definitions" => defs = Some(value()?),
            "--staging" => staging = Some(value()?),
            "--out" => out = Some(value()?),
            "--combined" => combined = Some(value()?),
            _ => return Err(format!("unknown argument {a}")),
        }
    }
    let read = |p: &Option<PathBuf>, what: &str| -> Result<String, String> {
        let p = p.as_ref().ok_or(format!("--{what} is required"))?;
        std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))
    };
    let defs: generate::Definitions = serde_json::from_str(&read(&defs, "definitions")?)
        .map_err(|e| format!("definitions: {e}"))?;
    let staging: generate::Staging =
        serde_json::from_str(&read(&staging, "staging")?).map_err(|e| format!("staging: {e}"))?;
    let generator = format!(
        "scripts/gen-catalog.sh (whichbase {})",
        env!("CARGO_PKG_VERSION")
    );
    let output = generate::generate(&defs, &staging, &generator)?;
    if let Some(dir) = out {
        generate::write_dir(&output, &dir)?;
    }
    if let Some(file) = combined {
        generate::write_combined(&output, &file)?;
    }
    Ok(())
}
