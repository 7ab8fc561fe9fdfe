#!/usr/bin/env bash
# Seeds the fuzz corpora from the test inputs (testdata/build.sh must have run):
#   fuzz/corpus/inspect  the built programs and real artifacts, each prefixed with the byte
#                        that makes the target give it its file name (see inspect.rs)
#   fuzz/corpus/layers   small layer tars (a distroless root's /etc and dpkg database)
#   fuzz/corpus/image    a docker-save and an OCI archive of small images
#   fuzz/corpus/catalog  a trimmed combined catalog
# FUZZ_CORPUS=DIR writes them elsewhere (tests/cli/fuzz.rs does). Corpora are not committed
# (fuzz/corpus is ignored); crashes become tests in tests/cli/hostile.rs.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
T="$HERE/../testdata/out"
C="${FUZZ_CORPUS:-$HERE/corpus}"
[ -d "$T/images" ] || { echo "seed.sh: run testdata/build.sh first" >&2; exit 1; }
rm -rf "$C"; mkdir -p "$C"/{inspect,layers,image,catalog}

prefixed() { # BYTE FILE OUT: the file, at most 256 KiB of it, behind one byte
  { printf "\\x$1"; head -c 262144 "$2"; } > "$3"
}
for f in "$T"/*; do
  [ -f "$f" ] && prefixed 80 "$f" "$C/inspect/$(basename "$f")"
done
while IFS= read -r f; do
  case "$f" in
    *.py) b=01 ;; *.js|*.mjs|*.cjs) b=02 ;; *.jar|*.war) b=03 ;; *.node) b=04 ;;
    *.so) b=05 ;; *.sh) b=86 ;; *.dll|*.exe) b=07 ;; *) b=80 ;;
  esac
  prefixed $b "$f" "$C/inspect/art-$(echo "$f" | md5sum | cut -c1-12)"
done < <(find "$T/artifacts" -type f -size -4M)

D="$T/images/distroless12"
tar -C "$D" -cf "$C/layers/etc-dpkg.tar" etc var/lib/dpkg/status.d
tar -C "$D" -cf "$C/layers/links.tar" lib64 bin sbin 2>/dev/null || true
tar -C "$D" -cf "$C/layers/libc.tar" lib/x86_64-linux-gnu/libc.so.6 lib64

skopeo copy -q "oci:$T/images/fat:scratchy" "docker-archive:$C/image/scratchy-docker.tar:s:1"
skopeo copy -q "oci:$T/images/fat:multi-arm64" "oci-archive:$C/image/multi-arm64-oci.tar:m"

python3 - "$HERE/../src/catalog/data" "$C/catalog/small.json" <<'PY'
import json, os, sys
d, out = sys.argv[1:]
index = json.load(open(os.path.join(d, "index.json")))
p = json.load(open(os.path.join(d, "debian12-amd64.json")))
keep = list(p["packages"])[:3]
p["packages"] = {k: p["packages"][k] for k in keep}
for img in p["images"]:
    img["packages"] = [x for x in img["packages"] if x in keep]
dist = json.load(open(os.path.join(d, "distro-debian12.json")))
for k in ("library_packages", "interpreters", "slim_packages"):
    if isinstance(dist.get(k), dict):
        dist[k] = dict(list(dist[k].items())[:5])
index["releases"] = [r for r in index["releases"] if r["name"] == "debian12"]
for r in index["releases"]:
    r["arches"] = [a for a in r["arches"] if a["arch"] == "amd64"]
json.dump({"index": index, "platforms": [p], "distros": [dist]}, open(out, "w"))
PY
for t in inspect layers image catalog; do echo "$t: $(ls "$C/$t" | wc -l) seeds"; done
