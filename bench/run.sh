#!/usr/bin/env bash
# Speed benchmark: whichbase against the ELF tools people use for the same question
# (readelf, file, ldd, libtree, scanelf, lddtree). See bench/README.md.
#
#   bench/run.sh [--quick] [--out FILE] [--keep-raw]
#
#   --quick     1 warm-up and 3 timed runs per command instead of 3 warm-ups and
#               hyperfine's default (at least 10 runs and 3 s)
#   --out FILE  where to write the Markdown report (default: bench/results.md)
#   --keep-raw  also copy hyperfine's JSON and log to bench/raw/ (gitignored)
#
# Installs what it needs with apt-get (idempotent), builds whichbase in release mode,
# builds a ~120 MiB static Go program once under ${WHICHBASE_CACHE:-~/.cache/whichbase}/bench/.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
OUT="$HERE/results.md"
QUICK=0
KEEP_RAW=0

usage() { sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while (($#)); do
    case $1 in
        --quick) QUICK=1 ;;
        --out) [[ $# -ge 2 ]] || { usage >&2; exit 2; }; OUT=$2; shift ;;
        --out=*) OUT=${1#--out=} ;;
        --keep-raw) KEEP_RAW=1 ;;
        -h | --help) usage; exit 0 ;;
        *) echo "run.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    esac
    shift
