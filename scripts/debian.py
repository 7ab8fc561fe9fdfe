#!/usr/bin/env python3
"""Debian-package plumbing for whichbase.

Reads scripts/images.json (the distroless image DEFINITIONS), fetches the
Debian archive indexes over HTTP, picks the package versions each image is
built from, downloads and extracts the .deb files, and can assemble the root
filesystem of an image for testing.

Subcommands (see scripts/README.md):
  stage     resolve + download + extract every package named by images.json,
            compute the debian:N-slim approximation, a soname->package map
            and an interpreter-command->package map, write staging.json
  rootfs    build the root filesystem of one image into a directory
  selftest  check the Debian version comparison and dependency parser

Python 3 standard library only, plus `dpkg-deb` (and `gpgv` with
debian-archive-keyring for InRelease signatures, when present).
"""

import argparse
import concurrent.futures
import datetime
import fcntl
import gzip
import hashlib
import json
import lzma
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

SCRIPT_DIR = os.path.dirname(os.path.abspath(__file__))
DEFAULT_IMAGES_JSON = os.path.join(SCRIPT_DIR, "images.json")
INDEX_MAX_AGE = 12 * 3600          # seconds an InRelease is re-used
KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg"
HTTP_TIMEOUT = 60
HTTP_TRIES = 3
USER_AGENT = "whichbase-debian.py/1"
# Top-level directories that a merged-/usr system aliases into /usr
# (Debian's layout: /sbin -> usr/sbin stays separate from usr/bin).
USR_ALIASES = ("bin", "sbin", "lib", "lib32", "lib64", "libx32", "libo32")
ALWAYS_ALIASED = ("bin", "sbin", "lib")
PARSED_FIELDS = (
    "Package", "Version", "Architecture", "Filename", "SHA256", "Size",
    "Installed-Size", "Depends", "Pre-Depends", "Provides", "Priority",
    "Essential",
)
PARSE_CACHE_VERSION = 2
_UMASK = os.umask(0)
os.umask(_UMASK)

T0 = time.monotonic()
_log_lock = threading.Lock()


class Error(Exception):
    """A failure with a message meant for the user."""


class MismatchError(Error):
    """Downloaded content differs from what the index promised."""


def log(msg):
    with _log_lock:
        sys.stderr.write("[%6.1fs] %s\n" % (time.monotonic() - T0, msg))
        sys.stderr.flush()


# ---------------------------------------------------------------------------
# Debian version comparison (dpkg's algorithm, lib/dpkg/version.c)
# ---------------------------------------------------------------------------

_VERSION_RE = re.compile(
    r"^(?:(?P<epoch>[0-9]+):)?(?P<upstream>[0-9][A-Za-z0-9.+~:-]*?)"
    r"(?:-(?P<revision>[A-Za-z0-9.+~]+))?$")
_DIGITS = frozenset("0123456789")
_ALPHA = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def parse_version(v):
    """Split a Debian version into (epoch, upstream, revision)."""
    m = _VERSION_RE.match(v)
    if not m:
        raise Error("invalid Debian version %r" % v)
    upstream = m.group("upstream")
    if ":" in upstream and m.group("epoch") is None:
        raise Error("invalid Debian version %r (colon without epoch)" % v)
    return int(m.group("epoch") or 0), upstream, m.group("revision") or ""


def _order(c):
    if c in _DIGITS:
        return 0
    if c in _ALPHA:
        return ord(c)
    if c == "~":
        return -1
    return ord(c) + 256


def _verrevcmp(a, b):
    i = j = 0
    la, lb = len(a), len(b)
    while i < la or j < lb:
        first_diff = 0
        while (i < la and a[i] not in _DIGITS) or (j < lb and b[j] not in _DIGITS):
            ac = _order(a[i]) if i < la else 0
            bc = _order(b[j]) if j < lb else 0
            if ac != bc:
                return ac - bc
            i += 1
            j += 1
        while i < la and a[i] == "0":
            i += 1
        while j < lb and b[j] == "0":
            j += 1
        while i < la and a[i] in _DIGITS and j < lb and b[j] in _DIGITS:
            if not first_diff:
                first_diff = ord(a[i]) - ord(b[j])
            i += 1
            j += 1
        if i < la and a[i] in _DIGITS:
            return 1
        if j < lb and b[j] in _DIGITS:
            return -1
        if first_diff:
            return first_diff
    return 0


def version_compare(a, b):
    """<0, 0, >0 like `dpkg --compare-versions a lt/eq/gt b`."""
    if a == b:
        return 0
    ea, ua, ra = parse_version(a)
    eb, ub, rb = parse_version(b)
    if ea != eb:
        return -1 if ea < eb else 1
    r = _verrevcmp(ua, ub)
    if r:
        return r
    return _verrevcmp(ra, rb)


def safe_version(v):
    """A version usable in a file name (':' and anything odd become '_')."""
    return re.sub(r"[^A-Za-z0-9.+~-]", "_", v)


# ---------------------------------------------------------------------------
# Dependency fields
# ---------------------------------------------------------------------------

_DEP_ALT_RE = re.compile(
    r"^\s*(?P<name>[a-z0-9][a-z0-9+.-]*)(?::(?P<archq>[a-z0-9-]+))?\s*"
    r"(?:\(\s*(?P<op><<|<=|=|>=|>>|<|>)\s*(?P<ver>[^)\s]+)\s*\))?\s*"
    r"(?:\[[^\]]*\])?\s*(?:<[^>]*>\s*)*$")


def parse_relations(field, what="dependency field"):
    """'a (>= 1) | b, c' -> [['a', 'b'], ['c']] (names only)."""
    out = []
    if not field:
        return out
    for group in field.split(","):
        group = group.strip()
        if not group:
            continue
        alts = []
        for alt in group.split("|"):
            m = _DEP_ALT_RE.match(alt)
            if not m:
                raise Error("cannot parse %s entry %r (in %r)" % (what, alt.strip(), field))
            alts.append(m.group("name"))
        out.append(alts)
    return out


# ---------------------------------------------------------------------------
# HTTP
# ---------------------------------------------------------------------------

def http_download(url, dest, sha256=None, size=None):
    """Download url to dest atomically; verify sha256/size when given.
    Raises urllib.error.HTTPError for 404 (caller may fall back)."""
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    last = None
    for attempt in range(HTTP_TRIES):
        fd, tmp = tempfile.mkstemp(prefix=".dl-", dir=os.path.dirname(dest))
        try:
            h = hashlib.sha256()
            n = 0
            req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
            with urllib.request.urlopen(req, timeout=HTTP_TIMEOUT) as resp, os.fdopen(fd, "wb") as f:
                fd = None
                while True:
                    chunk = resp.read(1 << 20)
                    if not chunk:
                        break
                    h.update(chunk)
                    n += len(chunk)
                    f.write(chunk)
            if size is not None and n != size:
                raise MismatchError("%s: got %d bytes, index says %d" % (url, n, size))
            if sha256 is not None and h.hexdigest() != sha256:
                raise MismatchError("%s: sha256 %s does not match the index (%s)" % (url, h.hexdigest(), sha256))
            os.chmod(tmp, 0o666 & ~_UMASK)
            os.replace(tmp, dest)
            tmp = None
            return n
        except urllib.error.HTTPError as e:
            if e.code == 404:
                raise
            last = e
        except MismatchError:
            raise
        except (urllib.error.URLError, OSError, Error) as e:
            last = e
        finally:
            if fd is not None:
                os.close(fd)
            if tmp is not None and os.path.exists(tmp):
                os.unlink(tmp)
        if attempt + 1 < HTTP_TRIES:
            time.sleep(1 + attempt)
    raise Error("download failed: %s: %s" % (url, last))


