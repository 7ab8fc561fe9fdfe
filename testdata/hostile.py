#!/usr/bin/env python3
"""Generates the hostile-input corpus from good files, for tests/cli/hostile.rs.

    testdata/hostile.py OUT_DIR GOOD_ELF

Writes one file (or FIFO, symlink, device node) per case into OUT_DIR and a manifest,
OUT_DIR/cases.tsv: `name <TAB> mode <TAB> expect <TAB> what`, where mode is `file` (run as
`whichbase PATH`) or `image` (run as `whichbase image PATH`), and expect is `error` (exit 2 and
one stderr line naming the path) or `same` (a forged field that neither glibc's loader nor
whichbase reads: the verdict must be the good file's). All in bounded time and memory.

Cases: ELF truncations at every header boundary and inside every segment; forged counts and
offsets (program and section header counts, offsets past the end, dynamic-table string
offsets, DT_STRSZ); version-need and version-definition chains that point at themselves;
zip bombs (a deflate bomb and overlapping members); image archives whose layers name `../` or
absolute paths, whose manifest names a blob outside the archive, and nested indexes that loop;
a symlink loop; 4 GB sparse files (all zeros, and an ELF header whose tables sit at the end);
a FIFO; character devices.
"""
import io
import json
import os
import struct
import sys
import tarfile
import zipfile
import zlib

out, good_path = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
good = open(good_path, "rb").read()
cases = []


def case(name, data, what, mode="file", expect="error"):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
    cases.append((name, mode, what, expect))


def u16(b, at):
    return struct.unpack_from("<H", b, at)[0]


def u32(b, at):
    return struct.unpack_from("<I", b, at)[0]


def u64(b, at):
    return struct.unpack_from("<Q", b, at)[0]


def put(b, at, fmt, v):
    b = bytearray(b)
    struct.pack_into(fmt, b, at, v)
    return bytes(b)


assert good[:4] == b"\x7fELF" and good[4] == 2 and good[5] == 1, "a little-endian ELF64 program"
phoff, shoff = u64(good, 32), u64(good, 40)
phentsize, phnum = u16(good, 54), u16(good, 56)
shentsize, shnum, shstrndx = u16(good, 58), u16(good, 60), u16(good, 62)

