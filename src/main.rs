//! The `whichbase` command: parse the command line, run, exit with the code `run` decided.
//! Everything else lives in the library so tests and the catalog generator share it.

use std::process::ExitCode;

fn main() -> ExitCode {
    let config = whichbase::cli::parse();
    ExitCode::from(whichbase::run(&config))
}
