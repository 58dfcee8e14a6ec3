#!/usr/bin/env bash
# Builds the Heapscope container image from Debian packages only, without a registry:
#   1. a minimal Debian root filesystem with mmdebstrap: the essential set, the runtime libraries
#      the binary links (found with ldd + dpkg -S), CA certificates for TLS to Kafka, a non-root
#      user heapscope (10001:10001); no compiler, no apt;
#   2. our heapscope binary in /usr/local/bin;
#   3. an OCI image from that tree with `podman import` (USER 10001, ENTRYPOINT heapscope),
#      saved as an OCI archive; the image's size is printed.
#
# Usage: scripts/build-image.sh [--rootfs-only] BINARY OUTDIR
#   --rootfs-only   stop after the root filesystem (OUTDIR/rootfs); the tests chroot into it.
# Needs root (mmdebstrap --mode=root) and the Debian mirror of this machine's apt sources.
set -euo pipefail

rootfs_only=0
if [[ "${1:-}" == --rootfs-only ]]; then
  rootfs_only=1
  shift
fi
binary="${1:?usage: build-image.sh [--rootfs-only] BINARY OUTDIR}"
out="${2:?usage: build-image.sh [--rootfs-only] BINARY OUTDIR}"
tag="${HEAPSCOPE_IMAGE:-localhost/heapscope:0.1.0}"
suite="$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")"

die() { echo "build-image: $*" >&2; exit 1; }
command -v mmdebstrap >/dev/null || die "mmdebstrap is missing (apt-get install mmdebstrap)"
[[ -x "$binary" ]] || die "$binary is not an executable"

# The host's apt sources name the mirror this machine can reach.
sources=()
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
  [[ -s "$f" ]] && sources+=("$f")
done
((${#sources[@]})) || die "no apt sources in /etc/apt"
mirror="$(grep -hoE '^(URIs:|deb) +https?://[^ ]+' "${sources[@]}" | head -1 | awk '{print $2}')"
if [[ -n "$mirror" ]] && command -v curl >/dev/null &&
   ! curl -sfI --max-time 20 "$mirror/dists/$suite/Release" >/dev/null; then
  die "the Debian mirror $mirror is unreachable (no network?): cannot build the image"
fi

# The Debian package of every shared library the binary loads (libc6 comes with the essential set).
packages=()
while read -r lib; do
  pkg="$(dpkg -S "$lib" 2>/dev/null || dpkg -S "$(realpath "$lib")" 2>/dev/null ||
         dpkg -S "${lib#/usr}" 2>/dev/null || dpkg -S "/usr$lib" 2>/dev/null || true)"
  pkg="${pkg%%:*}"
  [[ -n "$pkg" ]] || die "no Debian package ships $lib"
  packages+=("$pkg")
done < <(ldd "$binary" | awk '$3 ~ /^\// {print $3} $1 ~ /^\// {print $1}')
packages+=(ca-certificates)
include="$(printf '%s\n' "${packages[@]}" | sort -u | paste -sd, -)"
echo "build-image: runtime packages: $include"

rm -rf "$out/rootfs"
mkdir -p "$out"
# Without its debug sections (a RelWithDebInfo build's are most of its size).
stripped="$out/heapscope"
if command -v strip >/dev/null; then strip -o "$stripped" "$binary"; else cp "$binary" "$stripped"; fi
mmdebstrap --mode=root --variant=essential --format=directory \
  --aptopt='Acquire::Check-Valid-Until "false"' \
  --include="$include" \
  --customize-hook='echo "heapscope:x:10001:10001:heapscope:/home/heapscope:/usr/sbin/nologin" >> "$1/etc/passwd"' \
  --customize-hook='echo "heapscope:x:10001:" >> "$1/etc/group"' \
  --customize-hook='mkdir -p "$1/home/heapscope" "$1/dumps" && chown 10001:10001 "$1/home/heapscope" "$1/dumps"' \
  --customize-hook="copy-in $(realpath "$stripped") /usr/local/bin" \
  --customize-hook='rm -rf "$1/var/lib/apt/lists"/* "$1/var/cache/apt"/* "$1/usr/share/doc" "$1/usr/share/man" "$1/usr/share/locale"' \
  "$suite" "$out/rootfs" "${sources[@]}" ||
  die "mmdebstrap failed (is the Debian mirror reachable?)"

# No compiler or package manager made it in.
for tool in gcc cc c++ g++ clang apt-get; do
  [[ ! -e "$out/rootfs/usr/bin/$tool" ]] || die "$tool is in the root filesystem"
done
echo "build-image: root filesystem $out/rootfs: $(du -sh "$out/rootfs" | cut -f1)"
((rootfs_only)) && exit 0

command -v podman >/dev/null || die "podman is missing (apt-get install podman)"
tar -C "$out/rootfs" --numeric-owner -cf "$out/rootfs.tar" .
podman --storage-driver vfs import \
  --change 'USER 10001' --change 'WORKDIR /home/heapscope' \
  --change 'ENTRYPOINT ["/usr/local/bin/heapscope"]' --change 'CMD ["--help"]' \
  "$out/rootfs.tar" "$tag" >/dev/null
podman --storage-driver vfs image save --format oci-archive -o "$out/heapscope-oci.tar" "$tag"
rm -f "$out/rootfs.tar"
size="$(podman --storage-driver vfs image inspect --format '{{.Size}}' "$tag")"
echo "build-image: $tag: $((size / 1024 / 1024)) MiB ($size bytes); OCI archive $out/heapscope-oci.tar ($(du -h "$out/heapscope-oci.tar" | cut -f1))"