# --- truncations at every header boundary, and inside every segment
cuts = {1, 4, 5, 16, 52, 63, phoff, phoff + phentsize * phnum - 1}
segments = []
for i in range(phnum):
    at = phoff + i * phentsize
    p_type, off, size = u32(good, at), u64(good, at + 8), u64(good, at + 32)
    segments.append((p_type, off, size, at))
    if size and off + size <= len(good):
        cuts.update({off + size // 2, off + size - 1})
cuts.add(len(good) - 1)
for c in sorted(x for x in cuts if 0 < x < len(good)):
    case("cut-%d" % c, good[:c], "truncated at byte %d" % c)

# --- forged counts and offsets
case("phnum-ffff", put(good, 56, "<H", 0xFFFF), "e_phnum 65535")
case("phentsize-1", put(good, 54, "<H", 1), "e_phentsize 1")
case("phoff-max", put(good, 32, "<Q", 2**64 - 1), "e_phoff at the top of the address space")
case("phoff-past-end", put(good, 32, "<Q", len(good) + 4096), "e_phoff past the end")
for p_type, name in ((2, "dynamic"), (3, "interp")):
    forged = good
    for t, off, size, at in segments:
        if t == p_type:
            forged = put(forged, at + 8, "<Q", 1 << 40)
    case("%s-past-end" % name, forged, "PT_%s offset past the end" % name.upper())
    forged = good
    for t, off, size, at in segments:
        if t == p_type:
            forged = put(forged, at + 32, "<Q", 2**62)
    case("%s-huge-size" % name, forged, "PT_%s claims 4 EiB" % name.upper())

# The dynamic table: string offsets, DT_STRSZ, DT_VERNEED pointing outside.
dyn = [s for s in segments if s[0] == 2][0]
d_off, d_size = dyn[1], dyn[2]


def forge_dynamic(tag, value):
    b = good
    for k in range(d_size // 16):
        at = d_off + k * 16
        if u64(b, at) == tag:
            b = put(b, at + 8, "<Q", value)
    return b


case("dt-needed-past-strtab", forge_dynamic(1, 2**40), "DT_NEEDED offset past DT_STRTAB")
case("dt-strsz-huge", forge_dynamic(10, 2**62), "DT_STRSZ 4 EiB")
case("dt-strtab-past-end", forge_dynamic(5, 2**60), "DT_STRTAB address mapped nowhere")
case("dt-verneed-past-end", forge_dynamic(0x6FFFFFFE, 2**60), "DT_VERNEED mapped nowhere")
# glibc's loader follows vn_next until 0 whatever DT_VERNEEDNUM says: so does whichbase.
case("dt-verneednum-huge", forge_dynamic(0x6FFFFFFF, 2**31), "DT_VERNEEDNUM 2^31", expect="same")


# Version needs and definitions: chains that point at themselves, counts past the table.
def section_by_type(sh_type):
    for i in range(shnum):
        at = shoff + i * shentsize
        if u32(good, at + 4) == sh_type:
            return u64(good, at + 24), u64(good, at + 32)
    return None


vr = section_by_type(0x6FFFFFFE)  # SHT_GNU_verneed
if vr:
    off, _ = vr
    # vn_next and vna_next are forward offsets: 0 ends the chain, so a chain cannot point
    # back at itself; a count larger than the chain must not make the walk go on.
    case("verneed-count-past-chain", put(put(good, off + 12, "<I", 0), off + 2, "<H", 0xFFFF),
         "vn_next 0 with vn_cnt 65535", expect="same")
    aux = off + u32(good, off + 8)
    case("vernaux-ends-early", put(good, aux + 12, "<I", 0), "vna_next 0 before vn_cnt records",
         expect="same")
    # The last entry's vn_next is never followed (DT_VERNEEDNUM entries are read).
    case("verneed-next-past-end", put(good, off + 12, "<I", 2**31), "vn_next past the end of the last entry",
         expect="same")
    case("vernaux-name-past-strtab", put(good, aux + 8, "<I", 2**31), "vna_name past DT_STRTAB")
vd = section_by_type(0x6FFFFFFD)  # SHT_GNU_verdef
if vd:
    off, _ = vd
    case("verdef-name-past-strtab", put(good, off + u32(good, off + 12), "<I", 2**31), "vda_name past DT_STRTAB")

case("shnum-ffff", put(good, 60, "<H", 0xFFFF), "e_shnum 65535")
case("shoff-past-end", put(good, 40, "<Q", len(good) + 4096), "e_shoff past the end")
# Section names are not needed for a C program's verdict (segments are): the same answer.
case("shstrndx-past-end", put(good, 62, "<H", 0xFFFE), "e_shstrndx past the section table", expect="same")


# --- zip bombs
def deflate_bomb(size):
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = b"\0" * (1 << 20)
    parts = [c.compress(chunk) for _ in range(size >> 20)]
    parts.append(c.flush())
    return b"".join(parts)


def zip_with(members):
    """members: (name, raw deflate data, uncompressed size, crc); written by hand so that the
    sizes can lie."""
    body, central = io.BytesIO(), io.BytesIO()
    for name, data, usize, crc in members:
        off = body.tell()
        n = name.encode()
        body.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), usize, len(n), 0) + n + data)
        central.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(data), usize,
                                  len(n), 0, 0, 0, 0, 0, off) + n)
    cd = central.getvalue()
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(cd), body.tell(), 0)
    return body.getvalue() + cd + end


bomb = deflate_bomb(1 << 30)  # 1 GiB of zeros in about 1 MB
case("jar-manifest-bomb.jar",
     zip_with([("META-INF/MANIFEST.MF", bomb, 1 << 30, 0), ("A.class", b"\x03\x00", 0, 0)]),
     "a JAR whose MANIFEST.MF inflates to 1 GiB")
case("jar-lying-size.jar",
     zip_with([("META-INF/MANIFEST.MF", bomb, 100, 0)]),
     "a member that says 100 bytes and inflates to 1 GiB")
overlap = zip_with([("META-INF/MANIFEST.MF", bomb, 1 << 30, 0)])
# Overlapping members: 1000 central entries pointing at the same local bomb.
cd_off = overlap.index(b"PK\x01\x02")
entry = overlap[cd_off:overlap.index(b"PK\x05\x06")]
cd = b"".join(entry.replace(b"META-INF/MANIFEST.MF", ("META-INF/%016d" % i).encode()[:20])
              for i in range(1000))
end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1000, 1000, len(cd), cd_off, 0)
case("zip-overlapping.jar", overlap[:cd_off] + cd + end, "1000 members sharing one 1 GiB bomb")
case("zip-cd-past-end.jar", put(overlap, len(overlap) - 6, "<I", 2**31),
     "central directory offset past the end")


