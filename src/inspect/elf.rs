//! ELF facts: class, machine, kind, linkage, interpreter, dynamic table, version tables, notes.
//!
//! `object` parses the file header, program headers and section headers (its lazy, borrowing
//! `FileHeader` API over a `ReadCache` reads just those ranges). The dynamic table, string
//! table, `.gnu.version_r`/`.gnu.version_d` and notes are decoded here from the bytes of the
//! segments the loader itself uses, found through `PT_DYNAMIC` and the `PT_LOAD` address map,
//! so facts hold for files whose section headers were stripped (`sstrip`) exactly as the loader
//! sees them. Section headers are used only to size the version tables precisely and to tell
//! whether `.symtab` is present.
//!
//! Totality: every offset and size read from the file goes through checked arithmetic and is
//! compared with the file length before anything is read or allocated; every chained record
//! (version needs, definitions, notes) is followed strictly forward and under a count cap.

use super::facts::*;
use super::input::Input;
use super::InspectErrorKind;
use crate::text::RawText;
use object::elf;
use object::read::elf::{FileHeader, ProgramHeader, SectionHeader};
use object::{Endianness, ReadRef};

type Data<'a> = &'a object::ReadCache<super::input::Reader>;

/// Caps on what one file may make us read. Each is far above what real files use (glibc's
/// libc.so.6 has ~80 dynamic entries, ~30 KB of dynamic strings, ~50 version definitions), so
/// they only bite on forged files.
const MAX_DYNAMIC_BYTES: u64 = 1 << 20;
const MAX_STRTAB_BYTES: u64 = 64 << 20;
const MAX_VERSION_TABLE_BYTES: u64 = 1 << 20;
const MAX_VERSION_RECORDS: usize = 4096;
const MAX_NOTE_BYTES: u64 = 64 << 10;
/// Real programs have one to four PT_NOTE segments; more are only read up to this many, so a
/// forged table of thousands cannot make us read (and keep) thousands of windows.
const MAX_NOTE_SEGMENTS: usize = 16;
/// Longest library name or search path taken from the string table (PATH_MAX).
const MAX_NAME_BYTES: usize = 4096;
/// DT_NEEDED, DT_RPATH and DT_RUNPATH entries taken in all; real programs have tens.
const MAX_NAME_ENTRIES: usize = 4096;
/// Largest section header table read (262,144 sections); real executables have under 100.
const MAX_SECTION_TABLE_BYTES: u64 = 16 << 20;
const MAX_INTERP_BYTES: u64 = 4096;

fn malformed(what: impl Into<String>) -> InspectErrorKind {
    InspectErrorKind::Malformed {
        format: "ELF",
        what: what.into(),
    }
}

fn truncated(what: impl Into<String>) -> InspectErrorKind {
    InspectErrorKind::Truncated { what: what.into() }
}

/// Reads `size` bytes at `offset`, reporting a range past the end as truncation.
fn read_at<'a>(
    input: &'a Input,
    offset: u64,
    size: u64,
    what: &str,
) -> Result<&'a [u8], InspectErrorKind> {
    let end = offset
        .checked_add(size)
        .ok_or_else(|| malformed(format!("{what}: offset overflows")))?;
    if end > input.len {
        return Err(truncated(format!(
            "{what} ends at byte {end}, past the end of the file ({} bytes)",
            input.len
        )));
    }
    (&input.cache).read_bytes_at(offset, size).map_err(|()| {
        truncated(format!(
            "{what}: could not be read (file changed while read?)"
        ))
    })
}

pub fn inspect_elf(input: &Input) -> Result<ElfFacts, InspectErrorKind> {
    match input.head().get(4) {
        Some(&c) if c == elf::ELFCLASS32.0 => parse::<elf::FileHeader32<Endianness>>(input),
        Some(&c) if c == elf::ELFCLASS64.0 => parse::<elf::FileHeader64<Endianness>>(input),
        Some(c) => Err(malformed(format!("unknown ELF class {c}"))),
        None => Err(truncated("ELF identification is incomplete")),
    }
}

/// A `PT_LOAD` mapping, used to turn the dynamic table's addresses into file offsets.
#[derive(Clone, Copy)]
pub(super) struct Load {
    pub vaddr: u64,
    pub offset: u64,
    pub filesz: u64,
    /// `PF_X | PF_W | PF_R` bits.
    pub flags: u32,
}

pub(super) fn addr_to_offset(loads: &[Load], addr: u64) -> Option<(u64, u64)> {
    loads.iter().find_map(|l| {
        let delta = addr.checked_sub(l.vaddr)?;
        (delta < l.filesz)
            .then(|| Some((l.offset.checked_add(delta)?, l.filesz - delta)))
            .flatten()
    })
}

/// What the dynamic table says, before strings are looked up.
#[derive(Default)]
struct DynamicTable {
    needed: Vec<u64>,
    rpath: Vec<u64>,
    runpath: Vec<u64>,
    soname: Option<u64>,
    strtab: Option<u64>,
    strsz: Option<u64>,
    flags: u64,
    flags_1: u64,
    verneed: Option<u64>,
    verneednum: Option<u64>,
    verdef: Option<u64>,
    verdefnum: Option<u64>,
    symtab: Option<u64>,
    hash: Option<u64>,
    gnu_hash: Option<u64>,
}

