#!/usr/bin/env bash
# Builds real container images for `whichbase image` tests, with real tools from Debian:
# umoci (OCI image layout, layers with real whiteouts) and skopeo (docker-save and OCI
# archives). Nothing here is written by whichbase's own code. Output: out/images/.
#
#   fat/            an OCI layout: tags `fat` (Debian 12 + an application: 3 layers, one of
#                   them deleting files), `scratchy` (no base), `script` (a shell script as
#                   the entrypoint, no shell), `multi-amd64`, `multi-arm64`
#   fat-docker.tar  `fat` as `docker save` writes it (uncompressed layers, RepoTags)
#   fat-oci.tar     `fat` as an OCI archive (gzip layers)
#   multi/          an OCI layout whose index names two platforms (linux/amd64, linux/arm64)
#   distroless12/   a distroless base-nossl debian12 root directory (to check against)
#
# Run by build.sh after the test programs exist. Re-running rebuilds everything (~30 s).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$HERE/out/images"
BIN="$HERE/out"
log() { echo "images.sh: $*" >&2; }

need=()
command -v umoci >/dev/null || need+=(umoci)
command -v skopeo >/dev/null || need+=(skopeo)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null
fi
for f in cxx-dynamic c-origin lib/libfoo.so.1 go-static c-static zig-aarch64-musl; do
  [ -e "$BIN/$f" ] || { log "missing $BIN/$f: run build.sh first"; exit 1; }
done

rm -rf "$OUT"
mkdir -p "$OUT"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
L="$OUT/fat"

# The Debian 12 base: what debian:12-slim is made of plus libstdc++6, from Debian's packages.
python3 "$HERE/../scripts/debian.py" rootfs --release debian12 --arch amd64 --image distro \
  --add-package libstdc++6 --out "$WORK/base" >&2
python3 "$HERE/../scripts/debian.py" rootfs --release debian12 --arch amd64 --image base-nossl \
  --out "$OUT/distroless12" >&2

umoci init --layout "$L"
umoci new --image "$L:fat"
umoci unpack --image "$L:fat" "$WORK/b"
cp -a "$WORK/base/." "$WORK/b/rootfs/"
umoci repack --refresh-bundle --image "$L:fat" "$WORK/b"                      # layer 1: the Debian base
mkdir -p "$WORK/b/rootfs/app/bin/lib" "$WORK/b/rootfs/usr/local/bin"
cp "$BIN/cxx-dynamic" "$WORK/b/rootfs/app/bin/server"
cp "$BIN/c-origin" "$WORK/b/rootfs/app/bin/greeter"
cp "$BIN/lib/libfoo.so.1" "$WORK/b/rootfs/app/bin/lib/"
cp "$BIN/go-static" "$WORK/b/rootfs/usr/local/bin/tool"
printf 'greeting=hello\n' > "$WORK/b/rootfs/app/config.ini"
umoci repack --refresh-bundle --image "$L:fat" "$WORK/b"                      # layer 2: the application
rm -rf "$WORK/b/rootfs/usr/share/doc" "$WORK/b/rootfs/app/config.ini"
umoci repack --refresh-bundle --image "$L:fat" "$WORK/b"                      # layer 3: whiteouts only
umoci config --image "$L:fat" --config.entrypoint server --config.cmd --port=8080 \
  --config.env PATH=/app/bin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --config.workingdir /app --config.user 65532
umoci gc --layout "$L"

# An image with no base at all: a static program and nothing else.
umoci new --image "$L:scratchy"
umoci unpack --image "$L:scratchy" "$WORK/s"
mkdir -p "$WORK/s/rootfs/app"
cp "$BIN/c-static" "$WORK/s/rootfs/app/hello"
umoci repack --image "$L:scratchy" "$WORK/s"
umoci config --image "$L:scratchy" --config.entrypoint /app/hello

# A shell script as the entrypoint of an image without a shell: the classic
# `exec /app/run.sh: no such file or directory`.
umoci new --image "$L:script"
umoci unpack --image "$L:script" "$WORK/sc"
mkdir -p "$WORK/sc/rootfs/app"
cp "$BIN/c-static" "$WORK/sc/rootfs/app/hello"
printf '#!/bin/sh\nexec /app/hello "$@"\n' > "$WORK/sc/rootfs/app/run.sh"
chmod 755 "$WORK/sc/rootfs/app/run.sh"
umoci repack --image "$L:script" "$WORK/sc"
umoci config --image "$L:script" --config.entrypoint /app/run.sh

# Two platforms of one application.
for arch in amd64 arm64; do
  umoci new --image "$L:multi-$arch"
  umoci unpack --image "$L:multi-$arch" "$WORK/m-$arch"
  mkdir -p "$WORK/m-$arch/rootfs/app"
  if [ $arch = amd64 ]; then cp "$BIN/go-static" "$WORK/m-$arch/rootfs/app/svc"
  else cp "$BIN/zig-aarch64-musl" "$WORK/m-$arch/rootfs/app/svc"; fi
  umoci repack --image "$L:multi-$arch" "$WORK/m-$arch"
  umoci config --image "$L:multi-$arch" --architecture $arch --config.entrypoint /app/svc
done

skopeo copy -q "oci:$L:fat" "docker-archive:$OUT/fat-docker.tar:whichbase/fat:1"
skopeo copy -q "oci:$L:fat" "oci-archive:$OUT/fat-oci.tar:fat"

# The multi-platform layout: skopeo copies both images' blobs, then the index names the two
# manifests with their platforms (what `docker buildx` or `buildah manifest push` write).
M="$OUT/multi"
skopeo copy -q "oci:$L:multi-amd64" "oci:$M:amd64"
skopeo copy -q "oci:$L:multi-arm64" "oci:$M:arm64"
python3 - "$M" <<'PY'
import json, sys, os
m = sys.argv[1]
idx = json.load(open(os.path.join(m, "index.json")))
arch = {"amd64": "amd64", "arm64": "arm64"}
manifests = []
for d in idx["manifests"]:
    tag = d.get("annotations", {}).get("org.opencontainers.image.ref.name")
    d = dict(d)
    d["platform"] = {"os": "linux", "architecture": arch[tag]}
    d.pop("annotations", None)
    manifests.append(d)
inner = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": manifests}
data = json.dumps(inner).encode()
import hashlib
digest = hashlib.sha256(data).hexdigest()
open(os.path.join(m, "blobs", "sha256", digest), "wb").write(data)
idx["manifests"] = [{"mediaType": "application/vnd.oci.image.index.v1+json", "digest": "sha256:" + digest,
                     "size": len(data), "annotations": {"org.opencontainers.image.ref.name": "multi"}}]
json.dump(idx, open(os.path.join(m, "index.json"), "w"))
PY
log "done: $(ls "$OUT" | tr '\n' ' ')"