# --- image archives
def tar_bytes(entries):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as t:
        for name, data, kind in entries:
            ti = tarfile.TarInfo(name)
            if kind == "file":
                ti.size = len(data)
                t.addfile(ti, io.BytesIO(data))
            elif kind == "symlink":
                ti.type = tarfile.SYMTYPE
                ti.linkname = data.decode()
                t.addfile(ti)
    return buf.getvalue()


def docker_archive(layers, manifest=None):
    entries = [("manifest.json", json.dumps(manifest or [
        {"Config": "config.json", "RepoTags": ["hostile:1"], "Layers": ["l%d.tar" % i for i in range(len(layers))]}
    ]).encode(), "file"), ("config.json", b'{"architecture":"amd64","os":"linux","config":{}}', "file")]
    entries += [("l%d.tar" % i, layer, "file") for i, layer in enumerate(layers)]
    return tar_bytes(entries)


case("layer-dotdot.tar", docker_archive([tar_bytes([("../../etc/cron.d/evil", b"* * * * * root x\n", "file")])]),
     "a layer entry named ../../etc/cron.d/evil", "image")
case("layer-absolute.tar", docker_archive([tar_bytes([("/etc/passwd", b"root::0:0::/:/bin/sh\n", "file")])]),
     "a layer entry with an absolute path", "image")
case("layer-inner-dotdot.tar", docker_archive([tar_bytes([("usr/../../x", b"x", "file")])]),
     "a layer entry that climbs out half-way", "image")
case("manifest-blob-outside.tar", docker_archive([], [{"Config": "../../etc/passwd", "Layers": []}]),
     "a manifest naming a config outside the archive", "image")
case("manifest-not-json.tar", tar_bytes([("manifest.json", b"[{", "file")]), "manifest.json cut short", "image")
case("layer-not-tar.tar", docker_archive([b"\x00" * 10 + b"not a tar"]), "a layer that is not a tar", "image")
# An OCI archive whose index points at itself.
idx = {"schemaVersion": 2, "manifests": []}
self_digest = "sha256:" + "a" * 64
idx_loop = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                       "manifests": [{"mediaType": "application/vnd.oci.image.index.v1+json",
                                      "digest": self_digest, "size": 1}]}).encode()
case("oci-index-loop.tar", tar_bytes([("oci-layout", b'{"imageLayoutVersion":"1.0.0"}', "file"),
                                      ("index.json", idx_loop, "file"),
                                      ("blobs/sha256/" + "a" * 64, idx_loop, "file")]),
     "an OCI index that names itself", "image")
case("oci-digest-traversal.tar", tar_bytes([("oci-layout", b'{"imageLayoutVersion":"1.0.0"}', "file"),
                                            ("index.json", json.dumps({"schemaVersion": 2, "manifests": [
                                                {"digest": "sha256:../../../etc/passwd", "size": 1}]}).encode(), "file")]),
     "a digest that is a path", "image")

# --- sparse 4 GB files
with open(os.path.join(out, "sparse-zeros"), "wb") as f:
    f.truncate(4 << 30)
cases.append(("sparse-zeros", "file", "4 GiB of holes", "error"))
with open(os.path.join(out, "sparse-elf"), "wb") as f:
    hdr = bytearray(good[:64])
    struct.pack_into("<Q", hdr, 40, (4 << 30) - 4096)  # section headers at the end: zeros
    struct.pack_into("<Q", hdr, 32, (4 << 30) - 8192)  # program headers in a hole
    f.write(hdr)
    f.truncate(4 << 30)
cases.append(("sparse-elf", "file", "an ELF header whose tables lie in a 4 GiB hole", "error"))

# --- things that are not regular files
fifo = os.path.join(out, "fifo")
if os.path.lexists(fifo):
    os.unlink(fifo)
os.mkfifo(fifo)
cases.append(("fifo", "file", "a FIFO with no writer", "error"))
for name, target in (("loop-a", "loop-b"), ("loop-b", "loop-a")):
    p = os.path.join(out, name)
    if os.path.lexists(p):
        os.unlink(p)
    os.symlink(target, p)
cases.append(("loop-a", "file", "a symlink loop", "error"))
for name, dev in (("dev-zero", os.makedev(1, 5)), ("dev-null", os.makedev(1, 3))):
    p = os.path.join(out, name)
    if os.path.lexists(p):
        os.unlink(p)
    os.mknod(p, 0o666 | 0o020000, dev)
    cases.append((name, "file", "a character device", "error"))

with open(os.path.join(out, "cases.tsv"), "w") as f:
    for name, mode, what, expect in cases:
        f.write("%s\t%s\t%s\t%s\n" % (name, mode, expect, what))
print("hostile.py: %d cases in %s" % (len(cases), out))