fn parse<Elf: FileHeader<Endian = Endianness>>(
    input: &Input,
) -> Result<ElfFacts, InspectErrorKind> {
    let data: Data = &input.cache;
    let header_size = std::mem::size_of::<Elf>() as u64;
    if input.len < header_size {
        return Err(truncated(format!(
            "ELF header needs {header_size} bytes, the file has {}",
            input.len
        )));
    }
    let header = Elf::parse(data).map_err(|e| malformed(e.to_string()))?;
    let endian = header
        .endian()
        .map_err(|_| malformed("unknown byte order"))?;
    let class = if header.is_class_64() {
        ElfClass::Elf64
    } else {
        ElfClass::Elf32
    };
    let byte_order = if header.is_little_endian() {
        ByteOrder::LittleEndian
    } else {
        ByteOrder::BigEndian
    };
    let e_type = header.e_type(endian);
    let e_machine = header.e_machine(endian).0;
    let (machine, platform) = machine_and_platform(
        e_machine,
        class,
        byte_order,
        header.e_flags(endian).0,
        header.e_ident().os_abi.0,
    );

    // Program headers: bounded by e_phnum (or section 0's sh_info for PN_XNUM) times the
    // fixed entry size, and checked against the file length before reading.
    let phoff: u64 = header.e_phoff(endian).into();
    let phdrs: &[Elf::ProgramHeader] = if phoff == 0 {
        &[]
    } else {
        let phnum = header
            .phnum(endian, data)
            .map_err(|e| malformed(format!("program header count: {e}")))?;
        if header.e_phnum(endian) == elf::PN_XNUM && phnum < u32::from(elf::PN_XNUM) {
            return Err(malformed(format!(
                "e_phnum is PN_XNUM but section 0 gives {phnum} program headers"
            )));
        }
        let size = u64::from(phnum) * u64::from(header.e_phentsize(endian));
        read_at(input, phoff, size, "program header table")?;
        header
            .program_headers(endian, data)
            .map_err(|e| malformed(e.to_string()))?
    };

    // Section headers are optional for a program; when present they must be inside the file.
    let shoff: u64 = header.e_shoff(endian).into();
    let sections: &[Elf::SectionHeader] = if shoff == 0 {
        &[]
    } else {
        let shnum = header
            .shnum(endian, data)
            .map_err(|e| malformed(format!("section header count: {e}")))?;
        let size = u64::from(shnum) * u64::from(header.e_shentsize(endian));
        if size > MAX_SECTION_TABLE_BYTES {
            return Err(malformed(format!(
                "section header table of {size} bytes is over the {MAX_SECTION_TABLE_BYTES}-byte limit"
            )));
        }
        read_at(input, shoff, size, "section header table")?;
        header
            .section_headers(endian, data)
            .map_err(|e| malformed(e.to_string()))?
    };
    let loadable = e_type_is_loadable(header.e_type(endian));
    if loadable && phdrs.is_empty() {
        return Err(malformed(
            "a program or library without program headers cannot be loaded",
        ));
    }
    let stripped = !sections
        .iter()
        .any(|s| s.sh_type(endian) == elf::SHT_SYMTAB);

    let mut loads = Vec::new();
    let mut interp_ph = None;
    let mut dynamic_ph = None;
    let mut note_phs = Vec::new();
    for ph in phdrs {
        let p_type = ph.p_type(endian);
        let offset: u64 = ph.p_offset(endian).into();
        let filesz: u64 = ph.p_filesz(endian).into();
        if p_type == elf::PT_LOAD {
            loads.push(Load {
                vaddr: ph.p_vaddr(endian).into(),
                offset,
                filesz,
                flags: ph.p_flags(endian).0,
            });
        } else if p_type == elf::PT_INTERP {
            interp_ph.get_or_insert((offset, filesz));
        } else if p_type == elf::PT_DYNAMIC {
            dynamic_ph.get_or_insert((offset, filesz));
        } else if p_type == elf::PT_NOTE && note_phs.len() < MAX_NOTE_SEGMENTS {
            note_phs.push((offset, filesz, ph.p_align(endian).into()));
        }
    }

    // The kernel maps a program and the loader a library through PT_LOAD: none means
    // nothing of the file would be in memory (a header whose table lies in zeros, say).
    if loadable && loads.is_empty() && e_type != elf::ET_CORE {
        return Err(malformed(
            "no loadable segment (PT_LOAD): nothing of it could be mapped",
        ));
    }

    let interpreter = match interp_ph {
        Some((offset, size)) => {
            if size > MAX_INTERP_BYTES {
                return Err(malformed(format!("interpreter path is {size} bytes long")));
            }
            let bytes = read_at(input, offset, size, "interpreter path")?;
            let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
            Some(RawText::new(bytes.get(..end).unwrap_or_default()))
        }
        None => None,
    };

    let is_core = e_type == elf::ET_CORE;
    let is_rel = e_type == elf::ET_REL;
    let dynamic = match dynamic_ph {
        Some((offset, size)) if !is_core && !is_rel => {
            Some(read_dynamic(input, endian, class, offset, size)?)
        }
        _ => None,
    };

    let mut facts_needed = Vec::new();
    let mut rpath = Vec::new();
    let mut runpath = Vec::new();
    let mut soname = None;
    let mut version_needs = Vec::new();
    let mut version_definitions = Vec::new();
    let (mut flags, mut flags_1) = (0u64, 0u64);
    let mut dynstr: Option<DynamicStrings> = None;
    if let Some(dt) = &dynamic {
        flags = dt.flags;
        flags_1 = dt.flags_1;
        let uses_strings = !dt.needed.is_empty()
            || !dt.rpath.is_empty()
            || !dt.runpath.is_empty()
            || dt.soname.is_some()
            || dt.verneed.is_some()
            || dt.verdef.is_some();
        if dt.needed.len() + dt.rpath.len() + dt.runpath.len() > MAX_NAME_ENTRIES {
            return Err(malformed(format!(
                "more than {MAX_NAME_ENTRIES} DT_NEEDED, DT_RPATH and DT_RUNPATH entries"
            )));
        }
        if uses_strings {
            let strings = read_strtab(input, &loads, dt)?;
            dynstr = Some(strings);
            let s = |off: u64| strings.string(off);
            for &off in &dt.needed {
                facts_needed.push(s(off)?);
            }
            for &off in &dt.rpath {
                rpath.extend(split_path_list(&s(off)?));
            }
            for &off in &dt.runpath {
                runpath.extend(split_path_list(&s(off)?));
            }
            soname = dt.soname.map(s).transpose()?;
            if let Some(addr) = dt.verneed {
                let table = version_table::<Elf>(
                    input,
                    endian,
                    &loads,
                    sections,
                    addr,
                    elf::SHT_GNU_VERNEED,
                    "version needs",
                )?;
                version_needs = read_verneed(table, endian, dt.verneednum.unwrap_or(u64::MAX), &s)?;
            }
            if let Some(addr) = dt.verdef {
                let table = version_table::<Elf>(
                    input,
                    endian,
                    &loads,
                    sections,
                    addr,
                    elf::SHT_GNU_VERDEF,
                    "version definitions",
                )?;
                version_definitions =
                    read_verdef(table, endian, dt.verdefnum.unwrap_or(u64::MAX), &s)?;
            }
        }
    }

    let (abi_tag, build_id, go_note, sea_note) = if is_core {
        (None, None, false, false)
    } else {
        read_notes(input, endian, &note_phs)?
    };

    let has_dynamic = dynamic.is_some();
    let pie_flag = flags_1 & elf::DF_1_PIE.0 != 0;
    let (kind, kind_evidence) = if e_type == elf::ET_EXEC {
        (ElfKind::Executable, "ET_EXEC".to_string())
    } else if e_type == elf::ET_DYN {
        if pie_flag {
            (ElfKind::PieExecutable, "ET_DYN with DF_1_PIE".to_string())
        } else if soname.is_some() {
            (ElfKind::SharedLibrary, "ET_DYN with DT_SONAME".to_string())
        } else if interpreter.is_some() {
            (
                ElfKind::PieExecutable,
                "ET_DYN with PT_INTERP (no DF_1_PIE: older linker)".to_string(),
            )
        } else {
            (
                ElfKind::SharedLibrary,
                "ET_DYN without PT_INTERP, DF_1_PIE or DT_SONAME".to_string(),
            )
        }
    } else if is_rel {
        (ElfKind::Relocatable, "ET_REL".to_string())
    } else if is_core {
        (ElfKind::Core, "ET_CORE".to_string())
    } else {
        (ElfKind::Other, format!("e_type {:#x}", e_type.0))
    };

    let (linkage, linkage_evidence) = match kind {
        ElfKind::Relocatable | ElfKind::Core | ElfKind::Other => (None, "not loadable".into()),
        _ if interpreter.is_some() => (Some(Linkage::Dynamic), "PT_INTERP present".into()),
        ElfKind::PieExecutable if facts_needed.is_empty() => (
            Some(Linkage::StaticPie),
            "ET_DYN with a dynamic section and no PT_INTERP: relocates itself".into(),
        ),
        ElfKind::PieExecutable => (
            Some(Linkage::Dynamic),
            "ET_DYN with DT_NEEDED but no PT_INTERP: nothing will load its libraries".into(),
        ),
        ElfKind::SharedLibrary => (
            Some(Linkage::Dynamic),
            "shared library: loaded by a program's interpreter".into(),
        ),
        _ if has_dynamic && !facts_needed.is_empty() => (
            Some(Linkage::Dynamic),
            "ET_EXEC with DT_NEEDED but no PT_INTERP: the kernel cannot load its libraries".into(),
        ),
        _ => (
            Some(Linkage::Static),
            "ET_EXEC without PT_INTERP".to_string(),
        ),
    };

    let (libc, libc_evidence) = libc_family(interpreter.as_ref(), &facts_needed, &abi_tag);
    let platform = match platform.as_deref() {
        Some("linux/arm") => Some(arm_variant(interpreter.as_ref())),
        _ => platform,
    };

    // Filesystem needs and the toolchain: only for programs and libraries, and never fatal
    // (a table they use that does not parse is a note, not an error: the verdict on
    // libraries above stands on its own).
    let program_view = if linkage.is_some() {
        let plain_sections = plain_sections::<Elf>(input, endian, header, sections);
        let (dynsym, dynsym_note) = match &dynamic {
            Some(dt) => locate_dynsym(input, endian, class, &loads, &plain_sections, dt),
            None => (None, None),
        };
        let view = super::needs::ElfView {
            input,
            endian,
            class,
            sections: plain_sections,
            loads: &loads,
            dynstr: dynstr.map(|d| d.for_needs()),
            dynsym,
            linkage,
            libc,
            needed: &facts_needed,
            gnu_hash: dynamic.as_ref().and_then(|d| d.gnu_hash),
            go_note,
            sea_note,
        };
        let mut found = super::needs::read(&view);
        found.notes.extend(dynsym_note);
        Some(found)
    } else {
        None
    };
    let (toolchain, needs, scan_notes, bundle) = match program_view {
        Some(f) => (f.toolchain, f.needs, f.notes, f.bundle),
        None => (None, Vec::new(), Vec::new(), None),
    };

    Ok(ElfFacts {
        class,
        byte_order,
        machine,
        platform,
        kind,
        linkage,
        interpreter,
        libc,
        needed: facts_needed,
        rpath,
        runpath,
        soname,
        flags: flag_names(elf::DynamicFlags(flags), elf::DynamicFlags::NAMES, "DF_"),
        flags_1: flag_names(
            elf::DynamicFlags1(flags_1),
            elf::DynamicFlags1::NAMES,
            "DF_1_",
        ),
        version_needs,
        version_definitions,
        abi_tag,
        build_id,
        stripped,
        evidence: Evidence {
            linkage: linkage_evidence,
            kind: kind_evidence,
            libc: libc_evidence,
        },
        toolchain,
        needs,
        scan_notes,
        role: None,
        bundle,
    })
}

