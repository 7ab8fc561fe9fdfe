//! Recognising a file's format from its first bytes, before any parser sees it.

/// What the first bytes say a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Elf,
    Foreign(ForeignKind),
    /// Starts with `#!`.
    Script,
    /// A ZIP local file header: a JAR, WAR, zipapp or wheel.
    Zip,
    /// Anything else, with a short description for the error message.
    Unknown(&'static str),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForeignKind {
    MachO,
    MachOUniversal,
    Pe,
    Wasm,
}

pub fn sniff(head: &[u8]) -> Format {
    match head {
        [0x7f, b'E', b'L', b'F', ..] => Format::Elf,
        [0xfe, 0xed, 0xfa, 0xce | 0xcf, ..] | [0xce | 0xcf, 0xfa, 0xed, 0xfe, ..] => {
            Format::Foreign(ForeignKind::MachO)
        }
        // 0xcafebabe is both a Mach-O universal header and a Java class file. A universal
        // header's next word is a small architecture count; a class file's is its version
        // (major >= 45), so a count under 45 means Mach-O.
        [0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, n, ..] if *n > 0 && *n < 45 => {
            Format::Foreign(ForeignKind::MachOUniversal)
        }
        [0xca, 0xfe, 0xba, 0xbe, ..] => Format::Unknown("a Java class file"),
        [b'M', b'Z', ..] => Format::Foreign(ForeignKind::Pe),
        [0, b'a', b's', b'm', ..] => Format::Foreign(ForeignKind::Wasm),
        [b'#', b'!', ..] => Format::Script,
        [b'P', b'K', 3, 4, ..] => Format::Zip,
        _ => Format::Unknown("unrecognised format"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_bytes_are_recognised() {
        assert_eq!(sniff(b"\x7fELF\x02\x01"), Format::Elf);
        assert_eq!(
            sniff(&[0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1]),
            Format::Foreign(ForeignKind::MachO)
        );
        assert_eq!(
            sniff(&[0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2]),
            Format::Foreign(ForeignKind::MachOUniversal)
        );
        assert_eq!(
            sniff(&[0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 61]),
            Format::Unknown("a Java class file")
        );
        assert_eq!(sniff(b"MZ\x90\x00"), Format::Foreign(ForeignKind::Pe));
        assert_eq!(
            sniff(b"\0asm\x01\0\0\0"),
            Format::Foreign(ForeignKind::Wasm)
        );
        assert_eq!(sniff(b"#!/bin/sh\n"), Format::Script);
        assert_eq!(sniff(b"PK\x03\x04"), Format::Zip);
        assert_eq!(sniff(b""), Format::Unknown("unrecognised format"));
    }
}
