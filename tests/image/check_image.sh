#!/usr/bin/env bash
# Builds the container image (scripts/build-image.sh: mmdebstrap + podman import) and, since
# containers cannot be started here, chroots into its root filesystem as the image's non-root
# user and runs `heapscope analyze` on the demo dump; the report must equal the host binary's.
# Usage: check_image.sh REPO_ROOT HEAPSCOPE_BINARY WORKDIR
set -euo pipefail
root="$1" binary="$2" work="$3"
demo="$root/samples/demo/pg-timer-leak.hprof.zst"
fail() { echo "image test: FAIL: $*" >&2; exit 1; }

[[ $EUID -eq 0 ]] || fail "needs root (mmdebstrap --mode=root, chroot)"
rm -rf "$work"
# a tag of its own, removed at the end: the test leaves no image in podman's storage
export HEAPSCOPE_IMAGE=localhost/heapscope-ctest:latest
trap 'podman --storage-driver vfs rmi -f "$HEAPSCOPE_IMAGE" >/dev/null 2>&1 || true' EXIT
bash "$root/scripts/build-image.sh" "$binary" "$work" || fail "build-image.sh failed (see above)"
rootfs="$work/rootfs"
[[ -s "$work/heapscope-oci.tar" ]] || fail "no OCI archive"
# The listing first: `tar | grep -q` under pipefail fails when grep stops reading before tar ends
# (SIGPIPE), and index.json comes before the last entries.
listing=$(tar -tf "$work/heapscope-oci.tar") || fail "cannot list the OCI archive"
grep -qx 'index.json' <<<"$listing" || fail "the archive has no OCI index.json"

# the image's shape: our binary, a non-root user, no compiler or apt
grep -q '^heapscope:x:10001:10001:' "$rootfs/etc/passwd" || fail "no user heapscope (10001)"
for tool in gcc g++ cc clang apt-get; do
  [[ ! -e "$rootfs/usr/bin/$tool" ]] || fail "$tool is in the image"
done

cp "$demo" "$rootfs/dumps/demo.hprof.zst"
chmod 644 "$rootfs/dumps/demo.hprof.zst"
set +e
chroot --userspec=10001:10001 "$rootfs" /usr/local/bin/heapscope analyze -q --format json \
  /dumps/demo.hprof.zst > "$work/in-image.json" 2> "$work/in-image.err"
rc=$?
set -e
[[ $rc -eq 1 ]] || fail "heapscope analyze in the image exited $rc (want 1: critical findings): $(cat "$work/in-image.err")"
# the same file from the host binary; only the path the report names differs
"$binary" analyze -q --format json "$rootfs/dumps/demo.hprof.zst" |
  sed "s#\"path\": \"$rootfs/dumps/demo.hprof.zst\"#\"path\": \"/dumps/demo.hprof.zst\"#" \
  > "$work/host.json" || true
cmp -s "$work/in-image.json" "$work/host.json" ||
  fail "the report in the image differs from the host's: diff $work/in-image.json $work/host.json"
grep -q '"worst_severity": "critical"' "$work/in-image.json" || fail "no critical verdict"
chroot --userspec=10001:10001 "$rootfs" /usr/local/bin/heapscope worker --help > /dev/null ||
  fail "heapscope worker --help does not run in the image (librdkafka missing?)"
echo "image test: heapscope analyze ran in the image's root filesystem as uid 10001; report equal to the host's"