fn e_type_is_loadable(t: elf::FileType) -> bool {
    t == elf::ET_EXEC || t == elf::ET_DYN
}

fn read_dynamic(
    input: &Input,
    endian: Endianness,
    class: ElfClass,
    offset: u64,
    size: u64,
) -> Result<DynamicTable, InspectErrorKind> {
    use object::Endian;
    if size > MAX_DYNAMIC_BYTES {
        return Err(malformed(format!("dynamic segment is {size} bytes")));
    }
    let bytes = read_at(input, offset, size, "dynamic segment")?;
    let entry = if class == ElfClass::Elf64 { 16 } else { 8 };
    let word = |b: &[u8]| -> u64 {
        if class == ElfClass::Elf64 {
            let a: [u8; 8] = b.try_into().unwrap_or_default();
            endian.read_u64(a)
        } else {
            let a: [u8; 4] = b.try_into().unwrap_or_default();
            u64::from(endian.read_u32(a))
        }
    };
    let half = entry / 2;
    let mut dt = DynamicTable::default();
    for chunk in bytes.chunks_exact(entry) {
        let (tag_bytes, val_bytes) = chunk.split_at(half);
        let tag = word(tag_bytes);
        let val = word(val_bytes);
        // Compare the whole word, as the loader does (tags are sign-extended in ELF64).
        let is = |t: elf::DynamicTag| tag == t.0 as u64;
        match () {
            _ if tag == 0 => break, // DT_NULL ends the table
            _ if is(elf::DT_NEEDED) => dt.needed.push(val),
            _ if is(elf::DT_RPATH) => dt.rpath.push(val),
            _ if is(elf::DT_RUNPATH) => dt.runpath.push(val),
            _ if is(elf::DT_SONAME) => dt.soname = Some(val),
            _ if is(elf::DT_STRTAB) => dt.strtab = Some(val),
            _ if is(elf::DT_STRSZ) => dt.strsz = Some(val),
            _ if is(elf::DT_FLAGS) => dt.flags = val,
            _ if is(elf::DT_FLAGS_1) => dt.flags_1 = val,
            _ if is(elf::DT_VERNEED) => dt.verneed = Some(val),
            _ if is(elf::DT_VERNEEDNUM) => dt.verneednum = Some(val),
            _ if is(elf::DT_VERDEF) => dt.verdef = Some(val),
            _ if is(elf::DT_VERDEFNUM) => dt.verdefnum = Some(val),
            _ if is(elf::DT_SYMTAB) => dt.symtab = Some(val),
            _ if is(elf::DT_HASH) => dt.hash = Some(val),
            _ if is(elf::DT_GNU_HASH) => dt.gnu_hash = Some(val),
            _ => {}
        }
    }
    Ok(dt)
}

