#!/usr/bin/env bash
# Installs the Debian 12 packages Heapscope needs to build and test, and nothing when all are
# present (no network then). `apt-get update` runs only if an install fails without it.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libboost-iostreams-dev libzstd-dev zlib1g-dev libbz2-dev
  qt6-base-dev libgtest-dev libgmock-dev libbenchmark-dev nlohmann-json3-dev libcli11-dev
  openjdk-17-jdk-headless zstd gzip
  clang-14 libclang-rt-14-dev clang-format
  abigail-tools python3-pytest
  python3-prometheus-client librdkafka-dev python3-yaml
  mmdebstrap podman curl
  chromium  # the HTML report is loaded in headless Chromium (tests/browser)
)

installed() {
  [[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" == installed ]]
}

if ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then
  echo "install-deps: not a Debian system; install these by hand: ${packages[*]}" >&2
  exit 1
fi

missing=()
for p in "${packages[@]}"; do
  installed "$p" || missing+=("$p")
done

# deploy/'s test renders with `kubectl kustomize`; Debian's kubernetes-client only where no kubectl
# is installed (they conflict).
if ! command -v kubectl >/dev/null && ! installed kubernetes-client; then
  missing+=(kubernetes-client)
fi

arch="$(dpkg --print-architecture)"
jdk="/usr/lib/jvm/java-17-openjdk-${arch}"
if [[ ! -d "$jdk" ]] && ! grep -qx openjdk-17-jdk-headless <<<"$(printf '%s\n' "${missing[@]}")"; then
  missing+=(openjdk-17-jdk-headless)
fi

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=()
if ((EUID != 0)); then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -y -q)

echo "install-deps: installing ${missing[*]}"
if ! "${apt[@]}" install --no-install-recommends "${missing[@]}"; then
  echo "install-deps: retrying after apt-get update"
  "${apt[@]}" update
  "${apt[@]}" install --no-install-recommends "${missing[@]}"
fi

[[ -d "$jdk" ]] || { echo "install-deps: $jdk still missing after install" >&2; exit 1; }