done
[[ $OUT == /* ]] || OUT="$PWD/$OUT"

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'run.sh: %s\n' "$*" >&2; exit 1; }

START_EPOCH=$(date +%s)
START_DATE=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

CACHE="${WHICHBASE_CACHE:-$HOME/.cache/whichbase}/bench"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/whichbase-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$CACHE" "$WORK/json"
LOG="$WORK/hyperfine.log"
: >"$LOG"

# ---------------------------------------------------------------- 0. tools
ensure_pkgs() {
    local need=() p
    for p in "$@"; do
        dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -qx 'install ok installed' || need+=("$p")
    done
    ((${#need[@]} == 0)) && return 0
    local sudo=()
    ((EUID == 0)) || sudo=(sudo)
    log "installing with apt-get: ${need[*]}"
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
}
# pax-utils gives scanelf and lddtree; lddtree is Python and needs pyelftools.
ensure_pkgs hyperfine libtree pax-utils python3 python3-pyelftools file binutils libc-bin \
    valgrind time gcc libc6-dev musl-tools golang-go git ca-certificates strace

command -v cargo >/dev/null || die "cargo not found: install a Rust toolchain (rust-version in Cargo.toml) first"
RUSTC_V=$(rustc --version 2>/dev/null || echo unknown)
CARGO_V=$(cargo --version 2>/dev/null || echo unknown)

# ---------------------------------------------------------------- 1. build whichbase
# The binary to ship (scripts/build-release.sh: static-pie), and for comparison the default
# `cargo build --release` one (dynamically linked).
log "building whichbase (scripts/build-release.sh, and cargo build --release)"
# The revision built, read before the build: an edit made while the benchmark runs must not
# label binaries built without it.
WB_REV=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "no commit")
WB_DIRTY=$(git -C "$ROOT" status --porcelain -- src Cargo.toml Cargo.lock build.rs 2>/dev/null | head -1)
[[ -n $WB_DIRTY ]] && WB_REV="$WB_REV + uncommitted changes"
SHIPPED=$("$ROOT/scripts/build-release.sh") || die "scripts/build-release.sh failed"
(cd "$ROOT" && cargo build --release --quiet)
[[ -x $ROOT/target/release/whichbase ]] || die "no binary at $ROOT/target/release/whichbase after the build"
# Measure private copies: a concurrent cargo build in the same tree must not swap them mid-run.
WB="$WORK/whichbase"
WB_DYN="$WORK/whichbase-dynamic"
cp "$SHIPPED" "$WB"
cp "$ROOT/target/release/whichbase" "$WB_DYN"
if ! "$WB" /usr/bin/ls >/dev/null 2>"$WORK/wb.err"; then
    die "whichbase does not work yet on /usr/bin/ls: $(head -3 "$WORK/wb.err")"
fi

# From here on only Debian's tools: a python3 or git earlier on PATH (pyenv, /usr/local)
# would change what is measured (lddtree runs '#!/usr/bin/env python3').
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
export LC_ALL=C

# ---------------------------------------------------------------- 2. inputs
is_elf() { [[ $(head -c4 -- "$1" 2>/dev/null | od -An -tx1 | tr -d ' \n') == 7f454c46 ]]; }
human() { numfmt --to=iec-i --suffix=B --format='%.1f' "$1"; }

log "preparing inputs"
TINY="$WORK/tiny"
gcc -O2 -o "$TINY" "$HERE/src/tiny.c"
NOOP="$WORK/noop"
gcc -O2 -static-pie -o "$NOOP" "$HERE/src/noop.c"
# The same no-op on musl, whose start-up probes nothing, and a musl program executing 100
# CPUIDs: together they show what glibc's start-up costs on this machine and why.
NOOP_MUSL="$WORK/noop-musl"
musl-gcc -O2 -static -o "$NOOP_MUSL" "$HERE/src/noop.c"
CPUID="$WORK/cpuid-musl"
musl-gcc -O2 -static -o "$CPUID" "$HERE/src/cpuid.c"

GIT=/usr/bin/git
[[ -x $GIT ]] || die "/usr/bin/git missing although the git package is installed"

find /usr/lib/x86_64-linux-gnu -type f -name '*.so*' -printf '%s\t%p\n' | sort -rn >"$WORK/libs.tsv"
LIB=
while IFS=$'\t' read -r _ p; do
    if is_elf "$p"; then LIB=$p; break; fi
done <"$WORK/libs.tsv"
[[ -n $LIB ]] || die "no shared library found under /usr/lib/x86_64-linux-gnu"

# The big static Go program, built once (rebuilt when its sources or Go change).
# WHICHBASE_BENCH_GO_MIB sets its size (issue 7 asks for a 700 MB one: 700).
BIG_MIB=${WHICHBASE_BENCH_GO_MIB:-120}
BIG_BYTES=$((BIG_MIB * 1024 * 1024))
BIGDIR="$CACHE/big-$BIG_MIB"
BIG="$BIGDIR/big"
GO_V=$(go version)
STAMP=$(cat "$HERE/src/big.go" "$HERE/src/genblob.go" <(echo "$BIG_BYTES $GO_V") | sha256sum | cut -c1-16)
if [[ ! -x $BIG || $(cat "$BIGDIR/stamp" 2>/dev/null) != "$STAMP" ]]; then
    log "building the static Go program (once; cached in $BIGDIR)"
    mkdir -p "$BIGDIR"
    rm -f "$BIGDIR/stamp"
    cp "$HERE/src/big.go" "$BIGDIR/big.go"
    printf 'module whichbase.bench/big\n\ngo 1.16\n' >"$BIGDIR/go.mod"
    if [[ $(stat -c %s "$BIGDIR/blob.bin" 2>/dev/null || echo 0) != "$BIG_BYTES" ]]; then
        (cd "$HERE/src" && GOFLAGS= go run genblob.go "$BIGDIR/blob.bin.tmp" "$BIG_BYTES")
        mv "$BIGDIR/blob.bin.tmp" "$BIGDIR/blob.bin"
    fi
    (cd "$BIGDIR" && CGO_ENABLED=0 GOFLAGS= go build -trimpath -o big.tmp . && mv big.tmp big)
    echo "$STAMP" >"$BIGDIR/stamp"
fi
"$BIG" >/dev/null || die "the static Go program does not run"

# Every ELF regular file directly in /usr/bin (symlinks skipped so nothing counts twice).
USRBIN=()
for f in /usr/bin/*; do
    [[ -f $f && ! -L $f ]] && is_elf "$f" && USRBIN+=("$f")
done
((${#USRBIN[@]} > 0)) || die "no ELF files in /usr/bin"
USRBIN_BYTES=$(stat -c %s -- "${USRBIN[@]}" | awk '{s+=$1} END {print s}')
printf '%s\n' "${USRBIN[@]}" >"$WORK/usrbin.list"

# Every ELF regular file under /usr/lib/x86_64-linux-gnu (recursively, symlinks skipped).
USRLIB=()
while IFS= read -r -d '' f; do
    is_elf "$f" && USRLIB+=("$f")
done < <(find /usr/lib/x86_64-linux-gnu -type f -print0 | sort -z)
((${#USRLIB[@]} > 0)) || die "no ELF files under /usr/lib/x86_64-linux-gnu"
USRLIB_BYTES=$(printf '%s\0' "${USRLIB[@]}" | xargs -0 stat -c %s -- | awk '{s+=$1} END {print s}')

# ---------------------------------------------------------------- 3. measurements
if ((QUICK)); then
    HF=(--warmup 1 --runs 3)
    MODE="quick (--warmup 1 --runs 3)"
else
    HF=(--warmup 3)
    MODE="full (--warmup 3, hyperfine's default run count: at least 10 runs and 3 s)"
fi

# The verdict line whichbase prints first ("PATH: TIER  IMAGE"), without the path.
verdict_of() {
    local line
    line=$("$WB" "$1" 2>&1 | head -1 || true)
    line=${line#"$1: "}
    printf '`%s`' "$(tr -s ' ' <<<"$line" | sed 's/|/\\|/g')"
}

: >"$WORK/inputs.tsv"
: >"$WORK/bench.tsv"
add_input() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$WORK/inputs.tsv"; }

NB=0
# bench KEY TOOL DISPLAY CMD...: one untimed run under /usr/bin/time (exit code, peak RSS,
# warms the page cache), then hyperfine without a shell (-N); -i only if that run failed.
bench() {
    local key=$1 tool=$2 display=$3
    shift 3
    NB=$((NB + 1))
    local json="$WORK/json/$NB-$key.json" rc=0 rss ign=() cmdline
    /usr/bin/time -f %M -o "$WORK/rss" "$@" >/dev/null 2>&1 || rc=$?
    rss=$(tail -1 "$WORK/rss")
    ((rc == 0)) || ign=(-i)
    cmdline=$(printf '%q ' "$@")
    printf '\n===== %s / %s (exit %s)\n' "$key" "$tool" "$rc" >>"$LOG"
    if ! hyperfine -N --style basic "${HF[@]}" "${ign[@]}" --export-json "$json" \
        -n "$tool" "$cmdline" >>"$LOG" 2>&1; then
        log "  $tool: hyperfine failed (see log); skipped"
        return 0
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$key" "$tool" "$display" "$json" "$rc" "$rss" >>"$WORK/bench.tsv"
    log "  $(printf '%-11s' "$tool") $(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%9.2f ms ± %.2f" % (r["mean"]*1e3, (r["stddev"] or 0)*1e3))' "$json")  exit $rc  rss ${rss} KiB"
}

# The single-file tool set; F is the input file.
bench_file() {
    local key=$1 F=$2
    log "input $key: $F"
    bench "$key" whichbase "whichbase FILE" "$WB" "$F"
    bench "$key" "whichbase (dynamic)" "whichbase FILE, cargo build --release" "$WB_DYN" "$F"
    bench "$key" "readelf -d" "readelf -d FILE" readelf -d "$F"
    bench "$key" "readelf -V" "readelf -V FILE" readelf -V "$F"
    bench "$key" file "file FILE" file "$F"
    bench "$key" ldd "ldd FILE" ldd "$F"
    bench "$key" libtree "libtree FILE" libtree "$F"
    bench "$key" "scanelf -n" "scanelf -n FILE" scanelf -n "$F"
    bench "$key" lddtree "lddtree FILE" lddtree "$F"
}

# Start-up: each tool asked for its version, which reads no file. Every one-file time below
# includes its tool's start-up; what a tool spends on a file is its time there less this.
add_input startup "start-up: each tool reading no file" \
    "Each tool run with \`--version\` (whichbase: exec, glibc and Rust start-up, self-relocation, clap), and \`bench/src/noop.c\` (\`int main(void) { return 0; }\`) linked static-pie like whichbase, $(human "$(stat -c %s "$NOOP")"): the floor of any glibc process here. The same no-op linked static with musl (\`musl-gcc -static\`), whose start-up probes no CPU features, and \`bench/src/cpuid.c\` executing 100 CPUID instructions, also on musl: the no-ops' difference is glibc's own start-up, and the CPUID row (less the musl no-op) is what one hundred of the probes it makes cost on this machine. Subtract a tool's row here from its one-file times to get what it spends on the file."
log "input startup: the tools' start-up"
bench startup whichbase "whichbase --version" "$WB" --version
bench startup "readelf" "readelf --version" readelf --version
bench startup libtree "libtree --version" libtree --version
bench startup "scanelf" "scanelf --version" scanelf --version
bench startup "noop (static-pie C)" "noop" "$NOOP"
bench startup "noop (static musl C)" "noop, musl" "$NOOP_MUSL"
bench startup "100 CPUID (static musl C)" "bench/src/cpuid.c 100, musl" "$CPUID" 100

add_input tiny "tiny: a small C program" \
    "\`bench/src/tiny.c\` built with \`gcc -O2\` (dynamic PIE, needs only libc), $(human "$(stat -c %s "$TINY")"). whichbase says: $(verdict_of "$TINY")"
bench_file tiny "$TINY"

add_input git "git: /usr/bin/git" \
    "\`$GIT\`, $(human "$(stat -c %s "$GIT")"), $(dpkg-query -W -f='git ${Version}' git). whichbase says: $(verdict_of "$GIT")"
bench_file git "$GIT"

add_input lib "largest shared library: $(basename "$LIB")" \
    "\`$LIB\`, $(human "$(stat -c %s "$LIB")"), the largest ELF \`*.so*\` regular file under /usr/lib/x86_64-linux-gnu. whichbase says: $(verdict_of "$LIB")"
bench_file lib "$LIB"

add_input big "big: static Go program" \
    "\`bench/src/big.go\` with ~$BIG_MIB MiB of seeded random bytes \`//go:embed\`ded, \`CGO_ENABLED=0 go build\` ($GO_V), $(human "$(stat -c %s "$BIG")"), no interpreter, no DT_NEEDED. whichbase says: $(verdict_of "$BIG")"
bench_file big "$BIG"

add_input usrbin "all of /usr/bin: ${#USRBIN[@]} ELF files" \
    "Every ELF regular file directly in /usr/bin (symlinks skipped), ${#USRBIN[@]} files, $(human "$USRBIN_BYTES") in all. FILES stands for all of them: every tool below takes many paths, so each is **one process per run with all ${#USRBIN[@]} paths in its argv** (no xargs, no shell); whichbase prints one verdict per file."
log "input usrbin: ${#USRBIN[@]} ELF files in /usr/bin"
bench usrbin whichbase "whichbase FILES" "$WB" "${USRBIN[@]}"
bench usrbin "whichbase (dynamic)" "whichbase FILES, cargo build --release" "$WB_DYN" "${USRBIN[@]}"
bench usrbin "readelf -d" "readelf -d FILES" readelf -d "${USRBIN[@]}"
bench usrbin "readelf -V" "readelf -V FILES" readelf -V "${USRBIN[@]}"
bench usrbin file "file FILES" file "${USRBIN[@]}"
bench usrbin ldd "ldd FILES" ldd "${USRBIN[@]}"
bench usrbin libtree "libtree FILES" libtree "${USRBIN[@]}"
bench usrbin "scanelf -n" "scanelf -n FILES" scanelf -n "${USRBIN[@]}"
bench usrbin lddtree "lddtree FILES" lddtree "${USRBIN[@]}"
bench usrbin "whichbase DIR" "whichbase /usr/bin (walks it)" "$WB" /usr/bin
bench usrbin "scanelf -R DIR" "scanelf -R /usr/bin" scanelf -R /usr/bin

# The read floor: the reads whichbase makes on these files (recorded with strace, one trace
# file per thread), replayed by src/replay.c with nothing else: what reading those bytes
# costs before any parsing, lookup or output; see bench/README.md.
log "recording whichbase's reads for the read floor"
gcc -O2 -pthread -o "$WORK/replay" "$HERE/src/replay.c"
mkdir -p "$WORK/strace"
strace -ff -qq -y -e trace=read,pread64 -o "$WORK/strace/t" "$WB" "${USRBIN[@]}" >/dev/null 2>&1 || true
python3 - "$WORK/usrbin.list" "$WORK/reads.tsv" "$WORK"/strace/t.* <<'PY'
import os, re, sys
order = {p: i for i, p in enumerate(open(sys.argv[1]).read().split("\n")) if p}
real = {os.path.realpath(p): p for p in order}
pread = re.compile(r'^pread64\(\d+<(.*?)>, ".*, (\d+), (\d+)\)\s+= \d+$')
# A plain read is the first read of a file's head, from offset 0.
plain = re.compile(r'^read\(\d+<(.*?)>, ".*, (\d+)\)\s+= \d+$')
# strace -y escapes a path's unusual bytes: octal (">" is \76), \n, \t, \\ and \".
escape = re.compile(rb'\\([0-7]{1,3}|.)')
named = {b"n": b"\n", b"t": b"\t", b"r": b"\r", b"v": b"\v", b"f": b"\f"}
def unescape(text):
    def one(m):
        e = m.group(1)
        return bytes([int(e, 8)]) if e[:1].isdigit() else named.get(e, e)
    return os.fsdecode(escape.sub(one, os.fsencode(text)))
reads = {}
for trace in sys.argv[3:]:
    for line in open(trace, errors="surrogateescape"):
        line = line.rstrip("\n")
        m = pread.match(line) or plain.match(line)
        if not m:
            continue
        path = unescape(m.group(1))
        path = real.get(path, path if path in order else None)
        if path is not None:
            offset = m.group(3) if m.re is pread else "0"
            reads.setdefault(path, []).append((m.group(2), offset))
with open(sys.argv[2], "w") as out:
    for path in sorted(reads, key=order.get):
        for size, offset in reads[path]:
            out.write(f"{path}\t{size}\t{offset}\n")
PY
READ_BYTES=$(awk -F'\t' '{s+=$2} END {print s+0}' "$WORK/reads.tsv")
READ_FILES=$(cut -f1 "$WORK/reads.tsv" | sort -u | wc -l)
# A trace that missed files would give a floor that is too low: then there is none.
if ((READ_FILES == ${#USRBIN[@]})); then
    READ_SUMMARY="The read floor's trace: whichbase reads $(human "$READ_BYTES") of the ${#USRBIN[@]} /usr/bin files in $(wc -l <"$WORK/reads.tsv") reads."
    log "  $READ_SUMMARY"
    bench usrbin "read floor, 1 thread" "replay of whichbase's reads, 1 thread" "$WORK/replay" "$WORK/reads.tsv" 1
    bench usrbin "read floor, 2 threads" "replay of whichbase's reads, 2 threads" "$WORK/replay" "$WORK/reads.tsv" 2
else
    log "  the trace names $READ_FILES of the ${#USRBIN[@]} files: no read floor in this report"
fi

add_input usrlib "all of /usr/lib/x86_64-linux-gnu: ${#USRLIB[@]} ELF files" \
    "Every ELF regular file under /usr/lib/x86_64-linux-gnu (recursively, symlinks skipped), ${#USRLIB[@]} files, $(human "$USRLIB_BYTES") in all, all paths in one argv as for /usr/bin. Mostly shared libraries: whichbase gives each the tier where its own libraries resolve."
log "input usrlib: ${#USRLIB[@]} ELF files under /usr/lib/x86_64-linux-gnu"
bench usrlib whichbase "whichbase FILES" "$WB" "${USRLIB[@]}"
bench usrlib "readelf -d" "readelf -d FILES" readelf -d "${USRLIB[@]}"
bench usrlib "readelf -V" "readelf -V FILES" readelf -V "${USRLIB[@]}"
bench usrlib file "file FILES" file "${USRLIB[@]}"
bench usrlib libtree "libtree FILES" libtree "${USRLIB[@]}"
bench usrlib "scanelf -n" "scanelf -n FILES" scanelf -n "${USRLIB[@]}"

# A whole tree as one input, for memory above all: whichbase keeps every walked path and
# every program's outcome until it prints, so its peak grows with the tree.
USR_FILES=$(find /usr -type f | wc -l)
add_input usr "the whole of /usr as one directory: $USR_FILES files" \
    "\`whichbase /usr\` walks the tree (symlinks inside it followed, loops skipped) and decides every program it finds: ELF files, scripts, JARs; \`scanelf -R /usr\` reads its ELF files only. $USR_FILES regular files in all. The peak memory column is the row to read here."
log "input usr: /usr as one directory, $USR_FILES files"
bench usr whichbase "whichbase /usr" "$WB" /usr
bench usr "scanelf -R DIR" "scanelf -R /usr" scanelf -R /usr

# ---------------------------------------------------------------- 4. instruction counts
log "callgrind instruction counts"
callgrind_ir() {
    { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null || true; } |
        sed -n 's/.*Collected : *\([0-9][0-9]*\).*/\1/p' | tail -1
}
PERF_OK=0
if command -v perf >/dev/null && perf stat -x, -e instructions:u true 2>&1 >/dev/null |
    grep -q '^[0-9][0-9]*,.*instructions'; then
    PERF_OK=1
fi
perf_instr() {
    { perf stat -x, -r 5 -e instructions:u "$@" 2>&1 >/dev/null || true; } |
        awk -F, '/instructions/ {print $1; exit}'
}
: >"$WORK/instr.tsv"
instr() { # DISPLAY CMD...
    local display=$1 ir pf=
    shift
    ir=$(callgrind_ir "$@")
    ((PERF_OK)) && pf=$(perf_instr "$@")
    printf '%s\t%s\t%s\n' "$display" "${ir:-?}" "${pf:-n/a}" >>"$WORK/instr.tsv"
    log "  $(printf '%-40s' "$display") Ir=${ir:-?} perf=${pf:-n/a}"
}
instr "whichbase /usr/bin/git" "$WB" "$GIT"
instr "readelf -d /usr/bin/git" readelf -d "$GIT"
instr "libtree /usr/bin/git" libtree "$GIT"
instr "whichbase tiny" "$WB" "$TINY"
instr "whichbase FILES (all ${#USRBIN[@]} of /usr/bin)" "$WB" "${USRBIN[@]}"
instr "whichbase /usr/bin/git (dynamic build)" "$WB_DYN" "$GIT"
instr "whichbase --version" "$WB" --version
instr "readelf --version" readelf --version
instr "libtree --version" libtree --version
instr "noop (static-pie C)" "$NOOP"
instr "noop (static musl C)" "$NOOP_MUSL"

# Where whichbase's instructions go on /usr/bin/git (callgrind_annotate, function names only).
PROFILE="$WORK/profile.txt"
: >"$PROFILE"
if valgrind --tool=callgrind --callgrind-out-file="$WORK/wb-git.callgrind" "$WB" "$GIT" >/dev/null 2>&1; then
    clean() { sed -E 's/ \[[^]]*\]$//; s/\?\?\?://; s/^ +//' | cut -c1-160; }
    {
        echo "inclusive, whichbase's own functions:"
        callgrind_annotate --inclusive=yes "$WORK/wb-git.callgrind" 2>/dev/null |
            grep -E '^ *[0-9,]+ +\([ 0-9.]+%\) .*whichbase::' | head -12 | clean || true
        echo
        echo "exclusive (self), top 8:"
        callgrind_annotate "$WORK/wb-git.callgrind" 2>/dev/null |
            grep -E '^ *[0-9,]+ +\([ 0-9.]+%\) ' | grep -v 'PROGRAM TOTALS' | head -8 | clean || true
    } >"$PROFILE"
fi

# ---------------------------------------------------------------- 5. report
END_EPOCH=$(date +%s)
ELAPSED=$((END_EPOCH - START_EPOCH))
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
CPU=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
MEM=$(awk '/^MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)
pkgv() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo '?'; }
first() { "$@" 2>&1 | head -1 || true; }
IR_GIT=$(awk -F'\t' 'NR==1 {print $2}' "$WORK/instr.tsv")
IR_TINY=$(awk -F'\t' 'NR==4 {print $2}' "$WORK/instr.tsv")
IR_ALL=$(awk -F'\t' 'NR==5 {print $2}' "$WORK/instr.tsv")
PER_FILE=$(awk -v a="$IR_ALL" -v t="$IR_TINY" -v n="${#USRBIN[@]}" \
    'BEGIN { if (a ~ /^[0-9]+$/ && t ~ /^[0-9]+$/) printf "%.0f", (a - t) / (n - 1); else print "?" }')

{
    echo "# whichbase speed benchmark"
    echo
    echo "Written by \`bench/run.sh\`; see \`bench/README.md\` for what is measured and how to read it."
    echo
    echo "- Date: $START_DATE; the script took ${ELAPSED} s"
    echo "- Mode: $MODE"
    echo "- Machine: $(nproc) CPUs ($CPU), $MEM, Linux $(uname -r), Debian $(cat /etc/debian_version)"
    echo "- Load average (1/5/15 min) at start: $LOAD_START; at end: $LOAD_END. The machine may be shared with other work (builds, tests), which shows as noise in σ."
    echo "- Page cache warm: every command runs once untimed, then hyperfine's warm-ups, before timing."
    echo "- Commands run without a shell (\`hyperfine -N\`), output discarded, PATH=$PATH."
    echo "- \`whichbase\` is the binary to ship, built by \`scripts/build-release.sh\` (statically linked, static-pie); \`whichbase (dynamic)\` is the default \`cargo build --release\`, for comparison."
    echo
    echo "## Versions"
    echo
    echo "| Tool | Version |"
    echo "|---|---|"
    echo "| whichbase | $("$WB" --version 2>/dev/null | head -1 || echo '?') (git $WB_REV), $RUSTC_V, $CARGO_V |"
    echo "| hyperfine | $(first hyperfine --version) |"
    echo "| readelf | $(first readelf --version) |"
    echo "| file | $(first file --version) (libmagic $(pkgv libmagic1)) |"
    echo "| ldd | $(first ldd --version) |"
    echo "| libtree | $(first libtree --version) (Debian $(pkgv libtree)) |"
    echo "| scanelf | $(first scanelf --version) |"
    echo "| lddtree | pax-utils $(pkgv pax-utils), $(first python3 --version), pyelftools $(pkgv python3-pyelftools) |"
    echo "| valgrind | $(first valgrind --version) |"
    echo "| /usr/bin/time | GNU time (Debian $(pkgv time)) |"
    echo "| gcc | $(first gcc --version) |"
    echo "| go | $GO_V |"
    echo "| perf | $(if command -v perf >/dev/null; then first perf --version; else echo 'not installed'; fi) |"
    echo
    echo "## Wall time (hyperfine)"
    echo
    echo "Ratio to whichbase = peer mean / whichbase mean: above 1 means whichbase is faster, below 1 means the peer is."
    echo "Peak RSS is from one untimed run under \`/usr/bin/time -f %M\`. A non-zero exit code is that of the untimed run; hyperfine then ran with \`-i\`"
    echo "(ldd exits 1 on a static program, \"not a dynamic executable\"; libtree exits non-zero when some dependency is not found, after printing every file's tree)."
    echo
    python3 "$HERE/src/report.py" "$WORK/inputs.tsv" "$WORK/bench.tsv"
    if [[ -n ${READ_SUMMARY:-} ]]; then
        echo "$READ_SUMMARY"
        echo
    fi
    echo "## Instruction counts"
    echo
    echo "User-space instructions of the whole process (dynamic loader, libc start-up and exit included), from one run under \`valgrind --tool=callgrind\` (the \`Collected\` line)."
    if ((PERF_OK)); then
        echo "The perf column is \`perf stat -e instructions:u\`, mean of 5 runs."
    else
        echo "\`perf stat -e instructions\` is not usable here (the counter is \`<not supported>\`: no hardware PMU in this VM), so there is no perf column."
    fi
    echo
    if ((PERF_OK)); then
        echo "| Command | Instructions (callgrind) | Ratio to \`whichbase /usr/bin/git\` | Instructions (perf) |"
        echo "|---|---:|---:|---:|"
    else
        echo "| Command | Instructions (callgrind) | Ratio to \`whichbase /usr/bin/git\` |"
        echo "|---|---:|---:|"
    fi
    while IFS=$'\t' read -r d ir pf; do
        ratio=$(awk -v a="$ir" -v b="$IR_GIT" 'BEGIN { if (a ~ /^[0-9]+$/ && b ~ /^[0-9]+$/ && b > 0) { r = a / b; if (r >= 0.1) printf "%.2f", r; else printf "%.3g", r } else print "?" }')
        irf=$(sed ':a;s/\B[0-9]\{3\}\>/,&/;ta' <<<"$ir")
        if ((PERF_OK)); then
            echo "| \`$d\` | $irf | $ratio | $pf |"
        else
            echo "| \`$d\` | $irf | $ratio |"
        fi
    done <"$WORK/instr.tsv"
    echo
    echo "Marginal cost per file for whichbase, (all of /usr/bin − tiny) / (${#USRBIN[@]} − 1): about $(sed ':a;s/\B[0-9]\{3\}\>/,&/;ta' <<<"$PER_FILE") instructions per file; \`whichbase tiny\` is close to its fixed per-process cost (start-up, loading the embedded catalog)."
    echo
    if [[ -s $PROFILE ]]; then
        echo "### Where \`whichbase /usr/bin/git\` spends its instructions"
        echo
        echo "From \`callgrind_annotate\` on the same kind of run (Ir, share of the whole process)."
        echo
        echo '```'
        cat "$PROFILE"
        echo '```'
        echo
    fi
} >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"

if ((KEEP_RAW)); then
    rm -rf "$HERE/raw"
    mkdir -p "$HERE/raw"
    cp -r "$WORK/json" "$WORK/hyperfine.log" "$WORK/bench.tsv" "$WORK/inputs.tsv" "$WORK/instr.tsv" "$HERE/raw/"
fi
log "done in ${ELAPSED} s; report: $OUT"
