#!/usr/bin/env python3
"""Download helper for testdata/fetch.sh (standard library only).

Each command prints the path of a verified file in the cache and nothing else on stdout.
A file in the cache is reused without touching the network when it still matches the hash
the registry gave when it was downloaded (kept beside it as FILE.sha256 or FILE.sha512; its
URL is kept as FILE.url).

  registry.py pypi CACHE NAME FILENAME
      FILENAME (an exact wheel or sdist name, so the version is pinned) from PyPI's simple
      index (JSON form), checked against the sha256 the index lists for it.
  registry.py npm CACHE NAME VERSION
      the tarball of NAME@VERSION from registry.npmjs.org (dist.tarball), checked against
      dist.integrity (sha512).
  registry.py debian CACHE SUITE PACKAGE
      PACKAGE's current .deb (amd64 or all) in SUITE's main on deb.debian.org: InRelease
      checked with gpgv against Debian's archive keyring, Packages.xz against InRelease's
      sha256, the .deb against Packages' sha256. The choice is remembered in
      CACHE/SUITE_PACKAGE.current so later runs stay offline; its second field is the version.
  registry.py unzip ARCHIVE DEST [MEMBER...]
      extracts a zip (wheel, jar) keeping the Unix modes it records; every member if none
      is named, else the named members (a name ending in / takes that whole folder).
  registry.py untar ARCHIVE DEST [MEMBER...]
      the same for a .tgz (npm packages); members are refused outside DEST.
  registry.py jarinfo JAR
      prints Main-Class and the class-file major versions found (one line).
  registry.py elfinfo ELF
      for a 64-bit little-endian ELF, one line: `appended=N` (bytes after the end of the
      last section, segment and header table) and `notes=OWNER:TYPE,...` (the notes of the
      PT_NOTE segments, read from the segments: postject leaves the section table's notes
      garbled).
  registry.py netbundle FILE
      a .NET single-file bundle's header (found through the bundle signature the host
      carries), one line: `bundle=MAJOR.MINOR files=N tfm=... frameworks=NAME/VERSION,...`
      (from the embedded runtimeconfig.json), or `bundle=-` if FILE is no bundle.
"""
import base64
import hashlib
import json
import lzma
import mmap
import os
import re
import shutil
import struct
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
import zipfile

UA = {"User-Agent": "whichbase-testdata-fetch (python urllib)"}


def log(msg):
    print(f"registry.py: {msg}", file=sys.stderr)


def die(msg):
    log(f"ERROR: {msg}")
    sys.exit(1)


def get(url, accept=None, tries=3):
    headers = dict(UA)
    if accept:
        headers["Accept"] = accept
    last = None
    for _ in range(tries):
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=120) as r:
                return r.read()
        except Exception as e:  # network hiccups: retry a couple of times
            last = e
    die(f"cannot fetch {url}: {last}")


def digest(path, algo):
    h = hashlib.new(algo)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h


def cached(path, algo):
    """True if PATH exists and matches the hash recorded beside it."""
    side = f"{path}.{algo}"
    if not (os.path.isfile(path) and os.path.isfile(side)):
        return False
    want = open(side).read().strip()
    have = digest(path, algo).hexdigest()
    if have != want:
        log(f"cached {path} does not match its recorded {algo}; downloading again")
        return False
    return True


def store(path, data, algo, want_hex, url):
    have = hashlib.new(algo, data).hexdigest()
    if have != want_hex:
        die(f"{url}: {algo} is {have}, the registry says {want_hex}")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = f"{path}.part"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)
    with open(f"{path}.{algo}", "w") as f:
        f.write(want_hex + "\n")
    with open(f"{path}.url", "w") as f:
        f.write(url + "\n")
    log(f"downloaded {url} ({len(data)} bytes, {algo} ok)")


def pypi(cache, name, filename):
    path = os.path.join(cache, "pypi", filename)
    if cached(path, "sha256"):
        return path
    idx = json.loads(get(f"https://pypi.org/simple/{name}/", "application/vnd.pypi.simple.v1+json"))
    for f in idx["files"]:
        if f["filename"] == filename:
            want = f.get("hashes", {}).get("sha256")
            if not want:
                die(f"PyPI lists no sha256 for {filename}")
            store(path, get(f["url"]), "sha256", want, f["url"])
            return path
    die(f"PyPI has no file {filename} for {name}")


