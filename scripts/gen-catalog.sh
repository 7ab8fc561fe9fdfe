#!/usr/bin/env bash
# Regenerates whichbase's image catalog from the real Debian packages.
#
#   scripts/gen-catalog.sh                 write src/catalog/data/ (commit the diff)
#   scripts/gen-catalog.sh --out DIR       write somewhere else (tests use this)
#   scripts/gen-catalog.sh --combined FILE also write the single-file form (--catalog FILE)
#
# 1. scripts/debian.py stage: downloads the .deb files each image in scripts/images.json is
#    made of (every release and architecture distroless publishes), verifies them against the
#    archive index, and unpacks them without running maintainer scripts (dpkg-deb -x). From the
#    archive's Contents indexes it also maps library files and interpreter commands to packages.
# 2. examples/gen-catalog.rs reads every shared object in them with whichbase's own inspector
#    and writes the catalog files, with each language image's runtime (python3's version and
#    interpreter read from its staged package).
# Downloads are cached in ${WHICHBASE_CACHE:-$HOME/.cache/whichbase}, so a second run is fast.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${WHICHBASE_CACHE:-$HOME/.cache/whichbase}
out="$here/src/catalog/data"
combined=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=$2; shift 2 ;;
    --combined) combined=(--combined "$2"); shift 2 ;;
    *) echo "gen-catalog.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
command -v dpkg-deb >/dev/null || { apt-get update -qq && apt-get install -y -qq dpkg; }
staging="$cache/debian/staging.json"
python3 "$here/scripts/debian.py" stage --out "$staging"
cd "$here"
cargo run --quiet --release --example gen-catalog -- \
  --definitions "$here/scripts/images.json" --staging "$staging" --out "$out" "${combined[@]}"
echo "gen-catalog.sh: wrote $out" >&2
