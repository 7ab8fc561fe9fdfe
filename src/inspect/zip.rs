//! A small, bounded ZIP reader for JARs, WARs and Python zipapps: the central directory, and
//! the first bytes or the whole of chosen members, inflated with a hard output limit.
//!
//! Written here rather than taken from a crate because whichbase needs very little of ZIP and
//! must be total on hostile archives: every count and offset is checked against the file
//! before it is used, the central directory and the number of entries are capped, and a member
//! that inflates past its limit is an error naming it (a zip bomb), never an allocation.

use super::input::Input;
use super::InspectErrorKind;

/// Largest central directory read (a JAR with 100,000 classes has about 8 MB).
const MAX_CENTRAL_DIRECTORY: u64 = 32 << 20;
const MAX_ENTRIES: usize = 300_000;
const EOCD_LEN: u64 = 22;
/// The end record may be followed by a comment of up to 65,535 bytes.
const EOCD_SEARCH: u64 = EOCD_LEN + 65_535;

/// One member as the central directory describes it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub name: Vec<u8>,
    /// 0 stored, 8 deflated; others are refused when read.
    pub method: u16,
    pub compressed_size: u64,
    pub size: u64,
    pub local_header: u64,
}

fn bad(what: impl Into<String>) -> InspectErrorKind {
    InspectErrorKind::Malformed {
        format: "ZIP",
        what: what.into(),
    }
}

/// Reads a range once, outside the range cache: an archive is read member by member, and
/// keeping every member's bytes would let a small archive claim a lot of memory.
fn read(input: &Input, offset: u64, size: u64, what: &str) -> Result<Vec<u8>, InspectErrorKind> {
    let end = offset
        .checked_add(size)
        .ok_or_else(|| bad(format!("{what}: offset overflows")))?;
    if end > input.len {
        return Err(InspectErrorKind::Truncated {
            what: format!(
                "{what} ends at byte {end}, past the end of the file ({} bytes)",
                input.len
            ),
        });
    }
    input
        .read_vec(offset, size)
        .ok_or_else(|| InspectErrorKind::Truncated {
            what: format!("{what}: could not be read"),
        })
}

fn u16_at(b: &[u8], at: usize) -> u64 {
    b.get(at..at + 2)
        .map_or(0, |s| u64::from(u16::from_le_bytes([s[0], s[1]])))
}