def file_sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while True:
            b = f.read(1 << 20)
            if not b:
                break
            h.update(b)
    return h.hexdigest()


# ---------------------------------------------------------------------------
# Control-file (deb822) parsing
# ---------------------------------------------------------------------------

def parse_deb822(text, origin, keep=None):
    """Parse stanzas; returns list of dicts (only `keep` fields if given)."""
    out = []
    for sno, stanza in enumerate(re.split(r"\n[ \t]*\n", text)):
        d = {}
        cur = None
        for line in stanza.split("\n"):
            if not line:
                continue
            if line[0] in " \t":
                if cur is None:
                    raise Error("%s: stanza %d: continuation line before any field: %r"
                                % (origin, sno + 1, line[:80]))
                if cur in d:
                    d[cur] += "\n" + line
                continue
            k, sep, v = line.partition(":")
            if not sep or not k or " " in k:
                raise Error("%s: stanza %d (%s): malformed line %r"
                            % (origin, sno + 1, d.get("Package", "?"), line[:80]))
            cur = k
            if keep is None or k in keep:
                d[k] = v.strip()
        if d:
            out.append(d)
    return out


def parse_inrelease(text, origin):
    if text.startswith("-----BEGIN PGP SIGNED MESSAGE-----"):
        body = text.split("\n\n", 1)[1] if "\n\n" in text else ""
        body = body.split("\n-----BEGIN PGP SIGNATURE-----", 1)[0]
    else:
        body = text
    stanzas = parse_deb822(body, origin)
    if not stanzas:
        raise Error("%s: empty Release file" % origin)
    rel = stanzas[0]
    files = {}
    for line in rel.get("SHA256", "").split("\n"):
        parts = line.split()
        if not parts:
            continue
        if len(parts) != 3 or not re.fullmatch(r"[0-9a-f]{64}", parts[0]) or not parts[1].isdigit():
            raise Error("%s: malformed SHA256 line %r" % (origin, line))
        files[parts[2]] = (parts[0], int(parts[1]))
    if not files:
        raise Error("%s: no SHA256 file list" % origin)
    rel["_files"] = files
    return rel


# ---------------------------------------------------------------------------
# Configuration (images.json)
# ---------------------------------------------------------------------------

class Config:
    def __init__(self, path):
        try:
            with open(path) as f:
                self.raw = json.load(f)
        except (OSError, ValueError) as e:
            raise Error("cannot read %s: %s" % (path, e))
        self.path = path
        self.mirror = self.raw["mirror"].rstrip("/")
        self.security_mirror = self.raw["security_mirror"].rstrip("/")
        self.releases = {r["name"]: r for r in self.raw["releases"]}
        self.images = {i["name"]: i for i in self.raw["images"]}
        self.architectures = self.raw.get("architectures", {})

    def release(self, name):
        if name not in self.releases:
            raise Error("unknown release %r (images.json has: %s)" % (name, ", ".join(self.releases)))
        return self.releases[name]

    def suites(self, release, arch):
        r = self.release(release)
        return list(r.get("suites_by_arch", {}).get(arch, r["suites"]))

    def mirror_for(self, suite):
        return self.security_mirror if suite.endswith("-security") else self.mirror

    def image_valid(self, image, release, arch):
        img = self.images[image]
        if release not in img.get("packages", {}):
            return False
        arches = img.get("arches", {}).get(release)
        return arches is None or arch in arches

    def image_chain(self, image):
        """[static, base, cc] for cc: root first."""
        chain = []
        seen = set()
        name = image
        while name is not None:
            if name not in self.images:
                raise Error("images.json: unknown image %r" % name)
            if name in seen:
                raise Error("images.json: base cycle at %r" % name)
            seen.add(name)
            chain.append(self.images[name])
            name = self.images[name].get("base")
        return list(reversed(chain))

    def needed_packages(self, release, arch):
        """Packages named by any image valid for (release, arch), in order,
        plus the CA bundle source packages."""
        names = []
        for img in self.raw["images"]:
            if not self.image_valid(img["name"], release, arch):
                continue
            for p in img["packages"].get(release, []):
                if p not in names:
                    names.append(p)
            ca = img.get("ca_bundle_from")
            if ca and ca not in names:
                names.append(ca)
        if "ca-certificates" not in names:
            names.append("ca-certificates")
        return names


# ---------------------------------------------------------------------------
# Archive access with a cache
# ---------------------------------------------------------------------------