def npm(cache, name, version):
    fname = name.replace("@", "").replace("/", "-") + f"-{version}.tgz"
    path = os.path.join(cache, "npm", fname)
    if cached(path, "sha512"):
        return path
    doc = json.loads(get(f"https://registry.npmjs.org/{name.replace('/', '%2f')}/{version}"))
    dist = doc["dist"]
    integ = dist.get("integrity", "")
    if not integ.startswith("sha512-"):
        die(f"npm gives no sha512 integrity for {name}@{version}")
    want = base64.b64decode(integ[len("sha512-"):]).hex()
    store(path, get(dist["tarball"]), "sha512", want, dist["tarball"])
    return path


def stanzas(text):
    for block in text.split("\n\n"):
        fields, key = {}, None
        for line in block.splitlines():
            if line[:1] in (" ", "\t") and key:
                fields[key] += "\n" + line.strip()
            elif ":" in line:
                key, _, val = line.partition(":")
                fields[key] = val.strip()
        if fields:
            yield fields


def debian(cache, suite, package):
    d = os.path.join(cache, "debian")
    marker = os.path.join(d, f"{suite}_{package}.current")
    if os.path.isfile(marker):
        fname = open(marker).read().split()[0]
        if cached(os.path.join(d, fname), "sha256"):
            return os.path.join(d, fname)
    base = "https://deb.debian.org/debian"
    inrel = get(f"{base}/dists/{suite}/InRelease")
    keyring = "/usr/share/keyrings/debian-archive-keyring.gpg"
    if not shutil.which("gpgv") or not os.path.isfile(keyring):
        die("gpgv and debian-archive-keyring are needed to check Debian's InRelease")
    with tempfile.NamedTemporaryFile(suffix=".InRelease") as t:
        t.write(inrel)
        t.flush()
        r = subprocess.run(["gpgv", "--keyring", keyring, t.name], capture_output=True)
        if r.returncode != 0:
            die(f"gpgv rejects {suite}'s InRelease: {r.stderr.decode(errors='replace')}")
    want = None
    insha = False
    for line in inrel.decode().splitlines():
        if line.startswith("SHA256:"):
            insha = True
        elif insha and line.startswith(" "):
            h, _, p = line.split()
            if p == "main/binary-amd64/Packages.xz":
                want = h
        else:
            insha = False
    if not want:
        die(f"{suite}'s InRelease lists no main/binary-amd64/Packages.xz")
    pxz = get(f"{base}/dists/{suite}/main/binary-amd64/Packages.xz")
    if hashlib.sha256(pxz).hexdigest() != want:
        die(f"{suite} Packages.xz does not match InRelease")
    for s in stanzas(lzma.decompress(pxz).decode()):
        if s.get("Package") == package and s.get("Architecture") in ("amd64", "all"):
            fname = os.path.basename(s["Filename"])
            url = f"{base}/{s['Filename']}"
            path = os.path.join(d, fname)
            if not cached(path, "sha256"):
                store(path, get(url), "sha256", s["SHA256"], url)
            with open(marker, "w") as f:
                f.write(f"{fname} {s['Version']} {url}\n")
            return path
    die(f"{suite} main has no {package} for amd64")


def safe_dest(dest, name):
    p = os.path.realpath(os.path.join(dest, name))
    if not (p == os.path.realpath(dest) or p.startswith(os.path.realpath(dest) + os.sep)):
        die(f"archive member {name} points outside {dest}")
    return p


def wanted(name, members):
    return not members or any(name == m or (m.endswith("/") and name.startswith(m)) for m in members)


def unzip(archive, dest, members):
    with zipfile.ZipFile(archive) as z:
        n = 0
        for i in z.infolist():
            if i.is_dir() or not wanted(i.filename, members):
                continue
            out = safe_dest(dest, i.filename)
            os.makedirs(os.path.dirname(out), exist_ok=True)
            with z.open(i) as src, open(out, "wb") as f:
                shutil.copyfileobj(src, f)
            mode = (i.external_attr >> 16) & 0o777
            os.chmod(out, mode if mode else 0o644)
            n += 1
        if members and n == 0:
            die(f"{archive} has none of {members}")


def untar(archive, dest, members):
    with tarfile.open(archive) as t:
        n = 0
        for m in t.getmembers():
            if not m.isfile() or not wanted(m.name, members):
                continue
            out = safe_dest(dest, m.name)
            os.makedirs(os.path.dirname(out), exist_ok=True)
            with t.extractfile(m) as src, open(out, "wb") as f:
                shutil.copyfileobj(src, f)
            os.chmod(out, m.mode & 0o777)
            n += 1
        if members and n == 0:
            die(f"{archive} has none of {members}")


