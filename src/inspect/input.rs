//! Opening an input: regular files only, read-only, never blocking, bounded reads.
//!
//! The file is opened with `O_RDONLY | O_NONBLOCK | O_NOCTTY`, so opening a FIFO or a terminal
//! cannot hang or change the controlling terminal, and its type is checked with `fstat` on the
//! open descriptor (no race between the check and the read). Reads go through
//! [`object::ReadCache`], which reads only the ranges the parsers ask for and checks each
//! range against the file's length before allocating. There is no memory map, so a file that
//! shrinks while being read gives a read error, not a `SIGBUS`.

use super::InspectErrorKind;
use object::ReadCache;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;

/// Limits that keep inspection bounded on hostile input.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest file inspected. Reads are range-limited anyway; this only refuses absurd inputs
    /// such as a sparse file claiming terabytes.
    pub max_file_size: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        // 16 GiB: larger than any real executable (the largest Go and LLVM binaries are a few
        // GB), small enough to refuse a forged sparse file early.
        Limits {
            max_file_size: 16 << 30,
        }
    }
}

/// An open input file: its first bytes for sniffing and a range cache for parsers.
pub struct Input {
    head: Vec<u8>,
    pub len: u64,
    pub cache: ReadCache<File>,
}

/// How many leading bytes are read to recognise a format (enough for every magic we check
/// and for a `#!` line).
const HEAD_LEN: usize = 512;

impl Input {
    pub fn head(&self) -> &[u8] {
        &self.head
    }
}

pub fn open(path: &Path, limits: &Limits) -> Result<Input, InspectErrorKind> {
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
        .map_err(InspectErrorKind::Open)?;
    let meta = file.metadata().map_err(InspectErrorKind::Open)?;
    let ft = meta.file_type();
    if !ft.is_file() {
        let kind = if ft.is_dir() {
            "directory"
        } else if ft.is_fifo() {
            "FIFO"
        } else if ft.is_socket() {
            "socket"
        } else if ft.is_char_device() {
            "character device"
        } else if ft.is_block_device() {
            "block device"
        } else {
            "special file"
        };
        return Err(InspectErrorKind::NotAFile { kind });
    }
    let len = meta.len();
    if len == 0 {
        return Err(InspectErrorKind::Empty);
    }
    if len > limits.max_file_size {
        return Err(InspectErrorKind::TooLarge {
            size: len,
            limit: limits.max_file_size,
        });
    }
    let mut head = Vec::with_capacity(HEAD_LEN);
    (&mut file)
        .take(HEAD_LEN as u64)
        .read_to_end(&mut head)
        .map_err(InspectErrorKind::Open)?;
    file.seek(SeekFrom::Start(0))
        .map_err(InspectErrorKind::Open)?;
    Ok(Input {
        head,
        len,
        cache: ReadCache::new(file),
    })
}
