#!/usr/bin/env bash
# Builds the whichbase binary to ship: a release build linked statically (static-pie) for the
# host's target, so it starts without the dynamic loader and runs FROM scratch.
#
#   scripts/build-release.sh            # prints the path of the binary
#   scripts/build-release.sh --install  # also copies it to ${CARGO_HOME:-~/.cargo}/bin
#
# Why static: a dynamically linked whichbase spends about a quarter of a one-file run in
# ld.so (relocations and symbol lookups of libc and libgcc_s). `crt-static` is passed with an
# explicit --target so that it applies to whichbase alone; without --target it would also
# reach build scripts and proc-macro crates, which cannot be linked statically.
# static-pie rather than a fixed-address executable: whichbase reads untrusted files, and
# address randomisation costs only its start-up self-relocation: 45,000 instructions and the
# copy-on-write faults of 13 pages, 0.01 ms on `--version` to 0.08 ms on /usr/bin/git
# (2026-11-25; bench/README.md, "What start-up is made of"). Packing the relocations
# (-z pack-relative-relocs) saved none (2026-11-24).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HOST=$(rustc -vV | sed -n 's/^host: //p')
[[ -n $HOST ]] || { echo "build-release.sh: rustc -vV names no host triple" >&2; exit 2; }
case $HOST in
*-linux-gnu*) FLAGS="-C target-feature=+crt-static" ;;
# musl targets are static by default; others build as cargo does by default.
*) FLAGS="" ;;
esac
cd "$ROOT"
RUSTFLAGS="${RUSTFLAGS:-} $FLAGS" cargo build --release --locked --quiet --target "$HOST" >&2
BIN="$ROOT/target/$HOST/release/whichbase"
[[ -x $BIN ]] || { echo "build-release.sh: no binary at $BIN" >&2; exit 2; }
if [[ ${1:-} == --install ]]; then
    DEST="${CARGO_HOME:-$HOME/.cargo}/bin"
    mkdir -p "$DEST"
    cp "$BIN" "$DEST/whichbase"
    echo "$DEST/whichbase"
else
    echo "$BIN"
fi