/// The dynamic string table: read whole when it is small, or name by name when it is large
/// (a program or library exporting tens of thousands of symbols has megabytes of names, and
/// a verdict needs a few dozen of them: the libraries, search paths and versions).
#[derive(Clone, Copy)]
enum DynamicStrings<'a> {
    Whole(&'a [u8]),
    InFile {
        input: &'a Input,
        offset: u64,
        size: u64,
    },
}

/// Larger dynamic string tables are read name by name and their symbols streamed.
const LARGE_STRTAB_BYTES: u64 = 256 << 10;

impl<'a> DynamicStrings<'a> {
    /// The NUL-terminated name at `offset` in the table: the same answers and errors either way.
    fn string(&self, offset: u64) -> Result<RawText, InspectErrorKind> {
        let (input, start, size) = match *self {
            DynamicStrings::Whole(bytes) => return string_at(bytes, offset),
            DynamicStrings::InFile {
                input,
                offset: at,
                size,
            } => (input, at, size),
        };
        if offset >= size {
            return Err(malformed(format!(
                "string offset {offset} is past the string table"
            )));
        }
        let rest = size - offset;
        // Most names are short: one small read, then one of the longest name allowed.
        for want in [256, MAX_NAME_BYTES as u64 + 1] {
            let n = want.min(rest);
            let bytes = input.read_vec(start + offset, n).ok_or_else(|| {
                truncated("dynamic string table: could not be read (file changed while read?)")
            })?;
            if let Some(end) = memchr::memchr(0, &bytes) {
                return Ok(RawText::new(bytes.get(..end).unwrap_or_default()));
            }
            if n == rest {
                return Err(malformed("unterminated string in the dynamic string table"));
            }
        }
        Err(malformed(format!(
            "a name in the dynamic string table is over {MAX_NAME_BYTES} bytes"
        )))
    }

    fn for_needs(self) -> super::needs::StringTable<'a> {
        match self {
            DynamicStrings::Whole(bytes) => super::needs::StringTable::Bytes(bytes),
            DynamicStrings::InFile { offset, size, .. } => {
                super::needs::StringTable::InFile { offset, size }
            }
        }
    }
}

fn read_strtab<'a>(
    input: &'a Input,
    loads: &[Load],
    dt: &DynamicTable,
) -> Result<DynamicStrings<'a>, InspectErrorKind> {
    let addr = dt
        .strtab
        .ok_or_else(|| malformed("dynamic section names strings but has no DT_STRTAB"))?;
    let size = dt
        .strsz
        .ok_or_else(|| malformed("dynamic section has no DT_STRSZ"))?;
    if size > MAX_STRTAB_BYTES {
        return Err(malformed(format!("dynamic string table is {size} bytes")));
    }
    let (offset, avail) = addr_to_offset(loads, addr).ok_or_else(|| {
        malformed(format!(
            "dynamic string table address {addr:#x} is in no loaded segment"
        ))
    })?;
    if size > avail {
        return Err(malformed("dynamic string table runs past its segment"));
    }
    if size > LARGE_STRTAB_BYTES {
        // Checked as read_at checks a range, without reading it.
        let end = offset
            .checked_add(size)
            .ok_or_else(|| malformed("dynamic string table: offset overflows"))?;
        if end > input.len {
            return Err(truncated(format!(
                "dynamic string table ends at byte {end}, past the end of the file ({} bytes)",
                input.len
            )));
        }
        return Ok(DynamicStrings::InFile {
            input,
            offset,
            size,
        });
    }
    read_at(input, offset, size, "dynamic string table").map(DynamicStrings::Whole)
}