def jarinfo(jar):
    with zipfile.ZipFile(jar) as z:
        main = ""
        try:
            mf = z.read("META-INF/MANIFEST.MF").decode("utf-8", "replace")
            m = re.search(r"^Main-Class:\s*(\S+)", mf, re.M)
            main = m.group(1) if m else ""
        except KeyError:
            pass
        majors = set()
        for n in z.namelist():
            if n.endswith(".class"):
                head = z.read(n)[:8]
                if head[:4] == b"\xca\xfe\xba\xbe":
                    majors.add(int.from_bytes(head[6:8], "big"))
        print(f"main={main or '-'} majors={','.join(map(str, sorted(majors))) or '-'}")


def elfinfo(path):
    with open(path, "rb") as f:
        d = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    if d[:4] != b"\x7fELF" or d[4] != 2 or d[5] != 1:
        die(f"{path} is not a 64-bit little-endian ELF")
    phoff, shoff = struct.unpack_from("<QQ", d, 0x20)
    phentsize, phnum, shentsize, shnum = struct.unpack_from("<HHHH", d, 0x36)
    end = max(0x40, phoff + phentsize * phnum, shoff + shentsize * shnum)
    for i in range(shnum):
        sh_type, = struct.unpack_from("<I", d, shoff + i * shentsize + 4)
        off, size = struct.unpack_from("<QQ", d, shoff + i * shentsize + 0x18)
        if sh_type != 8:  # SHT_NOBITS takes no room in the file
            end = max(end, off + size)
    notes = []
    for i in range(phnum):
        p_type, _, off, _, _, filesz = struct.unpack_from("<IIQQQQ", d, phoff + i * phentsize)
        end = max(end, off + filesz)
        if p_type != 4:  # PT_NOTE
            continue
        q = off
        while q + 12 <= off + filesz:
            namesz, descsz, ntype = struct.unpack_from("<III", d, q)
            name = "".join(chr(c) if 32 <= c < 127 else f"\\x{c:02x}"
                           for c in d[q + 12:q + 12 + namesz].rstrip(b"\0"))
            notes.append(f"{name}:{ntype:#x}")
            q += 12 + (namesz + 3) // 4 * 4 + (descsz + 3) // 4 * 4
    print(f"appended={len(d) - end} notes={','.join(notes) or '-'}")


# .NET's single-file bundle signature: SHA-256 of ".net core bundle"; the host keeps it
# right after the 8-byte offset of the bundle header (0 in a plain apphost).
NET_BUNDLE_SIG = bytes.fromhex("8b1202b96a612038727b930214d7a03213f5b9e6efae3318ee3b2dce24b36aae")


def netbundle(path):
    with open(path, "rb") as f:
        d = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    i = d.find(NET_BUNDLE_SIG)
    hdr = struct.unpack_from("<q", d, i - 8)[0] if i >= 8 else 0
    if hdr <= 0 or hdr >= len(d):
        print("bundle=-")
        return
    major, minor, nfiles = struct.unpack_from("<IIi", d, hdr)
    p, n, shift = hdr + 12, 0, 0
    while True:  # bundle id: 7-bit-encoded length, then the string
        b = d[p]
        p += 1
        n |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            break
    p += n
    tfm, fws = "-", "-"
    if major >= 2:
        _, _, rc_off, rc_size = struct.unpack_from("<qqqq", d, p)
        if rc_size > 0:
            rc = json.loads(d[rc_off:rc_off + rc_size]).get("runtimeOptions", {})
            tfm = rc.get("tfm", "-")
            fw = rc.get("includedFrameworks") or rc.get("frameworks") or [rc.get("framework")]
            fws = ",".join(f"{x['name']}/{x['version']}" for x in fw if x) or "-"
    print(f"bundle={major}.{minor} files={nfiles} tfm={tfm} frameworks={fws}")


def main(argv):
    if len(argv) < 2:
        die(__doc__)
    cmd, args = argv[1], argv[2:]
    if cmd == "pypi" and len(args) == 3:
        print(pypi(*args))
    elif cmd == "npm" and len(args) == 3:
        print(npm(*args))
    elif cmd == "debian" and len(args) == 3:
        print(debian(*args))
    elif cmd == "unzip" and len(args) >= 2:
        unzip(args[0], args[1], args[2:])
    elif cmd == "untar" and len(args) >= 2:
        untar(args[0], args[1], args[2:])
    elif cmd == "jarinfo" and len(args) == 1:
        jarinfo(args[0])
    elif cmd == "elfinfo" and len(args) == 1:
        elfinfo(args[0])
    elif cmd == "netbundle" and len(args) == 1:
        netbundle(args[0])
    else:
        die(f"bad command line: {argv[1:]}")


if __name__ == "__main__":
    main(sys.argv)
