//! Programs for other systems: Mach-O (thin and universal), Windows PE, WebAssembly.
//!
//! These are recognised so the verdict can say plainly "this is a macOS program" instead of
//! failing to parse. goblin reads them: its Mach-O fat-header iterator and CPU-type names, and
//! its PE header parser, are the convenient, well-tested pieces for this. Only the first
//! [`FOREIGN_HEAD`] bytes are read.

use super::facts::{DotnetInfo, ForeignFacts};
use super::input::Input;
use super::sniff::ForeignKind;
use super::InspectErrorKind;
use goblin::mach::constants::cputype::get_arch_name_from_types;
use object::ReadRef;

/// Enough for a universal header with 200 architectures and for PE's DOS, COFF and optional
/// headers, which sit at the start of the file.
const FOREIGN_HEAD: u64 = 4096;

/// Out of line, so that an ELF run does not carry its frame: see `inspect::inspect_input`.
#[inline(never)]
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
                dotnet: None,
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
                dotnet: None,
            })
        }
        ForeignKind::Pe => {
            let header = goblin::pe::header::Header::parse(head).map_err(|e| malformed("PE", e))?;
            let machine = goblin::pe::header::machine_to_str(header.coff_header.machine);
            let dll = header.coff_header.characteristics
                & goblin::pe::characteristic::IMAGE_FILE_DLL
                != 0;
            let clr = header
                .optional_header
                .and_then(|o| o.data_directories.get_clr_runtime_header().copied())
                .filter(|d| d.virtual_address != 0);
            let managed = clr.is_some();
            let dotnet = clr.map(|d| dotnet_info(input, head, &header, d.virtual_address));
            let what = match (managed, dll) {
                (true, _) => ".NET assembly",
                (false, true) => "Windows DLL",
                (false, false) => "Windows program",
            };
            Ok(ForeignFacts {
                format: "PE".into(),
                description: format!("{what} for {}", machine.to_lowercase()),
                architectures: vec![machine.to_lowercase()],
                dotnet,
            })
        }
        ForeignKind::Wasm => Ok(ForeignFacts {
            format: "WebAssembly".into(),
            description: "WebAssembly module".into(),
            architectures: vec!["wasm".into()],
            dotnet: None,
        }),
    }
}

/// Largest metadata block searched for the target framework (real ones are a few MB).
const MAX_METADATA: u64 = 64 << 20;

/// The target framework of a .NET assembly: the `TargetFrameworkAttribute` value stored in
/// the metadata's blob heap (`.NETCoreApp,Version=v8.0`), found by searching the metadata
/// block the CLI header points to; and whether it references ASP.NET Core.
fn dotnet_info(
    input: &Input,
    head: &[u8],
    header: &goblin::pe::header::Header,
    cli_rva: u32,
) -> DotnetInfo {
    let none = DotnetInfo {
        target_framework: None,
        aspnet: false,
    };
    // The section table follows the optional header; it maps RVAs to file offsets.
    let pe_at = header.dos_header.pe_pointer as usize;
    let table_at = pe_at + 4 + 20 + header.coff_header.size_of_optional_header as usize;
    let sections: Vec<(u32, u32, u32, u32)> = (0..header.coff_header.number_of_sections as usize)
        .filter_map(|i| {
            let h = head.get(table_at + i * 40..table_at + i * 40 + 40)?;
            let w = |at: usize| u32::from_le_bytes(h[at..at + 4].try_into().unwrap_or_default());
            Some((w(12), w(8).max(w(16)), w(20), w(16)))
        })
        .collect();
    let to_offset = |rva: u32| -> Option<u64> {
        sections.iter().find_map(|&(va, vsize, raw, raw_size)| {
            let delta = rva.checked_sub(va)?;
            (delta < vsize && delta < raw_size).then(|| u64::from(raw) + u64::from(delta))
        })
    };
    let Some(cli) = to_offset(cli_rva).and_then(|o| input.bytes(o, 72)) else {
        return none;
    };
    let w = |at: usize| {
        u32::from_le_bytes(
            cli.get(at..at + 4)
                .and_then(|b| b.try_into().ok())
                .unwrap_or_default(),
        )
    };
    let (md_rva, md_size) = (w(8), w(12));
    let Some(md_at) = to_offset(md_rva) else {
        return none;
    };
    let mut info = none;
    let mut found: Option<Vec<u8>> = None;
    let marks: [&[u8]; 3] = [
        b".NETCoreApp,Version=v",
        b".NETStandard,Version=v",
        b".NETFramework,Version=v",
    ];
    input.scan(
        md_at,
        u64::from(md_size).min(MAX_METADATA),
        256,
        |_, chunk| {
            for mark in marks {
                if found.is_none() {
                    if let Some(i) = chunk.windows(mark.len()).position(|w| w == mark) {
                        let rest = chunk.get(i..).unwrap_or_default();
                        let end = rest
                            .iter()
                            .position(|b| {
                                !(b.is_ascii_alphanumeric() || matches!(b, b'.' | b',' | b'='))
                            })
                            .unwrap_or(rest.len())
                            .min(64);
                        found = rest.get(..end).map(<[u8]>::to_vec);
                    }
                }
            }
            if !info.aspnet && chunk.windows(20).any(|w| w == b"Microsoft.AspNetCore") {
                info.aspnet = true;
            }
            true
        },
    );
    info.target_framework = found.map(|f| String::from_utf8_lossy(&f).into_owned());
    info
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