fn string_at(strtab: &[u8], offset: u64) -> Result<RawText, InspectErrorKind> {
    let start = usize::try_from(offset).ok();
    let rest = start
        .and_then(|s| strtab.get(s..))
        .ok_or_else(|| malformed(format!("string offset {offset} is past the string table")))?;
    // Scan at most PATH_MAX bytes: a forged table cannot make each name megabytes long.
    let window = rest
        .get(..rest.len().min(MAX_NAME_BYTES + 1))
        .unwrap_or(rest);
    let end = window.iter().position(|&b| b == 0).ok_or_else(|| {
        if window.len() > MAX_NAME_BYTES {
            malformed(format!(
                "a name in the dynamic string table is over {MAX_NAME_BYTES} bytes"
            ))
        } else {
            malformed("unterminated string in the dynamic string table")
        }
    })?;
    Ok(RawText::new(rest.get(..end).unwrap_or_default()))
}

/// DT_RPATH and DT_RUNPATH are colon-separated lists; `$ORIGIN` is kept as written.
fn split_path_list(s: &RawText) -> Vec<RawText> {
    s.as_bytes()
        .split(|&b| b == b':')
        .filter(|p| !p.is_empty())
        .map(RawText::new)
        .collect()
}

/// The bytes of a version table found by its address: the matching section when the section
/// headers are there (exact size), otherwise the rest of its segment (capped).
fn version_table<'a, Elf: FileHeader<Endian = Endianness>>(
    input: &'a Input,
    endian: Endianness,
    loads: &[Load],
    sections: &[Elf::SectionHeader],
    addr: u64,
    sh_type: elf::SectionType,
    what: &str,
) -> Result<&'a [u8], InspectErrorKind> {
    let section = sections
        .iter()
        .find(|s| s.sh_type(endian) == sh_type && Into::<u64>::into(s.sh_addr(endian)) == addr);
    let (offset, size) = match section {
        Some(s) => (s.sh_offset(endian).into(), s.sh_size(endian).into()),
        None => {
            let (offset, avail) = addr_to_offset(loads, addr).ok_or_else(|| {
                malformed(format!("{what} address {addr:#x} is in no loaded segment"))
            })?;
            (offset, avail.min(MAX_VERSION_TABLE_BYTES))
        }
    };
    if size > MAX_VERSION_TABLE_BYTES {
        return Err(malformed(format!("{what} table is {size} bytes")));
    }
    read_at(input, offset, size, what)
}

fn u16_at(b: &[u8], at: usize, endian: Endianness) -> Option<u16> {
    use object::Endian;
    let a: [u8; 2] = b.get(at..at.checked_add(2)?)?.try_into().ok()?;
    Some(endian.read_u16(a))
}

pub(super) fn u32_at(b: &[u8], at: usize, endian: Endianness) -> Option<u32> {
    use object::Endian;
    let a: [u8; 4] = b.get(at..at.checked_add(4)?)?.try_into().ok()?;
    Some(endian.read_u32(a))
}

/// Follows `.gnu.version_r`: one `Elf_Verneed` per library, each with `vn_cnt` `Elf_Vernaux`
/// records. `vn_next`/`vna_next` are unsigned forward offsets, so the walk cannot loop; the
/// record caps bound forged counts.
fn read_verneed(
    table: &[u8],
    endian: Endianness,
    count: u64,
    s: &dyn Fn(u64) -> Result<RawText, InspectErrorKind>,
) -> Result<Vec<VersionNeed>, InspectErrorKind> {
    let bad = |what: &str| malformed(format!("version needs: {what}"));
    let mut out = Vec::new();
    let mut at = 0usize;
    let mut records = 0usize;
    for _ in 0..count.min(MAX_VERSION_RECORDS as u64) {
        let cnt = u16_at(table, at.saturating_add(2), endian)
            .ok_or_else(|| bad("entry past end of table"))?;
        let file = u32_at(table, at.saturating_add(4), endian)
            .ok_or_else(|| bad("entry past end of table"))?;
        let aux = u32_at(table, at.saturating_add(8), endian)
            .ok_or_else(|| bad("entry past end of table"))?;
        let next = u32_at(table, at.saturating_add(12), endian)
            .ok_or_else(|| bad("entry past end of table"))?;
        let mut versions = Vec::new();
        let mut aux_at = at
            .checked_add(aux as usize)
            .ok_or_else(|| bad("offset overflows"))?;
        for _ in 0..cnt {
            records += 1;
            if records > MAX_VERSION_RECORDS {
                return Err(bad("too many records"));
            }
            let name = u32_at(table, aux_at.saturating_add(8), endian)
                .ok_or_else(|| bad("record past end of table"))?;
            let aux_next = u32_at(table, aux_at.saturating_add(12), endian)
                .ok_or_else(|| bad("record past end of table"))?;
            versions.push(s(u64::from(name))?);
            if aux_next == 0 {
                break;
            }
            aux_at = aux_at
                .checked_add(aux_next as usize)
                .ok_or_else(|| bad("offset overflows"))?;
        }
        out.push(VersionNeed {
            library: s(u64::from(file))?,
            versions,
        });
        if next == 0 {
            break;
        }
        at = at
            .checked_add(next as usize)
            .ok_or_else(|| bad("offset overflows"))?;
    }
    Ok(out)
}

