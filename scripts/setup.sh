#!/usr/bin/env bash
# Prepares a Debian 12 (bookworm) machine for gyrus: installs the Debian packages the build,
# the tests and the reference scripts need, then fetches the real data sets into the cache
# (scripts/fetch_data.sh). Safe to run again: it installs only what is missing and fetches
# only what is not cached yet.
#
#   scripts/setup.sh            packages + data
#   GY_SKIP_DATA=1 scripts/setup.sh    packages only
#
# As root it runs apt-get itself; as another user it installs nothing and, if a package is
# missing, prints the apt-get line to run and stops.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

packages=(
  build-essential cmake pkg-config
  libluajit-5.1-dev luajit
  libopenblas-dev liblapacke-dev libfftw3-dev
  libplplot-dev plplot-driver-cairo
  libreadline-dev libnifti2-dev libmatio-dev libedf-dev zlib1g-dev
  libopenmpi-dev openmpi-bin
  python3 python3-numpy python3-scipy python3-sklearn python3-nibabel python3-networkx python3-mne python3-statsmodels python3-h5py
  clang-14 libclang-rt-14-dev
  xvfb xauth
)

say() { printf 'setup: %s\n' "$*"; }

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  say "this script needs a Debian system (dpkg-query and apt-get); install the packages by hand:"
  say "  ${packages[*]}"
  exit 1
fi

installed() {
  # "ii " = wanted install, installed ok; anything else (absent, half-configured, removed
  # with config files left) counts as missing.
  [ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null)" = "ii " ]
}

missing=()
for p in "${packages[@]}"; do
  installed "$p" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  say "all ${#packages[@]} Debian packages are installed"
else
  say "missing: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    say "run as root (or with sudo):"
    say "  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends -o Dpkg::Use-Pty=0 "${missing[@]}"
  still=()
  for p in "${missing[@]}"; do installed "$p" || still+=("$p"); done
  if [ ${#still[@]} -ne 0 ]; then
    say "apt-get finished but these are still not installed: ${still[*]}"
    exit 1
  fi
  say "installed ${#missing[@]} packages"
fi

if [ "${GY_SKIP_DATA:-0}" = 1 ]; then
  say "GY_SKIP_DATA=1: not fetching data"
  exit 0
fi
exec "$here/fetch_data.sh"
