//! whichbase: from a built program to the smallest container base image it really runs on.
//!
//! The pipeline, one module per step, each depending only on those before it:
//!
//! 1. [`inspect`] reads one file (never running, loading or writing it) into plain [`Facts`]:
//!    platform, linkage, interpreter, needed libraries, symbol-version needs.
//! 2. [`catalog`] holds what every candidate image contains, generated from the real Debian
//!    packages by `scripts/gen-catalog.sh` and embedded in the binary.
//! 3. [`verdict`] decides, from facts and catalog only (no I/O), the smallest image whose files
//!    satisfy every need the way the dynamic loader would, with one reason per need.
//! 4. [`render`] prints verdicts as a table, JSON, SARIF, GitHub annotations or Markdown.
//!
//! [`run`] ties them together for the command line; `cli` turns arguments into a [`Config`].
#![forbid(unsafe_code)]

pub mod catalog;
pub mod cli;
pub mod inspect;
pub mod render;
pub mod rootfs;
pub mod survey;
pub mod text;
pub mod verdict;

pub use cli::Config;
pub use inspect::Facts;

mod run;
mod run_images;
pub use run::run;