/// Follows `.gnu.version_d` and returns the defined version names, skipping the base entry
/// (`VER_FLG_BASE`, which names the file itself).
fn read_verdef(
    table: &[u8],
    endian: Endianness,
    count: u64,
    s: &dyn Fn(u64) -> Result<RawText, InspectErrorKind>,
) -> Result<Vec<RawText>, InspectErrorKind> {
    let bad = |what: &str| malformed(format!("version definitions: {what}"));
    let mut out = Vec::new();
    let mut at = 0usize;
    for _ in 0..count.min(MAX_VERSION_RECORDS as u64) {
        let flags = u16_at(table, at.saturating_add(2), endian)
            .ok_or_else(|| bad("entry past end of table"))?;
        let aux = u32_at(table, at.saturating_add(12), endian)
            .ok_or_else(|| bad("entry past end of table"))?;
        let next = u32_at(table, at.saturating_add(16), endian)
            .ok_or_else(|| bad("entry past end of table"))?;
        if flags & elf::VER_FLG_BASE.0 == 0 {
            let aux_at = at
                .checked_add(aux as usize)
                .ok_or_else(|| bad("offset overflows"))?;
            let name =
                u32_at(table, aux_at, endian).ok_or_else(|| bad("record past end of table"))?;
            out.push(s(u64::from(name))?);
        }
        if next == 0 {
            break;
        }
        at = at
            .checked_add(next as usize)
            .ok_or_else(|| bad("offset overflows"))?;
    }
    Ok(out)
}

/// Reads the GNU ABI tag and build-id from `PT_NOTE` segments.
/// The ABI tag, the GNU build-id, whether Go's build-id note (`Go\0\0`, type 4) is there,
/// and whether a `NODE_SEA_BLOB` note is.
type Notes = (Option<AbiTag>, Option<String>, bool, bool);

fn read_notes(
    input: &Input,
    endian: Endianness,
    note_phs: &[(u64, u64, u64)],
) -> Result<Notes, InspectErrorKind> {
    let mut abi_tag = None;
    let mut build_id = None;
    let mut go_note = false;
    let mut sea_note = false;
    for &(offset, size, align) in note_phs {
        let size = size.min(MAX_NOTE_BYTES);
        let bytes = read_at(input, offset, size, "note segment")?;
        // A Node.js single executable carries its script as a note named NODE_SEA_BLOB,
        // among notes postject copies without fixing them: look for the name itself.
        // One searcher for the run: building it costs more than searching a note segment.
        static SEA: std::sync::OnceLock<memchr::memmem::Finder<'static>> =
            std::sync::OnceLock::new();
        let sea = SEA.get_or_init(|| memchr::memmem::Finder::new(b"NODE_SEA_BLOB\0"));
        if sea.find(bytes).is_some() {
            sea_note = true;
        }
        let align = if align == 8 { 8 } else { 4 };
        let round = |n: usize| n.checked_add(align - 1).map(|v| v & !(align - 1));
        let mut at = 0usize;
        while at + 12 <= bytes.len() {
            let (Some(namesz), Some(descsz), Some(n_type)) = (
                u32_at(bytes, at, endian),
                u32_at(bytes, at + 4, endian),
                u32_at(bytes, at + 8, endian),
            ) else {
                break;
            };
            let name_at = at + 12;
            let Some(desc_at) = round(name_at.saturating_add(namesz as usize)) else {
                break;
            };
            let Some(next) = round(desc_at.saturating_add(descsz as usize)) else {
                break;
            };
            let name = bytes.get(name_at..name_at.saturating_add(namesz as usize));
            let desc = bytes.get(desc_at..desc_at.saturating_add(descsz as usize));
            if let (Some(name), Some(desc)) = (name, desc) {
                if name == b"GNU\0" && n_type == elf::NT_GNU_ABI_TAG.0 && desc.len() >= 16 {
                    let w = |i| u32_at(desc, i, endian).unwrap_or(0);
                    let os = match w(0) {
                        elf::ELF_NOTE_OS_LINUX => "Linux".to_string(),
                        elf::ELF_NOTE_OS_GNU => "GNU/Hurd".to_string(),
                        elf::ELF_NOTE_OS_SOLARIS2 => "Solaris".to_string(),
                        elf::ELF_NOTE_OS_FREEBSD => "FreeBSD".to_string(),
                        other => format!("OS {other}"),
                    };
                    abi_tag = Some(AbiTag {
                        os,
                        kernel: format!("{}.{}.{}", w(4), w(8), w(12)),
                    });
                } else if name == b"GNU\0" && n_type == elf::NT_GNU_BUILD_ID.0 {
                    build_id = Some(hex(desc));
                } else if name == b"Go\0\0" && n_type == 4 {
                    go_note = true;
                }
            }
            if next <= at {
                break;
            }
            at = next;
        }
    }
    Ok((abi_tag, build_id, go_note, sea_note))
}

/// Lower-case hex of `bytes` (a build-id), without a formatting call per byte.
fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

fn flag_names<T>(value: T, names: &object::FlagNames<T>, prefix: &str) -> Vec<String>
where
    T: object::Wrap + Copy,
    T::Inner: Into<u64>
        + Copy
        + PartialEq
        + std::ops::BitAnd<Output = T::Inner>
        + std::ops::Not<Output = T::Inner>,
{
    let mut out = Vec::new();
    let rest: u64 = names
        .bit_names(value, |_, name| {
            out.push(name.strip_prefix(prefix).unwrap_or(name).to_string())
        })
        .into();
    if rest != 0 {
        out.push(format!("{rest:#x}"));
    }
    out
}

