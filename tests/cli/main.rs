//! whichbase's integration tests: one binary, one module per topic.
//!
//! Programs under test are real: built by `testdata/build.sh` into `testdata/out/` (README's
//! test command runs it first), the machine's own `/usr/bin` and libraries, and Debian
//! packages. A missing `testdata/out/` fails with a message, never skips.

mod artifacts;
mod catalog;
mod chroot;
mod common;
mod elf;
mod formats;
mod fuzz;
mod gate;
mod generate;
mod hostile;
mod images;
mod json;
mod needs;
mod pre_commit;
mod readelf_oracle;
mod strace;