class Archive:
    def __init__(self, cfg, cache_root, refresh=False, jobs=8, verify_gpg=True, strict=False):
        self.cfg = cfg
        self.root = os.path.join(cache_root, "debian")
        self.refresh = refresh
        self.jobs = jobs
        self.verify_gpg = verify_gpg
        self.strict = strict
        self._releases = {}
        self._lock = threading.Lock()
        self._locks = {}
        self.downloaded_bytes = 0
        self.downloads = 0
        self.gpg_checked = False
        self.index_warnings = []

    # -- locking per key (so parallel users of one file wait for each other)
    def _keylock(self, key):
        with self._lock:
            lk = self._locks.get(key)
            if lk is None:
                lk = self._locks[key] = threading.Lock()
            return lk

    def _count(self, n):
        with self._lock:
            self.downloaded_bytes += n
            self.downloads += 1

    def dists_dir(self, suite):
        return os.path.join(self.root, "dists", suite)

    # -- InRelease
    def inrelease(self, suite):
        with self._keylock(("inrelease", suite)):
            if suite in self._releases:
                return self._releases[suite]
            path = os.path.join(self.dists_dir(suite), "InRelease")
            fresh = (os.path.exists(path) and not self.refresh
                     and time.time() - os.path.getmtime(path) < INDEX_MAX_AGE)
            if not fresh:
                url = "%s/dists/%s/InRelease" % (self.cfg.mirror_for(suite), suite)
                tmp = "%s.new-%d-%d" % (path, os.getpid(), threading.get_ident())
                try:
                    n = http_download(url, tmp)
                except urllib.error.HTTPError as e:
                    raise Error("%s: HTTP %s (is suite %r right?)" % (url, e.code, suite))
                self._count(n)
                try:
                    self._check_signature(tmp, url)
                    os.replace(tmp, path)
                finally:
                    if os.path.exists(tmp):
                        os.unlink(tmp)
                log("fetched %s" % url)
            else:
                self._check_signature(path, path)
            with open(path, encoding="utf-8") as f:
                rel = parse_inrelease(f.read(), path)
            rel["_suite"] = suite
            self._releases[suite] = rel
            return rel

    def _check_signature(self, path, url):
        if not self.verify_gpg:
            return
        gpgv = shutil.which("gpgv")
        if not gpgv or not os.path.exists(KEYRING):
            log("warning: gpgv or %s missing: InRelease signature NOT verified (%s)" % (KEYRING, url))
            return
        p = subprocess.run([gpgv, "--keyring", KEYRING, path],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if p.returncode != 0:
            raise Error("InRelease signature check failed for %s:\n%s" % (url, p.stderr.strip()))
        self.gpg_checked = True

    # -- index files named in InRelease
    def index_file(self, suite, names, required=True):
        """Fetch the first of `names` (paths relative to dists/<suite>/) that
        the InRelease lists; returns (local_path, relname) or None."""
        rel = self.inrelease(suite)
        for name in names:
            if name in rel["_files"]:
                break
        else:
            if required:
                raise Error("suite %s has none of %s (its InRelease lists no such index; "
                            "Architectures: %s)" % (suite, ", ".join(names), rel.get("Architectures", "?")))
            return None
        sha, size = rel["_files"][name]
        path = os.path.join(self.dists_dir(suite), name)
        unverified = path + ".unverified"
        base = "%s/dists/%s" % (self.cfg.mirror_for(suite), suite)
        with self._keylock(("index", suite, name)):
            if os.path.exists(path) and os.path.getsize(path) == size and file_sha256(path) == sha:
                if os.path.exists(unverified):
                    os.unlink(unverified)
                return path, name
            if os.path.exists(path) and os.path.exists(unverified):
                with open(unverified) as f:
                    if f.read().strip() == sha:
                        self._index_warning(suite, name, "%s/%s" % (base, name), sha)
                        return path, name
            urls = []
            if rel.get("Acquire-By-Hash", "").lower() == "yes":
                urls.append("%s/%s/by-hash/SHA256/%s" % (base, os.path.dirname(name), sha))
            urls.append("%s/%s" % (base, name))
            mismatch = None
            for url in urls:
                try:
                    n = http_download(url, path, sha256=sha, size=size)
                    self._count(n)
                    log("fetched %s (%.1f MB)" % (url, n / 1e6))
                    if os.path.exists(unverified):
                        os.unlink(unverified)
                    return path, name
                except urllib.error.HTTPError:
                    continue
                except MismatchError as e:
                    mismatch = e
            if mismatch is None:
                raise Error("could not fetch %s/%s (HTTP 404)" % (base, name))
            if self.strict:
                raise mismatch
            # The mirror serves an index that is not the one its InRelease
            # describes (a stale copy). Use it, loudly; the .deb files it names
            # are still checked against it.
            url = "%s/%s" % (base, name)
            n = http_download(url, path)
            self._count(n)
            with open(unverified, "w") as f:
                f.write(sha + "\n")
            self._index_warning(suite, name, url, sha)
            return path, name

    def _index_warning(self, suite, name, url, sha):
        msg = ("%s: %s does not match its InRelease (sha256 %s...); using the mirror's copy "
               "UNVERIFIED (sha256 %s...)" % (suite, name, sha[:12], file_sha256(os.path.join(self.dists_dir(suite), name))[:12]))
        with self._lock:
            if msg not in self.index_warnings:
                self.index_warnings.append(msg)
                log("warning: " + msg)

    def _packages_names(self, arch):
        d = "main/binary-%s/Packages" % arch
        return [d + ".xz", d + ".gz", d]

    def packages_indexes(self, suite, arch):
        """Local paths of the Packages files to read for (suite, arch)."""
        rel = self.inrelease(suite)
        out = [self.index_file(suite, self._packages_names(arch))]
        # Arch-specific Packages contain Architecture: all packages only when the
        # Release says so; otherwise read binary-all as well.
        # (Best effort: debian-security omits that field although its arch
        # files do list arch:all packages.)
        if "packages" not in rel.get("No-Support-for-Architecture-all", "").lower():
            try:
                r = self.index_file(suite, self._packages_names("all"), required=False)
            except Error as e:
                log("warning: skipping %s binary-all index: %s" % (suite, e))
                r = None
            if r:
                out.append(r)
        return out

    def contents_index(self, suite, arch):
        return self.index_file(suite, ["main/Contents-%s.gz" % arch, "main/Contents-%s" % arch],
                               required=False)

    def contents_paths(self, release, arches):
        """Local paths of the release's Contents files for `arches` ("amd64", "all"),
        over every suite of the release that has them."""
        out = []
        for a in arches:
            for s in self.cfg.suites(release, "amd64"):
                c = self.contents_index(s, a)
                if c:
                    out.append(c[0])
        return out

    # -- parsed Packages
    def parsed_packages(self, path, relname):
        """Records of one Packages file, cached as JSON keyed by its sha256."""
        sha = file_sha256(path)
        cache = "%s.parsed-%s.json.gz" % (path, sha[:16])
        if os.path.exists(cache):
            try:
                with open(cache, "rb") as f:
                    data = json.loads(gzip.decompress(f.read()))
                if data.get("v") == PARSE_CACHE_VERSION:
                    fields = data["fields"]
                    return [{k: v for k, v in zip(fields, row) if v is not None} for row in data["rows"]]
            except (OSError, ValueError, EOFError):
                pass
        if path.endswith(".xz"):
            raw = lzma.open(path).read()
        elif path.endswith(".gz"):
            raw = gzip.open(path).read()
        else:
            with open(path, "rb") as f:
                raw = f.read()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
        records = parse_deb822(text, path, keep=PARSED_FIELDS)
        for r in records:
            for k in ("Package", "Version", "Architecture", "Filename", "SHA256", "Size"):
                if k not in r:
                    raise Error("%s: package stanza %r has no %s field" % (path, r.get("Package", "?"), k))
            if not re.fullmatch(r"[0-9a-f]{64}", r["SHA256"]) or not r["Size"].isdigit():
                raise Error("%s: package %s: bad SHA256/Size" % (path, r["Package"]))
            parse_version(r["Version"])
        tmp = "%s.tmp%d-%d" % (cache, os.getpid(), threading.get_ident())
        rows = [[r.get(k) for k in PARSED_FIELDS] for r in records]
        blob = json.dumps({"v": PARSE_CACHE_VERSION, "fields": PARSED_FIELDS, "rows": rows},
                          separators=(",", ":")).encode("utf-8")
        with open(tmp, "wb") as f:
            f.write(gzip.compress(blob, 1))
        os.replace(tmp, cache)
        # drop finished caches of older versions of this file (not others' temp files)
        d, b = os.path.split(path)
        old_re = re.compile(re.escape(b) + r"\.parsed-[0-9a-f]{16}\.json(\.gz)?$")
        for fn in os.listdir(d):
            if old_re.match(fn) and os.path.join(d, fn) != cache:
                try:
                    os.unlink(os.path.join(d, fn))
                except OSError:
                    pass
        return records

    def view(self, release, arch):
        """name -> record: the highest version of each package across the
        release's suites for arch. record['suite'] tells where it came from."""
        view = {}
        for suite in self.cfg.suites(release, arch):
            for path, relname in self.packages_indexes(suite, arch):
                for r in self.parsed_packages(path, relname):
                    if r["Architecture"] not in (arch, "all"):
                        raise Error("%s: package %s has Architecture %s in the %s index"
                                    % (path, r["Package"], r["Architecture"], arch))
                    cur = view.get(r["Package"])
                    if cur is None or version_compare(r["Version"], cur["Version"]) > 0:
                        r = dict(r)
                        r["suite"] = suite
                        view[r["Package"]] = r
        return view

    # -- .deb files
    def deb_path(self, rec):
        mirror = self.cfg.mirror_for(rec["suite"])
        sub = mirror.rstrip("/").rsplit("/", 1)[-1] or "debian"
        fn = rec["Filename"]
        if fn.startswith("/") or ".." in fn.split("/"):
            raise Error("refusing odd Filename %r for %s" % (fn, rec["Package"]))
        return os.path.join(self.root, "archive", sub, fn)

    def fetch_deb(self, rec):
        path = self.deb_path(rec)
        with self._keylock(("deb", path)):
            size = int(rec["Size"])
            if os.path.exists(path) and os.path.getsize(path) == size and file_sha256(path) == rec["SHA256"]:
                return path
            url = "%s/%s" % (self.cfg.mirror_for(rec["suite"]), rec["Filename"])
            try:
                n = http_download(url, path, sha256=rec["SHA256"], size=size)
            except urllib.error.HTTPError as e:
                raise Error("%s: HTTP %s" % (url, e.code))
            self._count(n)
            return path

    def pkg_dir(self, release, arch, rec):
        return os.path.join(self.root, release, arch, "pkgs",
                            "%s_%s" % (rec["Package"], safe_version(rec["Version"])))

    def extract(self, release, arch, rec):
        """Download + `dpkg-deb -x` once; returns the data root.

        <root>/ holds data.tar, <root>.control/ the control files, and
        <root>.stamp (the .deb's sha256) is written last: without it the
        extraction is considered interrupted and is redone."""
        root = self.pkg_dir(release, arch, rec)
        stamp = root + ".stamp"

        def done():
            if os.path.exists(stamp) and os.path.isdir(root):
                with open(stamp) as f:
                    return f.read().strip() == rec["SHA256"]
            return False

        with self._keylock(("extract", root)):
            if done():
                return root
            deb = self.fetch_deb(rec)
            os.makedirs(os.path.dirname(root), exist_ok=True)
            # serialise with other processes sharing the cache
            with open(root + ".lock", "w") as lockf:
                fcntl.flock(lockf, fcntl.LOCK_EX)
                if done():
                    return root
                ctrl = root + ".control"
                if os.path.exists(stamp):
                    os.unlink(stamp)
                for d in (root, ctrl):
                    if os.path.lexists(d):
                        shutil.rmtree(d)
                os.makedirs(root)
                for cmd in (["dpkg-deb", "-x", deb, root], ["dpkg-deb", "-e", deb, ctrl]):
                    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                    if p.returncode != 0:
                        raise Error("%s failed: %s" % (" ".join(cmd), p.stderr.strip()))
                with open(stamp + ".tmp", "w") as f:
                    f.write(rec["SHA256"] + "\n")
                os.replace(stamp + ".tmp", stamp)
            return root

    def extract_many(self, items):
        """items: [(release, arch, rec)] -> list of roots (same order)."""
        if not items:
            return []
        with concurrent.futures.ThreadPoolExecutor(max_workers=self.jobs) as ex:
            # downloads first (network bound), then extraction (CPU bound)
            list(ex.map(lambda it: self.fetch_deb(it[2]), items))
        workers = max(2, (os.cpu_count() or 2) + 1)
        with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as ex:
            return list(ex.map(lambda it: self.extract(*it), items))


# ---------------------------------------------------------------------------
# Resolution helpers
# ---------------------------------------------------------------------------

class Resolver:
    def __init__(self, view):
        self.view = view
        self._provides = None

    @property
    def provides(self):
        if self._provides is None:
            prov = {}
            for name in sorted(self.view):
                rec = self.view[name]
                for group in parse_relations(rec.get("Provides", ""), "Provides of " + name):
                    for v in group:
                        prov.setdefault(v, []).append(name)
            self._provides = prov
        return self._provides

    # debootstrap builds merged-/usr systems itself (bookworm on) and so takes
    # usr-is-merged, not usrmerge (which would pull in perl), for
    # init-system-helpers' "usrmerge | usr-is-merged".
    PREFERRED = ("usr-is-merged",)

    def pick(self, alts, chosen):
        """An alternative already chosen (directly or through Provides), else
        a PREFERRED one, else the first alternative that exists (real, else
        virtual via Provides)."""
        for a in alts:
            if a in chosen:
                return a
            for p in self.provides.get(a, ()):
                if p in chosen:
                    return p
        for a in alts:
            if a in self.PREFERRED and a in self.view:
                return a
        for a in alts:
            if a in self.view:
                return a
            providers = self.provides.get(a)
            if providers:
                for p in providers:
                    if p in chosen:
                        return p
                return providers[0]
        return None

    def closure(self, roots, have=frozenset()):
        """Depends + Pre-Depends closure of roots (names), skipping and not
        descending into packages in `have`. Returns (list, unresolved)."""
        chosen = []
        seen = set(have)
        unresolved = []
        queue = []
        for r in roots:
            if r not in self.view:
                raise Error("package %r does not exist" % r)
            if r not in seen:
                seen.add(r)
                queue.append(r)
        while queue:
            name = queue.pop(0)
            chosen.append(name)
            rec = self.view[name]
            for field in ("Pre-Depends", "Depends"):
                for alts in parse_relations(rec.get(field, ""), "%s of %s" % (field, name)):
                    p = self.pick(alts, seen)
                    if p is None:
                        unresolved.append("%s: %s" % (name, " | ".join(alts)))
                        continue
                    if p not in seen:
                        seen.add(p)
                        queue.append(p)
        return chosen, unresolved

    def slim(self):
        roots = sorted(n for n, r in self.view.items()
                       if r.get("Priority") == "required" or r.get("Essential", "").lower() == "yes")
        if "apt" not in roots:
            roots.append("apt")
        return self.closure(roots)


def pkg_entry(rec, root=None):
    e = {
        "version": rec["Version"],
        "suite": rec["suite"],
        "filename": rec["Filename"],
        "sha256": rec["SHA256"],
        "size": int(rec["Size"]),
    }
    if rec.get("Installed-Size", "").isdigit():
        e["installed_size_kib"] = int(rec["Installed-Size"])
    e["depends"] = rec.get("Depends", "")
    if rec.get("Pre-Depends"):
        e["pre_depends"] = rec["Pre-Depends"]
    if root is not None:
        e["root"] = root
    return e


# ---------------------------------------------------------------------------
# soname map from Contents
# ---------------------------------------------------------------------------

# Library file names: versioned (libz.so.1) and unversioned (libbfd-2.40-system.so, whose
# soname is that name: binutils, gettext, Tcl). An unversioned name is also what a -dev
# package's symlink is called (libz.so in zlib1g-dev), which is right for a program that
# asks for it.
_SONAME_RE = re.compile(r"^(?:lib.*\.so(?:\.[0-9].*)?|ld-.*\.so.*)$")


def soname_map(contents_paths, triplet="x86_64-linux-gnu"):
    """Library file name -> packages shipping it in the loader's default directories, and
    absolute path -> packages for the libraries one directory below them
    (/usr/lib/x86_64-linux-gnu/systemd/libsystemd-shared-252.so): a program finds those
    through its RUNPATH or RPATH, so a verdict looks them up by the path it searches. Paths
    are merged-/usr (/lib/x -> /usr/lib/x), as installed systems of both releases are."""
    dirs = {"lib", "usr/lib", "lib/" + triplet, "usr/lib/" + triplet, "lib64", "usr/lib64"}
    out = {}
    for path in contents_paths:
        with gzip.open(path, "rt", encoding="utf-8", errors="replace") if path.endswith(".gz") \
                else open(path, encoding="utf-8", errors="replace") as f:
            for lineno, line in enumerate(f, 1):
                if not (line.startswith("lib") or line.startswith("usr/lib")):
                    continue
                parts = line.rstrip("\n").rsplit(None, 1)
                if len(parts) != 2:
                    raise Error("%s:%d: malformed Contents line %r" % (path, lineno, line[:100]))
                fpath, pkgs = parts
                d, _, base = fpath.rpartition("/")
                if not _SONAME_RE.match(base):
                    continue
                if d in dirs:
                    key = base
                elif d.rpartition("/")[0] in dirs:
                    key = "/" + _map_usr(fpath)
                else:
                    continue
                s = out.setdefault(key, set())
                for q in pkgs.split(","):
                    s.add(q.rsplit("/", 1)[-1])
    return {k: sorted(v) for k, v in sorted(out.items())}


def command_map(contents_paths, names):
    """For each command name: the packages that ship usr/bin/NAME or bin/NAME.
    Contents lists only files that a package really ships, so a name that only
    update-alternatives creates (/usr/bin/awk, /usr/bin/java) has no package.
    Every name gets an entry, empty when nothing ships it."""
    wanted = set()
    for n in names:
        wanted.add(("usr/bin/" + n).encode())
        wanted.add(("bin/" + n).encode())
    out = {n: set() for n in names}
    for path in contents_paths:
        with gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb") as f:
            for lineno, line in enumerate(f, 1):
                if not (line.startswith(b"usr/bin/") or line.startswith(b"bin/")):
                    continue
                parts = line.rstrip(b"\n").rsplit(None, 1)
                if len(parts) != 2:
                    raise Error("%s:%d: malformed Contents line %r" % (path, lineno, line[:100]))
                fpath, pkgs = parts
                if fpath not in wanted:
                    continue
                s = out[fpath.decode().rpartition("/")[2]]
                for q in pkgs.decode("utf-8", "replace").split(","):
                    s.add(q.rsplit("/", 1)[-1])
    return {n: sorted(out[n]) for n in names}


def runtime_command(img, root):
    """The interpreter of an image's runtime: its `command`, else the one regular
    executable the `from_package` (extracted at `root`) ships in usr/bin or bin."""
    rt = img.get("runtime") or {}
    if rt.get("command"):
        return rt["command"]
    found = []
    for d in ("usr/bin", "bin"):
        full = os.path.join(root, d)
        if not os.path.isdir(full):
            continue
        for n in sorted(os.listdir(full)):
            st = os.lstat(os.path.join(full, n))
            if stat.S_ISREG(st.st_mode) and st.st_mode & 0o111:
                found.append("/%s/%s" % (d, n))
    if len(found) != 1:
        raise Error("image %s: runtime package %s ships %s executables in /usr/bin and /bin (%s); "
                    "name the one in runtime.command" % (img["name"], rt.get("from_package"), len(found),
                                                         " ".join(found) or "none"))
    return found[0]


# ---------------------------------------------------------------------------
# stage
# ---------------------------------------------------------------------------

def cmd_stage(args, cfg, ar):
    out_path = args.out or os.path.join(ar.root, "staging.json")
    pairs = [(r["name"], a) for r in cfg.raw["releases"] for a in r["arches"]]

    # 1. every InRelease and index, in parallel
    suites = sorted({s for rel, a in pairs for s in cfg.suites(rel, a)})
    with concurrent.futures.ThreadPoolExecutor(max_workers=ar.jobs) as ex:
        list(ex.map(ar.inrelease, suites))
        jobs = [ex.submit(ar.packages_indexes, s, a) for rel, a in pairs for s in cfg.suites(rel, a)]
        jobs += [ex.submit(ar.contents_index, s, a)
                 for r in cfg.raw["releases"] for s in cfg.suites(r["name"], "amd64")
                 for a in ("amd64", "all")]
        for j in jobs:
            j.result()
    log("indexes ready")

    # 2. resolve per (release, arch)
    chosen = {}         # (release, arch) -> {pkg: rec}
    slim = {}           # release -> arch -> {pkg: version}
    slim_recs = {}      # release -> {pkg: rec}, amd64: unpacked for their libraries' versions
    slim_unresolved = {}
    errors = []
    for rel, arch in pairs:
        view = ar.view(rel, arch)
        res = Resolver(view)
        pk = {}
        for name in cfg.needed_packages(rel, arch):
            if name not in view:
                errors.append("%s/%s: package %s not found in %s" % (rel, arch, name, ", ".join(cfg.suites(rel, arch))))
                continue
            pk[name] = view[name]
        chosen[(rel, arch)] = pk
        names, unresolved = res.slim()
        slim.setdefault(rel, {})[arch] = {n: view[n]["Version"] for n in sorted(names)}
        if arch == "amd64":
            slim_recs[rel] = {n: view[n] for n in sorted(names)}
        if unresolved:
            slim_unresolved.setdefault(rel, {})[arch] = unresolved
        log("%s/%s: %d image packages, slim closure %d packages%s"
            % (rel, arch, len(pk), len(names), " (%d unresolved deps)" % len(unresolved) if unresolved else ""))
        del view, res
    if errors:
        raise Error("missing packages:\n  " + "\n  ".join(errors))

    # 3. download + extract
    items = [(rel, arch, rec) for (rel, arch), pk in chosen.items() for rec in pk.values()]
    # The slim image's own packages (amd64, where the distro maps are): the generator reads
    # the version definitions of their libraries, so that a distro verdict checks the
    # versions a program needs from debian:N-slim's libraries (libselinux, libtinfo, ...).
    staged = {(i[0], i[1], i[2]["Package"]) for i in items}
    slim_items = [(rel, "amd64", rec) for rel, pk in slim_recs.items() for rec in pk.values()
                  if (rel, "amd64", rec["Package"]) not in staged]
    roots = ar.extract_many(items + slim_items)
    rootmap = {(it[0], it[1], it[2]["Package"]): r for it, r in zip(items + slim_items, roots)}
    log("%d packages downloaded/extracted (%d of them for the slim images)"
        % (len(items) + len(slim_items), len(slim_items)))

    # 4. soname map (Contents-amd64) and interpreter map (Contents-amd64 + Contents-all:
    #    /usr/bin/python comes from the arch:all python-is-python3)
    sonames = {}
    commands = {}
    command_names = cfg.raw.get("interpreter_commands", [])
    for r in cfg.raw["releases"]:
        sonames[r["name"]] = soname_map(ar.contents_paths(r["name"], ["amd64"]),
                                        cfg.architectures.get("amd64", {}).get("triplet", "x86_64-linux-gnu"))
        log("%s: soname map has %d entries" % (r["name"], len(sonames[r["name"]])))
        commands[r["name"]] = command_map(ar.contents_paths(r["name"], ["amd64", "all"]), command_names)
        log("%s: interpreter map: %s" % (r["name"], ", ".join(
            "%s=%s" % (n, "/".join(p) or "-") for n, p in commands[r["name"]].items())))

    # 5. write
    doc = {
        "generated_at": datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
                        .isoformat().replace("+00:00", "Z"),
        "mirror": cfg.mirror,
        "security_mirror": cfg.security_mirror,
        "images_json": os.path.abspath(cfg.path),
        "cache": ar.root,
        "inrelease_signatures_verified": ar.gpg_checked,
        "index_dates": {},
        "index_warnings": sorted(ar.index_warnings),   # sorted: downloads finish in any order
        "releases": {},
    }
    for r in cfg.raw["releases"]:
        rn = r["name"]
        doc["index_dates"][rn] = {s: ar.inrelease(s).get("Date", "")
                                  for s in dict.fromkeys(x for a in r["arches"] for x in cfg.suites(rn, a))}
        arches = {}
        for a in r["arches"]:
            pk = chosen[(rn, a)]
            arches[a] = {"packages": {n: pkg_entry(pk[n], rootmap[(rn, a, n)]) for n in sorted(pk)}}
        doc["releases"][rn] = {
            "arches": arches,
            "slim": {
                "reference": r.get("slim_reference", ""),
                "packages": slim[rn],
                "soname_packages": sonames[rn],
                "command_packages": commands[rn],
                "roots": {n: pkg_entry(rec, rootmap[(rn, "amd64", n)])
                          for n, rec in slim_recs.get(rn, {}).items()},
            },
        }
        if rn in slim_unresolved:
            doc["releases"][rn]["slim"]["unresolved"] = slim_unresolved[rn]
    os.makedirs(os.path.dirname(os.path.abspath(out_path)), exist_ok=True)
    tmp = out_path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(doc, f, indent=1, sort_keys=False)
        f.write("\n")
    os.replace(tmp, out_path)

    # summary (stdout)
    print("staging.json: %s (%.1f KB)" % (os.path.abspath(out_path), os.path.getsize(out_path) / 1024))
    for r in cfg.raw["releases"]:
        rn = r["name"]
        print("%s: soname map %d entries; %d of %d interpreter commands shipped; slim closure %s" % (
            rn, len(sonames[rn]), sum(1 for p in commands[rn].values() if p), len(commands[rn]),
            ", ".join("%s=%d" % (a, len(slim[rn][a])) for a in r["arches"])))
        for a in r["arches"]:
            print("  %s/%s: %d packages" % (rn, a, len(chosen[(rn, a)])))
    print("downloaded: %d files, %.1f MB; time %.1fs" % (ar.downloads, ar.downloaded_bytes / 1e6,
                                                         time.monotonic() - T0))
    return 0


# ---------------------------------------------------------------------------
# rootfs
# ---------------------------------------------------------------------------

def _map_usr(rel):
    """Merged-/usr mapping of a relative path (Debian layout)."""
    top, sep, rest = rel.partition("/")
    if top in USR_ALIASES:
        return "usr/" + rel
    return rel


class TreeWriter:
    """Copies extracted package trees into a root, like layering their tars."""

    def __init__(self, dst, merged, hardlink=False):
        self.dst = dst
        self.merged = merged
        self.hardlink = hardlink
        self.shipped_aliases = set()
        self.is_root = os.geteuid() == 0
        self.dir_meta = {}   # dst dir -> (mode, uid, gid, mtime) applied at the end
        self.files = 0

    def _chown(self, path, st):
        if self.is_root:
            os.lchown(path, st.st_uid, st.st_gid)

    def _ensure_parent(self, dst):
        parent = os.path.dirname(dst)
        if not os.path.isdir(parent):
            os.makedirs(parent, mode=0o755, exist_ok=True)

    def _clear(self, dst, want_dir=False):
        if os.path.islink(dst) or (os.path.lexists(dst) and not os.path.isdir(dst)):
            os.unlink(dst)
        elif os.path.isdir(dst) and not want_dir:
            raise Error("%s: a package wants a non-directory where a directory is" % dst)

    def add_tree(self, src_root):
        inode_map = {}
        self._walk(src_root, "", inode_map)

    def _walk(self, src_dir, rel_dir, inode_map):
        with os.scandir(src_dir) as it:
            entries = sorted(it, key=lambda e: e.name)
        for e in entries:
            rel = e.name if not rel_dir else rel_dir + "/" + e.name
            st = os.lstat(e.path)
            new_rel = rel
            if self.merged:
                top = rel.split("/", 1)[0]
                if top in USR_ALIASES:
                    if rel == top:
                        self.shipped_aliases.add(top)
                        if stat.S_ISDIR(st.st_mode):
                            self._walk(e.path, rel, inode_map)
                        # a shipped alias symlink (e.g. base-files' /bin) is re-made at the end
                        continue
                    new_rel = _map_usr(rel)
            dst = os.path.join(self.dst, new_rel)
            if stat.S_ISDIR(st.st_mode):
                if os.path.islink(dst) and os.path.isdir(dst):
                    pass  # dpkg semantics: install through a directory symlink
                elif not os.path.isdir(dst):
                    if os.path.lexists(dst):
                        os.unlink(dst)
                    self._ensure_parent(dst)
                    os.mkdir(dst, 0o755)
                    self.dir_meta[dst] = st
                else:
                    self.dir_meta.setdefault(dst, st)
                self._walk(e.path, rel, inode_map)
            elif stat.S_ISLNK(st.st_mode):
                target = os.readlink(e.path)
                if new_rel != rel and not target.startswith("/"):
                    # keep relative links pointing at the same (moved) file
                    abs_t = os.path.normpath(os.path.join("/", os.path.dirname(rel), target)).lstrip("/")
                    target = os.path.relpath("/" + _map_usr(abs_t), "/" + os.path.dirname(new_rel))
                self._ensure_parent(dst)
                self._clear(dst)
                os.symlink(target, dst)
                self._chown(dst, st)
                self.files += 1
            elif stat.S_ISREG(st.st_mode):
                self._ensure_parent(dst)
                self._clear(dst)
                key = (st.st_dev, st.st_ino)
                if st.st_nlink > 1 and key in inode_map:
                    os.link(inode_map[key], dst)
                elif self.hardlink:
                    os.link(e.path, dst)
                else:
                    shutil.copyfile(e.path, dst, follow_symlinks=False)
                    os.chmod(dst, stat.S_IMODE(st.st_mode))
                    self._chown(dst, st)
                    os.utime(dst, ns=(st.st_atime_ns, st.st_mtime_ns))
                if st.st_nlink > 1:
                    inode_map.setdefault(key, dst)
                self.files += 1
            else:
                log("warning: skipping special file %s" % e.path)

    def finish(self):
        if self.merged:
            for name in USR_ALIASES:
                udir = os.path.join(self.dst, "usr", name)
                if name in ALWAYS_ALIASED or name in self.shipped_aliases or os.path.isdir(udir):
                    if not os.path.isdir(udir):
                        os.makedirs(udir, mode=0o755)
                    link = os.path.join(self.dst, name)
                    if os.path.lexists(link):
                        if os.path.isdir(link) and not os.path.islink(link):
                            raise Error("%s is a directory after the usr merge" % link)
                        os.unlink(link)
                    os.symlink("usr/" + name, link)
        # directory modes/owners last (deepest first), like tar does
        for d in sorted(self.dir_meta, key=len, reverse=True):
            st = self.dir_meta[d]
            if os.path.islink(d):
                continue
            os.chmod(d, stat.S_IMODE(st.st_mode))
            self._chown(d, st)
            os.utime(d, ns=(st.st_atime_ns, st.st_mtime_ns))


def write_file(root, path, content, mode, uid=0, gid=0):
    dst = os.path.join(root, path.lstrip("/"))
    os.makedirs(os.path.dirname(dst), mode=0o755, exist_ok=True)
    if os.path.islink(dst) or (os.path.lexists(dst) and not os.path.isdir(dst)):
        os.unlink(dst)
    with open(dst, "wb") as f:
        f.write(content if isinstance(content, bytes) else content.encode("utf-8"))
    os.chmod(dst, mode)
    if os.geteuid() == 0:
        os.lchown(dst, uid, gid)


def ca_bundle(pkg_root):
    """rules_distroless cacerts: every file under usr/share/ca-certificates,
    recursively, in sorted order, concatenated."""
    base = os.path.join(pkg_root, "usr", "share", "ca-certificates")
    if not os.path.isdir(base):
        raise Error("%s has no usr/share/ca-certificates" % pkg_root)
    out = []
    n = 0

    def add(d):
        nonlocal n
        for name in sorted(os.listdir(d)):
            p = os.path.join(d, name)
            if os.path.isdir(p):
                add(p)
            else:
                with open(p, "rb") as f:
                    out.append(f.read())
                n += 1
    add(base)
    return b"".join(out), n


def prepare_dir(path, force, cache_root):
    path = os.path.abspath(path)
    real = os.path.realpath(path)
    if path in ("/", os.path.expanduser("~")) or real == "/" \
            or (real + "/").startswith(os.path.realpath(cache_root) + "/") \
            or (os.path.realpath(cache_root) + "/").startswith(real + "/"):
        raise Error("refusing to use %s as a root filesystem directory" % path)
    if os.path.lexists(path) and not os.path.isdir(path):
        raise Error("%s exists and is not a directory" % path)
    if os.path.isdir(path) and os.listdir(path):
        if not force:
            raise Error("%s is not empty (use --force to wipe it)" % path)
        for name in os.listdir(path):
            p = os.path.join(path, name)
            if os.path.isdir(p) and not os.path.islink(p):
                shutil.rmtree(p)
            else:
                os.unlink(p)
    os.makedirs(path, exist_ok=True)
    os.chmod(path, 0o755)
    return path


def os_release_text(release):
    v = release["version_id"]
    fields = [
        ("PRETTY_NAME", "Distroless"),
        ("NAME", "Debian GNU/Linux"),
        ("ID", "debian"),
        ("VERSION_ID", v),
        ("VERSION", "Debian GNU/Linux %s (%s)" % (v, release["codename"])),
        ("HOME_URL", "https://github.com/GoogleContainerTools/distroless"),
        ("SUPPORT_URL", "https://github.com/GoogleContainerTools/distroless/blob/master/README.md"),
        ("BUG_REPORT_URL", "https://github.com/GoogleContainerTools/distroless/issues/new"),
    ]
    return "".join('%s="%s"\n' % kv for kv in fields)


def read_control(pkg_root):
    ctrl = pkg_root + ".control"
    out = {}
    for name in ("control", "md5sums"):
        p = os.path.join(ctrl, name)
        if os.path.exists(p):
            with open(p, "rb") as f:
                out[name] = f.read()
    return out


def cmd_rootfs(args, cfg, ar):
    rel = cfg.release(args.release)
    if args.arch not in rel["arches"]:
        raise Error("%s has no arch %s (images.json: %s)" % (args.release, args.arch, ", ".join(rel["arches"])))
    image = args.image
    special = ("scratch", "distro")
    if image not in special and image not in cfg.images:
        raise Error("unknown image %r (known: %s)" % (image, ", ".join(list(cfg.images) + list(special))))
    if image not in special and not cfg.image_valid(image, args.release, args.arch):
        raise Error("image %s is not built for %s/%s" % (image, args.release, args.arch))
    if image == "scratch" and args.add_package:
        raise Error("--add-package makes no sense with --image scratch")
    out = prepare_dir(args.out, args.force, ar.root)
    if image == "scratch":
        print("%s: scratch (empty)" % out)
        return 0

    view = ar.view(args.release, args.arch)
    res = Resolver(view)
    merged = bool(rel.get("merged_usr"))
    chain = []
    if image == "distro":
        # debian:12-slim and 13-slim are both merged-/usr (debootstrap's default
        # since bookworm), whatever distroless does for its debian12 images.
        merged = True
        base_names, unresolved = res.slim()
        if unresolved:
            log("warning: slim closure has unresolved dependencies: %s" % "; ".join(unresolved))
        base_names = sorted(base_names)
    else:
        chain = cfg.image_chain(image)
        base_names = []
        for img in chain:
            for p in img["packages"].get(args.release, []):
                if p not in base_names:
                    base_names.append(p)
    missing = [p for p in base_names + list(args.add_package) if p not in view]
    if missing:
        raise Error("%s/%s: package(s) not found: %s" % (args.release, args.arch, ", ".join(missing)))
    added = []
    if args.add_package:
        added, unresolved = res.closure(args.add_package, have=frozenset(base_names))
        if unresolved:
            log("warning: unresolved dependencies: %s" % "; ".join(unresolved))
    ca_pkg = None
    for img in chain:
        if img.get("ca_bundle_from"):
            ca_pkg = img["ca_bundle_from"]
    if ca_pkg and ca_pkg not in view:
        raise Error("%s/%s: CA bundle package %s not found" % (args.release, args.arch, ca_pkg))

    names = base_names + added
    fetch = names + ([ca_pkg] if ca_pkg and ca_pkg not in names else [])
    roots = dict(zip(fetch, ar.extract_many([(args.release, args.arch, view[n]) for n in fetch])))
    log("%d packages ready; assembling %s" % (len(fetch), out))

    tw = TreeWriter(out, merged, hardlink=args.hardlink)
    for n in names:
        tw.add_tree(roots[n])
    tw.finish()

    statusd = os.path.join("var", "lib", "dpkg")
    if image == "distro":
        # dpkg database (maintainer scripts never ran, but tools can list packages)
        stanzas = []
        for n in names:
            c = read_control(roots[n]).get("control", b"").decode("utf-8", "replace").rstrip("\n")
            lines = c.split("\n")
            lines.insert(1, "Status: install ok installed")
            stanzas.append("\n".join(lines) + "\n")
        write_file(out, statusd + "/status", "\n".join(stanzas), 0o644)
        for n in names:
            md5 = read_control(roots[n]).get("md5sums")
            if md5 is not None:
                write_file(out, "%s/info/%s.md5sums" % (statusd, n), md5, 0o644)
        # what base-passwd's postinst would create
        for f in ("passwd", "group"):
            master = os.path.join(out, "usr", "share", "base-passwd", f + ".master")
            if os.path.exists(master) and not os.path.exists(os.path.join(out, "etc", f)):
                with open(master, "rb") as fh:
                    write_file(out, "/etc/" + f, fh.read(), 0o644)
        tmpd = os.path.join(out, "tmp")
        os.makedirs(tmpd, exist_ok=True)
        os.chmod(tmpd, 0o1777)
    else:
        # distroless: status.d entry per package, files, dirs, os-release, CA bundle
        for n in names + ([ca_pkg] if ca_pkg and ca_pkg not in names else []):
            c = read_control(roots[n])
            if "control" in c:
                write_file(out, "%s/status.d/%s" % (statusd, n), c["control"], 0o644)
            if "md5sums" in c:
                write_file(out, "%s/status.d/%s.md5sums" % (statusd, n), c["md5sums"], 0o644)
        homes = {}
        for img in chain:
            for path, content in img.get("files", {}).items():
                write_file(out, path, content, 0o644)
                if path == "/etc/passwd":
                    for line in content.splitlines():
                        f = line.split(":")
                        if len(f) >= 6 and f[2].isdigit() and f[3].isdigit():
                            homes[f[5]] = (int(f[2]), int(f[3]))
        for img in chain:
            for path, mode in img.get("dirs", {}).items():
                d = os.path.join(out, path.lstrip("/"))
                os.makedirs(d, exist_ok=True)
                os.chmod(d, int(mode, 8))
                if os.geteuid() == 0:
                    uid, gid = homes.get(path, (0, 0))
                    os.lchown(d, uid, gid)
        # links distroless adds to a runtime's interpreter (python3: /usr/bin/python3 -> python3.13)
        for img in chain:
            rt = img.get("runtime") or {}
            if not rt.get("aliases"):
                continue
            if rt.get("from_package") and rt["from_package"] not in roots:
                raise Error("image %s: runtime package %s is not in the image" % (img["name"], rt["from_package"]))
            cmd = runtime_command(img, roots[rt["from_package"]]) if rt.get("from_package") else rt["command"]
            for alias in rt["aliases"]:
                dst = os.path.join(out, alias.lstrip("/"))
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                if os.path.lexists(dst):
                    os.unlink(dst)
                os.symlink(os.path.relpath(cmd, os.path.dirname(alias)), dst)
        # rules_distroless os_release writes mode 0755
        write_file(out, "/usr/lib/os-release", os_release_text(rel), 0o755)
        if not os.path.lexists(os.path.join(out, "etc", "os-release")):
            os.symlink("../usr/lib/os-release", os.path.join(out, "etc", "os-release"))
        if ca_pkg:
            bundle, ncerts = ca_bundle(roots[ca_pkg])
            write_file(out, "/etc/ssl/certs/ca-certificates.crt", bundle, 0o555)
            cr = os.path.join(roots[ca_pkg], "usr", "share", "doc", ca_pkg, "copyright")
            if os.path.exists(cr):
                with open(cr, "rb") as fh:
                    write_file(out, "/usr/share/doc/%s/copyright" % ca_pkg, fh.read(), 0o555)
            log("CA bundle: %d certificate files from %s %s" % (ncerts, ca_pkg, view[ca_pkg]["Version"]))

    total = 0
    for dp, dn, fn in os.walk(out):
        for f in fn:
            try:
                total += os.lstat(os.path.join(dp, f)).st_size
            except OSError:
                pass
    print("%s: %s %s/%s, %d packages%s, %d entries copied, %.1f MB, %.1fs" % (
        out, image, args.release, args.arch, len(names),
        " (added: %s)" % " ".join(added) if added else "", tw.files, total / 1e6,
        time.monotonic() - T0))
    return 0


# ---------------------------------------------------------------------------
# selftest
# ---------------------------------------------------------------------------

def cmd_selftest(args, cfg, ar):
    cases = [
        ("1.0", "1.0", 0), ("1.0", "1.1", -1), ("1.0~rc1", "1.0", -1), ("1.0", "1.0+b1", -1),
        ("1:1.0", "2.0", 1), ("1.0-1", "1.0-1~deb12u1", 1), ("2.36-9+deb12u14", "2.36-9+deb12u9", 1),
        ("20250419~deb12u1", "20230311+deb12u1", 1), ("1.0a", "1.0", 1), ("1.0", "1.0-0", 0),
        ("1.0~~", "1.0~", -1), ("1.0~", "1.0", -1), ("1.0", "1.0a", -1), ("1.001", "1.1", 0),
        ("1.2.3", "1.2.10", -1), ("0:1.0", "1.0", 0), ("1.0-a", "1.0-+", -1),
        ("1:1.3.dfsg+really1.3.1-1+b1", "1:1.3.dfsg-3.1", 1), ("3.0.20-1~deb12u2", "3.0.20-1", -1),
    ]
    bad = 0
    for a, b, want in cases:
        got = version_compare(a, b)
        got = (got > 0) - (got < 0)
        if got != want:
            print("FAIL version_compare(%r, %r) = %d, want %d" % (a, b, got, want))
            bad += 1
    dpkg = shutil.which("dpkg")
    if dpkg:
        for a, b, _ in cases:
            for op, sign in (("lt", -1), ("eq", 0), ("gt", 1)):
                r = subprocess.run([dpkg, "--compare-versions", a, op, b]).returncode == 0
                got = version_compare(a, b)
                got = (got > 0) - (got < 0)
                if r != (got == sign):
                    print("FAIL vs dpkg: %s %s %s" % (a, op, b))
                    bad += 1
    rel = parse_relations("libc6 (>= 2.34), libssl3 (>= 3.0.0) | libssl3t64:any, foo [amd64] <!nocheck>")
    if rel != [["libc6"], ["libssl3", "libssl3t64"], ["foo"]]:
        print("FAIL parse_relations: %r" % rel)
        bad += 1
    for v in ("", "a1", "1:", "1.0 2"):
        try:
            parse_version(v)
            print("FAIL parse_version accepted %r" % v)
            bad += 1
        except Error:
            pass
    if _map_usr("lib/x86_64-linux-gnu/libc.so.6") != "usr/lib/x86_64-linux-gnu/libc.so.6" \
            or _map_usr("sbin/ldconfig") != "usr/sbin/ldconfig" or _map_usr("etc/passwd") != "etc/passwd":
        print("FAIL _map_usr")
        bad += 1
    with tempfile.TemporaryDirectory() as td:
        cpath = os.path.join(td, "Contents-amd64.gz")
        with gzip.open(cpath, "wt") as f:
            f.write("bin/sh                 shells/dash\n"
                    "usr/bin/perl           perl/perl-base\n"
                    "usr/bin/ruby           ruby/ruby,ruby/ruby3.1\n"
                    "usr/bin/awk_count      devel/sloccount\n"
                    "usr/share/bin/perl     doc/x\n"
                    "usr/bin/ruby           ruby/ruby\n")
        spath = os.path.join(td, "Contents-sonames.gz")
        with gzip.open(spath, "wt") as f:
            f.write("usr/lib/x86_64-linux-gnu/libz.so.1                 libs/zlib1g\n"
                    "usr/lib/x86_64-linux-gnu/libz.so                   libdevel/zlib1g-dev\n"
                    "usr/lib/x86_64-linux-gnu/libbfd-2.40-system.so     devel/libbinutils\n"
                    "lib/x86_64-linux-gnu/systemd/libsystemd-shared-252.so admin/libsystemd-shared\n"
                    "usr/lib/x86_64-linux-gnu/gstreamer-1.0/x/libdeep.so.1 x/deep\n"
                    "usr/lib/x86_64-linux-gnu/libz.so.conf              x/notalib\n")
        got = soname_map([spath])
        want = {"/usr/lib/x86_64-linux-gnu/systemd/libsystemd-shared-252.so": ["libsystemd-shared"],
                "libbfd-2.40-system.so": ["libbinutils"], "libz.so": ["zlib1g-dev"],
                "libz.so.1": ["zlib1g"]}
        if got != want:
            print("FAIL soname_map: %r" % got)
            bad += 1
        got = command_map([cpath], ["sh", "perl", "ruby", "awk"])
        want = {"sh": ["dash"], "perl": ["perl-base"], "ruby": ["ruby", "ruby3.1"], "awk": []}
        if got != want:
            print("FAIL command_map: %r" % got)
            bad += 1
    total = len(cases) * (4 if dpkg else 1) + 8
    print("%d passed, %d failed" % (total - bad, bad))
    return 1 if bad else 0


# ---------------------------------------------------------------------------

def main(argv=None):
    def common(q, top):
        d = (lambda v: v) if top else (lambda v: argparse.SUPPRESS)
        q.add_argument("--images", default=d(DEFAULT_IMAGES_JSON), help="images.json (default: next to this script)")
        q.add_argument("--cache", default=d(None),
                       help="cache root (default: $WHICHBASE_CACHE or ~/.cache/whichbase); data goes to <cache>/debian/")
        q.add_argument("--refresh", action="store_true", default=d(False),
                       help="re-fetch InRelease files even if younger than 12 h")
        q.add_argument("--jobs", type=int, default=d(8), help="parallel downloads (default 8)")
        q.add_argument("--no-gpg", action="store_true", default=d(False),
                       help="do not verify InRelease signatures with gpgv")
        q.add_argument("--strict", action="store_true", default=d(False),
                       help="fail when the mirror serves an index that does not match its InRelease "
                            "(default: warn and use it)")

    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    common(p, True)
    sub = p.add_subparsers(dest="cmd", required=True)

    s = sub.add_parser("stage", help="resolve, download and extract all image packages; write staging.json")
    common(s, False)
    s.add_argument("--out", help="staging JSON path (default <cache>/debian/staging.json)")

    r = sub.add_parser("rootfs", help="build the root filesystem of an image into a directory")
    common(r, False)
    r.add_argument("--release", required=True)
    r.add_argument("--arch", required=True)
    r.add_argument("--image", required=True, help="an image of images.json, 'scratch' or 'distro' (debian slim)")
    r.add_argument("--out", required=True, help="target directory (must be empty or absent)")
    r.add_argument("--add-package", action="append", default=[], metavar="PKG",
                   help="add PKG and its Depends closure (repeatable)")
    r.add_argument("--force", action="store_true", help="wipe a non-empty --out first")
    r.add_argument("--hardlink", action="store_true",
                   help="hardlink regular files from the cache instead of copying (do not modify them then)")

    common(sub.add_parser("selftest", help="check version comparison and parsers (no network)"), False)

    args = p.parse_args(argv)
    cache = args.cache or os.environ.get("WHICHBASE_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "whichbase")
    try:
        if args.cmd in ("stage", "rootfs") and not shutil.which("dpkg-deb"):
            raise Error("dpkg-deb not found (apt-get install dpkg)")
        cfg = Config(args.images)
        ar = Archive(cfg, os.path.abspath(cache), refresh=args.refresh, jobs=max(1, args.jobs),
                     verify_gpg=not args.no_gpg, strict=args.strict)
        if args.cmd == "stage":
            return cmd_stage(args, cfg, ar)
        if args.cmd == "rootfs":
            return cmd_rootfs(args, cfg, ar)
        return cmd_selftest(args, cfg, ar)
    except Error as e:
        sys.stderr.write("debian.py: error: %s\n" % e)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