/// The machine's name and its container platform (`None` when no OCI platform runs it).
fn machine_and_platform(
    e_machine: u16,
    class: ElfClass,
    order: ByteOrder,
    e_flags: u32,
    os_abi: u8,
) -> (String, Option<String>) {
    use ByteOrder::*;
    use ElfClass::*;
    let b64 = class == Elf64;
    let le = order == LittleEndian;
    let (name, platform): (&str, Option<&str>) = match e_machine {
        62 => ("x86-64", if b64 { Some("linux/amd64") } else { None }),
        3 => ("Intel 80386", Some("linux/386")),
        183 => ("AArch64", if b64 { Some("linux/arm64") } else { None }),
        // Hard-float ARM is Debian's armhf (ARMv7); soft-float is armel (ARMv5). Go's linker
        // sets neither flag: `arm_variant` decides from the interpreter then.
        40 if e_flags & 0x400 != 0 => ("ARM", Some("linux/arm/v7")),
        40 if e_flags & 0x200 != 0 => ("ARM", Some("linux/arm/v5")),
        40 => ("ARM", Some("linux/arm")),
        21 => (
            "PowerPC64",
            Some(if le { "linux/ppc64le" } else { "linux/ppc64" }),
        ),
        20 => ("PowerPC", None),
        22 => ("IBM S/390", if b64 { Some("linux/s390x") } else { None }),
        243 => ("RISC-V", if b64 { Some("linux/riscv64") } else { None }),
        8 => (
            "MIPS",
            Some(match (b64, le) {
                (true, true) => "linux/mips64le",
                (true, false) => "linux/mips64",
                (false, true) => "linux/mipsle",
                (false, false) => "linux/mips",
            }),
        ),
        258 => ("LoongArch", if b64 { Some("linux/loong64") } else { None }),
        _ => {
            let name = elf::Machine(e_machine)
                .name()
                .map(|n| n.strip_prefix("EM_").unwrap_or(n).to_string())
                .unwrap_or_else(|| format!("machine {e_machine:#x}"));
            return (name, None);
        }
    };
    // Only System V and GNU/Linux ABI files are Linux programs; FreeBSD etc. are not.
    let linux = os_abi == elf::ELFOSABI_SYSV.0 || os_abi == elf::ELFOSABI_LINUX.0;
    let platform = if linux { platform } else { None };
    (name.to_string(), platform.map(str::to_string))
}

/// An ARM file whose flags name no float ABI: glibc's interpreter names it (`ld-linux-armhf`
/// for hard-float armhf, `ld-linux.so.3` for soft-float armel); otherwise the variant is unknown.
fn arm_variant(interp: Option<&RawText>) -> String {
    let base = interp
        .and_then(|i| i.as_bytes().rsplit(|&b| b == b'/').next())
        .unwrap_or_default();
    match base {
        b"ld-linux-armhf.so.3" => "linux/arm/v7",
        b"ld-linux.so.3" => "linux/arm/v5",
        _ => "linux/arm",
    }
    .to_string()
}

/// The C library family, from the interpreter's file name, else the needed libc, else the
/// GNU ABI note (which glibc's crt files carry and musl's do not).
fn libc_family(
    interp: Option<&RawText>,
    needed: &[RawText],
    abi: &Option<AbiTag>,
) -> (LibcFamily, String) {
    if let Some(interp) = interp {
        let base = interp
            .as_bytes()
            .rsplit(|&b| b == b'/')
            .next()
            .unwrap_or_default();
        let fam = if base.starts_with(b"ld-musl-") {
            LibcFamily::Musl
        } else if base.starts_with(b"ld-linux")
            || base.starts_with(b"ld64.so")
            || base == b"ld.so.1"
        {
            LibcFamily::Glibc
        } else if base == b"linker" || base == b"linker64" {
            LibcFamily::Bionic
        } else if base.starts_with(b"ld-uClibc") {
            LibcFamily::Uclibc
        } else {
            LibcFamily::Other
        };
        return (fam, format!("interpreter {interp}"));
    }
    for n in needed {
        let b = n.as_bytes();
        if b == b"libc.so.6" {
            return (LibcFamily::Glibc, "needs libc.so.6".into());
        }
        if b.starts_with(b"libc.musl-") {
            return (LibcFamily::Musl, format!("needs {n}"));
        }
    }
    if let Some(tag) = abi {
        if tag.os == "Linux" {
            return (
                LibcFamily::Glibc,
                format!(
                    "GNU ABI note (Linux {}), as glibc's start files write",
                    tag.kernel
                ),
            );
        }
    }
    (
        LibcFamily::Unknown,
        "no interpreter, libc or ABI note".into(),
    )
}

/// Largest section-name string table read; real ones are a few hundred bytes.
const MAX_SECTION_NAMES_BYTES: u64 = 1 << 20;