fn u32_at(b: &[u8], at: usize) -> u64 {
    b.get(at..at + 4).map_or(0, |s| {
        u64::from(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    })
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    b.get(at..at + 8)
        .and_then(|s| s.try_into().ok())
        .map_or(0, u64::from_le_bytes)
}

/// Whether the file ends like a ZIP archive (an end-of-central-directory record near the end).
/// Python zipapps start with a `#!` line, so the start of the file does not tell.
pub fn looks_like_zip(input: &Input) -> bool {
    find_eocd(input).is_ok()
}

fn find_eocd(input: &Input) -> Result<(u64, Vec<u8>), InspectErrorKind> {
    let window = input.len.min(EOCD_SEARCH);
    let start = input.len - window;
    let tail = read(input, start, window, "end of the archive")?;
    let at = (0..tail.len().saturating_sub(EOCD_LEN as usize - 1))
        .rev()
        .find(|&i| tail.get(i..i + 4) == Some(b"PK\x05\x06"))
        .ok_or_else(|| bad("no end-of-central-directory record"))?;
    Ok((
        start + at as u64,
        tail.get(at..).unwrap_or_default().to_vec(),
    ))
}

/// The archive's members, in central-directory order.
pub fn entries(input: &Input) -> Result<Vec<Entry>, InspectErrorKind> {
    let (eocd_at, eocd) = find_eocd(input)?;
    let mut count = u16_at(&eocd, 10);
    let mut cd_size = u32_at(&eocd, 12);
    let mut cd_offset = u32_at(&eocd, 16);
    // Where the central directory really ends in the file: at the end record, or in a ZIP64
    // archive at the ZIP64 end record (found through its locator).
    let mut cd_end = eocd_at;
    if count == 0xffff || cd_size == 0xffff_ffff || cd_offset == 0xffff_ffff {
        // ZIP64: a locator 20 bytes before the end record points at the ZIP64 end record.
        let loc_at = eocd_at
            .checked_sub(20)
            .ok_or_else(|| bad("ZIP64 locator missing"))?;
        let loc = read(input, loc_at, 20, "ZIP64 locator")?;
        if loc.get(..4) != Some(b"PK\x06\x07") {
            return Err(bad("ZIP64 locator missing"));
        }
        // The locator's offset is relative to the ZIP data; with a prefix (a zipapp's #!
        // line) the record is where the standard 56-byte record would sit before the locator.
        let logical = u64_at(&loc, 8);
        let at_logical = read(input, logical, 56, "ZIP64 end record").ok();
        let (rec_at, rec) = match at_logical {
            Some(r) if r.get(..4) == Some(b"PK\x06\x06") => (logical, r),
            _ => {
                let physical = loc_at
                    .checked_sub(56)
                    .ok_or_else(|| bad("ZIP64 end record missing"))?;
                (physical, read(input, physical, 56, "ZIP64 end record")?)
            }
        };
        if rec.get(..4) != Some(b"PK\x06\x06") {
            return Err(bad("ZIP64 end record missing"));
        }
        cd_end = rec_at;
        count = u64_at(&rec, 32);
        cd_size = u64_at(&rec, 40);
        cd_offset = u64_at(&rec, 48);
    }
    if cd_size > MAX_CENTRAL_DIRECTORY {
        return Err(bad(format!(
            "central directory of {cd_size} bytes (limit {MAX_CENTRAL_DIRECTORY})"
        )));
    }
    if count > MAX_ENTRIES as u64 {
        return Err(bad(format!("{count} entries (limit {MAX_ENTRIES})")));
    }
    // Archives with a prefix (a zipapp's #! line, a self-extracting stub) have offsets relative
    // to the start of the ZIP data: the central directory really ends where the end record is.
    let shift = cd_end.saturating_sub(cd_offset.saturating_add(cd_size));
    let cd = read(
        input,
        cd_offset.saturating_add(shift),
        cd_size,
        "central directory",
    )?;
    let mut out = Vec::with_capacity(count.min(4096) as usize);
    let mut at = 0usize;
    for _ in 0..count {
        let Some(h) = cd.get(at..at + 46) else {
            return Err(bad("central directory is shorter than its entry count"));
        };
        if h.get(..4) != Some(b"PK\x01\x02") {
            return Err(bad("central directory entry has a bad signature"));
        }
        let name_len = u16_at(h, 28) as usize;
        let extra_len = u16_at(h, 30) as usize;
        let comment_len = u16_at(h, 32) as usize;
        let name_at = at + 46;
        let name = cd
            .get(name_at..name_at + name_len)
            .ok_or_else(|| bad("entry name runs past the central directory"))?
            .to_vec();
        let extra = cd
            .get(name_at + name_len..name_at + name_len + extra_len)
            .unwrap_or_default();
        let mut e = Entry {
            name,
            method: u16_at(h, 10) as u16,
            compressed_size: u32_at(h, 20),
            size: u32_at(h, 24),
            local_header: u32_at(h, 42),
        };
        zip64_sizes(&mut e, extra);
        e.local_header = e.local_header.saturating_add(shift);
        out.push(e);
        at = name_at + name_len + extra_len + comment_len;
    }
    Ok(out)
}

/// Fills 0xffffffff fields from the ZIP64 extended-information extra field (id 1).
fn zip64_sizes(e: &mut Entry, mut extra: &[u8]) {
    while extra.len() >= 4 {
        let id = u16_at(extra, 0);
        let len = u16_at(extra, 2) as usize;
        let Some(data) = extra.get(4..4 + len) else {
            return;
        };
        if id == 1 {
            let mut at = 0;
            for field in [&mut e.size, &mut e.compressed_size, &mut e.local_header] {
                if *field == 0xffff_ffff {
                    *field = u64_at(data, at);
                    at += 8;
                }
            }
            return;
        }
        extra = extra.get(4 + len..).unwrap_or_default();
    }
}

/// The compressed bytes of a member (at most `max` of them).
fn raw(input: &Input, e: &Entry, max: u64) -> Result<Vec<u8>, InspectErrorKind> {
    let h = read(input, e.local_header, 30, "local file header")?;
    if h.get(..4) != Some(b"PK\x03\x04") {
        return Err(bad(format!(
            "local header of {} has a bad signature",
            name(e)
        )));
    }
    let data_at = e
        .local_header
        .checked_add(30 + u16_at(&h, 26) + u16_at(&h, 28))
        .ok_or_else(|| bad("entry offset overflows"))?;
    read(input, data_at, e.compressed_size.min(max), "archive member")
}

fn name(e: &Entry) -> String {
    crate::text::RawText::new(&e.name).to_string()
}

/// The first `n` bytes of a member (fewer if it is shorter): enough for a class file's version
/// without inflating the class.
pub fn head(input: &Input, e: &Entry, n: usize) -> Result<Vec<u8>, InspectErrorKind> {
    match e.method {
        0 => raw(input, e, n as u64),
        8 => {
            // A deflate stream's first output bytes need its block header and code tables:
            // a few hundred bytes of input at most for a small output.
            let data = raw(input, e, 1024)?;
            let mut state =
                miniz_oxide::inflate::stream::InflateState::new(miniz_oxide::DataFormat::Raw);
            let mut out = vec![0u8; n];
            let r = miniz_oxide::inflate::stream::inflate(
                &mut state,
                &data,
                &mut out,
                miniz_oxide::MZFlush::None,
            );
            out.truncate(r.bytes_written);
            Ok(out)
        }
        m => Err(bad(format!(
            "{}: compression method {m} is not supported",
            name(e)
        ))),
    }
}

/// A whole member, inflated; more than `limit` bytes is an error (a zip bomb, or simply a
/// member too large to inspect).
pub fn read_member(input: &Input, e: &Entry, limit: usize) -> Result<Vec<u8>, InspectErrorKind> {
    let too_big = || {
        bad(format!(
            "{} inflates past {limit} bytes (zip bomb?)",
            name(e)
        ))
    };
    match e.method {
        0 => {
            if e.compressed_size > limit as u64 {
                return Err(too_big());
            }
            raw(input, e, e.compressed_size)
        }
        8 => {
            // A deflate stream is at most about 9/8 of its output (fixed Huffman codes spend 9
            // bits on some bytes; stored blocks add 5 bytes per 64 KiB): a member with more
            // compressed bytes than that cannot inflate to within the limit.
            let most = (limit as u64) + (limit as u64 >> 2) + 4096;
            if e.compressed_size > most {
                return Err(too_big());
            }
            let data = raw(input, e, e.compressed_size)?;
            miniz_oxide::inflate::decompress_to_vec_with_limit(&data, limit).map_err(
                |err| match err.status {
                    miniz_oxide::inflate::TINFLStatus::HasMoreOutput => too_big(),
                    s => bad(format!("{}: does not inflate ({s:?})", name(e))),
                },
            )
        }
        m => Err(bad(format!(
            "{}: compression method {m} is not supported",
            name(e)
        ))),
    }
}
