#!/usr/bin/env bash
# The whole test suite from a clean clone: installs what is missing and fetches the data
# (scripts/setup.sh), configures and builds Release in build/, runs every test with ctest,
# and exits with ctest's status.
#
#   scripts/test.sh              everything
#   scripts/test.sh -R stats     extra arguments go to ctest
#
# GY_JOBS sets the parallelism of the build and of ctest (default: the number of cores).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
jobs="${GY_JOBS:-$(nproc 2>/dev/null || echo 2)}"

# The data cache that setup.sh fills and the specs read (fetch_data.sh's default), pinned
# once so both agree.
export GY_DATA="${GY_DATA:-${XDG_CACHE_HOME:-${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}/.cache}/gyrus/data}"
scripts/setup.sh

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j "$jobs"

status=0
ctest --test-dir build --output-on-failure -j "$jobs" "$@" || status=$?
exit "$status"