/// The section headers as plain values with their names, for the needs readers. Empty when
/// the file has none or their name table is unreadable (names then cannot be trusted).
fn plain_sections<Elf: FileHeader<Endian = Endianness>>(
    input: &Input,
    endian: Endianness,
    header: &Elf,
    sections: &[Elf::SectionHeader],
) -> Vec<super::needs::Section> {
    let data: Data = &input.cache;
    let Ok(index) = header.shstrndx(endian, data) else {
        return Vec::new();
    };
    let Some(names_header) = sections.get(index as usize) else {
        return Vec::new();
    };
    let names_offset: u64 = names_header.sh_offset(endian).into();
    let names_size: u64 = names_header.sh_size(endian).into();
    if names_size > MAX_SECTION_NAMES_BYTES {
        return Vec::new();
    }
    let Ok(names) = read_at(input, names_offset, names_size, "section names") else {
        return Vec::new();
    };
    sections
        .iter()
        // A section whose range overflows or runs past the file is left out: the needs
        // readers may then add offsets and sizes without overflow checks of their own.
        .filter(|s| {
            let (o, z): (u64, u64) = (s.sh_offset(endian).into(), s.sh_size(endian).into());
            s.sh_type(endian) == elf::SHT_NOBITS || o.checked_add(z).is_some_and(|e| e <= input.len)
        })
        .map(|s| {
            let at = s.sh_name(endian) as usize;
            let name = names
                .get(at..)
                .map(|rest| {
                    let end = rest.iter().take(256).position(|&b| b == 0).unwrap_or(0);
                    rest.get(..end).unwrap_or_default().to_vec()
                })
                .unwrap_or_default();
            super::needs::Section {
                name,
                sh_type: s.sh_type(endian).0,
                addr: s.sh_addr(endian).into(),
                offset: s.sh_offset(endian).into(),
                size: s.sh_size(endian).into(),
                link: s.sh_link(endian),
                nobits: s.sh_type(endian) == elf::SHT_NOBITS,
            }
        })
        .collect()
}

/// Most dynamic symbols read to find imports (libLLVM, among the largest, has ~60,000).
const MAX_DYNSYM_COUNT: u64 = 1 << 20;

/// Where the dynamic symbol table is and how many entries it has: from its section when the
/// section headers are there, otherwise from `DT_SYMTAB` with the count from `DT_HASH`
/// (`nchain`) or the `DT_GNU_HASH` chains, the way a loader would bound it.
fn locate_dynsym(
    input: &Input,
    endian: Endianness,
    class: ElfClass,
    loads: &[Load],
    sections: &[super::needs::Section],
    dt: &DynamicTable,
) -> (Option<super::needs::SymbolTable>, Option<String>) {
    let entry_size: u64 = if class == ElfClass::Elf64 { 24 } else { 16 };
    let addr = match dt.symtab {
        Some(a) => a,
        None => return (None, None),
    };
    let table = |offset: u64, count: u64| {
        if count > MAX_DYNSYM_COUNT {
            return (
                None,
                Some(format!(
                    "dynamic symbol table of {count} entries not read (limit {MAX_DYNSYM_COUNT})"
                )),
            );
        }
        (
            Some(super::needs::SymbolTable {
                offset,
                count,
                entry_size,
            }),
            None,
        )
    };
    if let Some(s) = sections
        .iter()
        .find(|s| s.sh_type == elf::SHT_DYNSYM.0 && s.addr == addr)
    {
        return table(s.offset, s.size / entry_size);
    }
    let Some((offset, avail)) = addr_to_offset(loads, addr) else {
        return (
            None,
            Some("DT_SYMTAB points outside the loaded segments".into()),
        );
    };
    let at = |addr: u64, len: u64| {
        let (off, avail) = addr_to_offset(loads, addr)?;
        if len > avail {
            return None;
        }
        read_at(input, off, len, "symbol hash table").ok()
    };
    let count = if let Some(h) = dt.hash {
        at(h, 8).and_then(|b| u32_at(b, 4, endian)).map(u64::from)
    } else if let Some(h) = dt.gnu_hash {
        gnu_hash_count(endian, class, h, &at)
    } else {
        None
    };
    match count {
        Some(n) if n.saturating_mul(entry_size) <= avail => table(offset, n),
        _ => (
            None,
            Some("size of the dynamic symbol table unknown: imports not read".into()),
        ),
    }
}

/// The number of dynamic symbols implied by a `DT_GNU_HASH` table: one past the last symbol
/// of the longest chain (a chain ends at an entry with its low bit set).
fn gnu_hash_count<'a>(
    endian: Endianness,
    class: ElfClass,
    addr: u64,
    at: &dyn Fn(u64, u64) -> Option<&'a [u8]>,
) -> Option<u64> {
    let head = at(addr, 16)?;
    let nbuckets = u64::from(u32_at(head, 0, endian)?);
    let symoffset = u64::from(u32_at(head, 4, endian)?);
    let bloom_size = u64::from(u32_at(head, 8, endian)?);
    let word = if class == ElfClass::Elf64 { 8 } else { 4 };
    if nbuckets > MAX_DYNSYM_COUNT || bloom_size > MAX_DYNSYM_COUNT {
        return None;
    }
    let buckets_addr = addr.checked_add(16)?.checked_add(bloom_size * word)?;
    let buckets = at(buckets_addr, nbuckets * 4)?;
    let last = (0..nbuckets as usize)
        .filter_map(|i| u32_at(buckets, i * 4, endian))
        .max()
        .map(u64::from)?;
    if last < symoffset {
        return Some(symoffset);
    }
    // The chain of the last bucket, read once (bounded) and walked as a slice: one read per
    // entry would cost a system call and a cached range each on a forged chain.
    let first = chains_addr_entry(buckets_addr, nbuckets, last, symoffset)?;
    // As much of the chain as its segment holds, up to the symbol cap (`at` refuses a length
    // past the segment without reading, so only the read that fits happens).
    let mut len = MAX_DYNSYM_COUNT * 4;
    let chain = loop {
        if let Some(c) = at(first, len) {
            break c;
        }
        if len <= 4 {
            return None;
        }
        len /= 2;
    };
    for (index, entry) in (last..).zip(chain.chunks_exact(4)) {
        if u32_at(entry, 0, endian)? & 1 == 1 {
            return Some(index + 1);
        }
    }
    None
}

/// The address of chain entry `last` in a GNU hash table.
fn chains_addr_entry(buckets_addr: u64, nbuckets: u64, last: u64, symoffset: u64) -> Option<u64> {
    buckets_addr
        .checked_add(nbuckets * 4)?
        .checked_add((last - symoffset) * 4)
}
