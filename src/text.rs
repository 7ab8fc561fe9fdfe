//! `RawText`: bytes taken from an inspected file, printed only through an escaper.
//!
//! A binary can put anything in its strings: terminal escape sequences, newlines that forge
//! extra output lines, invalid UTF-8. Every string whichbase takes from a file is a `RawText`,
//! and its `Display` and `Serialize` escape control characters, backslashes and invalid
//! UTF-8 (`\x1b`, `\n`, `\\`, `\xff`), so printing it raw takes deliberate effort.

use serde::{Serialize, Serializer};
use std::fmt::{self, Write};

/// Bytes read from an inspected file. Compare with [`RawText::as_bytes`]; print with `Display`.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct RawText(Vec<u8>);

impl RawText {
    pub fn new(bytes: &[u8]) -> RawText {
        RawText(bytes.to_vec())
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The text as UTF-8 when it is valid and free of control characters; such text needs no
    /// escaping, so it can be used as a lookup key or path.
    pub fn as_clean_str(&self) -> Option<&str> {
        let s = std::str::from_utf8(&self.0).ok()?;
        if s.chars().any(|c| c.is_control() || c == '\\') {
            None
        } else {
            Some(s)
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<&str> for RawText {
    fn from(s: &str) -> RawText {
        RawText(s.as_bytes().to_vec())
    }
}

impl fmt::Display for RawText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        escape_into(&self.0, f)
    }
}

impl fmt::Debug for RawText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_char('"')?;
        escape_into(&self.0, f)?;
        f.write_char('"')
    }
}

impl Serialize for RawText {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

/// Writes `bytes` with every byte that could change what a terminal or a log shows escaped.
fn escape_into(mut bytes: &[u8], out: &mut impl Write) -> fmt::Result {
    while !bytes.is_empty() {
        let (valid, rest) = match std::str::from_utf8(bytes) {
            Ok(s) => (s, &[][..]),
            Err(e) => {
                let (good, bad) = bytes.split_at(e.valid_up_to());
                // The prefix was just checked to be valid UTF-8.
                (std::str::from_utf8(good).unwrap_or_default(), bad)
            }
        };
        // Copy runs of ordinary characters at once; only the odd character is escaped alone.
        let mut rest_valid = valid;
        while let Some(pos) = rest_valid.find(|c: char| c == '\\' || c.is_control()) {
            out.write_str(&rest_valid[..pos])?;
            let c = rest_valid[pos..].chars().next().unwrap_or_default();
            rest_valid = &rest_valid[pos + c.len_utf8()..];
            match c {
                '\\' => out.write_str("\\\\")?,
                '\n' => out.write_str("\\n")?,
                '\r' => out.write_str("\\r")?,
                '\t' => out.write_str("\\t")?,
                c if c.is_control() => {
                    let mut buf = [0u8; 4];
                    for b in c.encode_utf8(&mut buf).bytes() {
                        write!(out, "\\x{b:02x}")?;
                    }
                }
                c => out.write_char(c)?,
            }
        }
        out.write_str(rest_valid)?;
        bytes = rest;
        if let Some((&bad, rest)) = bytes.split_first() {
            write!(out, "\\x{bad:02x}")?;
            bytes = rest;
        }
    }
    Ok(())
}

/// Escapes a path given by the user for printing (paths are bytes on Unix).
pub fn escape_path(path: &std::path::Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    RawText::new(path.as_os_str().as_bytes()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_and_invalid_utf8_are_escaped() {
        let t = RawText::new(b"lib\x1b[31mc.so\n\xff\\ok");
        assert_eq!(t.to_string(), "lib\\x1b[31mc.so\\n\\xff\\\\ok");
    }

    #[test]
    fn plain_text_is_unchanged_and_clean() {
        let t = RawText::from("libc.so.6");
        assert_eq!(t.to_string(), "libc.so.6");
        assert_eq!(t.as_clean_str(), Some("libc.so.6"));
        assert_eq!(RawText::new(b"a\nb").as_clean_str(), None);
    }

    #[test]
    fn c1_controls_and_unicode_are_handled() {
        let t = RawText::new("é\u{9b}x".as_bytes());
        assert_eq!(t.to_string(), "é\\xc2\\x9bx");
    }
}
