//! Programs for other systems: Mach-O (thin and universal), Windows PE, WebAssembly.
//!
//! These are recognised so the verdict can say plainly "this is a macOS program" instead of
//! failing to parse. goblin reads them: its Mach-O fat-header iterator and CPU-type names, and
//! its PE header parser, are the convenient, well-tested pieces for this. Only the first
//! [`FOREIGN_HEAD`] bytes are read.

use super::facts::ForeignFacts;
use super::input::Input;
use super::sniff::ForeignKind;
use super::InspectErrorKind;
use goblin::mach::constants::cputype::get_arch_name_from_types;
use object::ReadRef;

/// Enough for a universal header with 200 architectures and for PE's DOS, COFF and optional
/// headers, which sit at the start of the file.
const FOREIGN_HEAD: u64 = 4096;

pub fn inspect_foreign(kind: ForeignKind, input: &Input) -> Result<ForeignFacts, InspectErrorKind> {
    let size = input.len.min(FOREIGN_HEAD);
    let head = (&input.cache)
        .read_bytes_at(0, size)
        .map_err(|()| InspectErrorKind::Truncated {
            what: "could not read the header".into(),
        })?;
    let malformed = |format: &'static str, e: goblin::error::Error| InspectErrorKind::Malformed {
        format,
        what: e.to_string(),
    };
    match kind {
        ForeignKind::MachO => {
            let word = |at: usize| -> Option<u32> {
                let b: [u8; 4] = head.get(at..at + 4)?.try_into().ok()?;
                // MH_MAGIC/MH_MAGIC_64 stored big-endian start with 0xfe; little-endian with 0xce/0xcf.
                Some(if head.first() == Some(&0xfe) {
                    u32::from_be_bytes(b)
                } else {
                    u32::from_le_bytes(b)
                })
            };
            let (Some(cpu), Some(sub), Some(filetype)) = (word(4), word(8), word(12)) else {
                return Err(InspectErrorKind::Truncated {
                    what: "Mach-O header is incomplete".into(),
                });
            };
            let arch = arch_name(cpu, sub);
            let what = match filetype {
                goblin::mach::header::MH_EXECUTE => "executable",
                goblin::mach::header::MH_DYLIB => "dynamic library",
                goblin::mach::header::MH_BUNDLE => "bundle",
                goblin::mach::header::MH_OBJECT => "object file",
                _ => "file",
            };
            Ok(ForeignFacts {
                format: "Mach-O".into(),
                description: format!("macOS/iOS {what} for {arch}"),
                architectures: vec![arch],
            })
        }
        ForeignKind::MachOUniversal => {
            let multi =
                goblin::mach::MultiArch::new(head).map_err(|e| malformed("Mach-O universal", e))?;
            let arches = multi
                .arches()
                .map_err(|e| malformed("Mach-O universal", e))?
                .iter()
                .map(|a| arch_name(a.cputype, a.cpusubtype))
                .collect::<Vec<_>>();
            Ok(ForeignFacts {
                format: "Mach-O universal".into(),
                description: format!("macOS universal binary for {}", arches.join(", ")),
                architectures: arches,
            })
        }
        ForeignKind::Pe => {
            let header = goblin::pe::header::Header::parse(head).map_err(|e| malformed("PE", e))?;
            let machine = goblin::pe::header::machine_to_str(header.coff_header.machine);
            let dll = header.coff_header.characteristics
                & goblin::pe::characteristic::IMAGE_FILE_DLL
                != 0;
            let managed = header
                .optional_header
                .and_then(|o| o.data_directories.get_clr_runtime_header().copied())
                .is_some_and(|d| d.virtual_address != 0);
            let what = match (managed, dll) {
                (true, _) => ".NET assembly",
                (false, true) => "Windows DLL",
                (false, false) => "Windows program",
            };
            Ok(ForeignFacts {
                format: "PE".into(),
                description: format!("{what} for {}", machine.to_lowercase()),
                architectures: vec![machine.to_lowercase()],
            })
        }
        ForeignKind::Wasm => Ok(ForeignFacts {
            format: "WebAssembly".into(),
            description: "WebAssembly module".into(),
            architectures: vec!["wasm".into()],
        }),
    }
}

fn arch_name(cpu: u32, sub: u32) -> String {
    // The CPU subtype's top byte carries capability flags (e.g. pointer authentication).
    get_arch_name_from_types(cpu, sub & 0x00ff_ffff)
        .map(str::to_string)
        .or_else(|| {
            // Unusual subtypes: name the CPU family (mach/machine.h CPU_TYPE_*).
            let family = match cpu {
                7 => "i386",
                0x0100_0007 => "x86_64",
                12 => "arm",
                0x0100_000c => "arm64",
                0x0200_000c => "arm64_32",
                18 => "ppc",
                0x0100_0012 => "ppc64",
                _ => return None,
            };
            Some(family.to_string())
        })
        .unwrap_or_else(|| format!("cpu {cpu:#x}"))
}
