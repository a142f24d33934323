#!/bin/sh
# Builds the libFuzzer harnesses of the file readers (NPY, NPZ, CSV/TSV, atlas label files written by gyrus;
# MATLAB .mat, EDF/BDF and NIfTI through matio, EDFlib and nifticlib behind gyrus's checks)
# with clang straight from the core sources, and runs each for SECONDS seconds. The
# libraries themselves are not instrumented: the harnesses find what reaches gyrus's code.
#   tests/fuzz/run.sh [SECONDS] [harness...]      (default 60 s, all harnesses)
# Needs clang and libclang-rt-dev (Debian: clang-14 libclang-rt-14-dev), zlib1g-dev,
# libmatio-dev, libedf-dev and libnifti2-dev.
# Seeds are committed under tests/fuzz/corpus/<parser>/; new inputs go to
# $GY_FUZZ_BUILD/corpus_<parser>/ (default build-fuzz/, git-ignored) and can be minimised
# with -merge=1 into the seeds. A crash stops that harness, leaves its input in
# tests/fuzz/out/ (git-ignored) and makes the script exit non-zero; turn every crash into a
# regression test under tests/c/ before fixing it.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
seconds=${1:-60}
[ $# -gt 0 ] && shift
harnesses=${*:-npy npz csv labels mat edf nifti}
CC=${CC:-clang}
command -v "$CC" >/dev/null || CC=clang-14
out=${GY_FUZZ_BUILD:-$root/build-fuzz}
mkdir -p "$out" "$here/out"
base="$root/core/src/io_file.c $root/core/src/mat.c $root/core/src/status.c"
status=0
for h in $harnesses; do
  bin="$out/fuzz_$h"
  extra=
  case $h in
    npy|npz|csv) core="$root/core/src/io_npy.c $root/core/src/io_csv.c"; libs="-lz" ;;
    labels) core="$root/core/src/io_labels.c"; libs="" ;;
    mat) core="$root/core/src/io_mat.c"; libs="-lmatio -lz" ;;
    edf) core="$root/core/src/io_edf.c"; libs="-ledf" ;;
    nifti) core="$root/core/src/io_nifti.c"; libs="-lnifti2 -lniftiio -lznz -lz"
      extra="-DGY_HAVE_NIFTI=1 -I/usr/include/nifti" ;;
    *) echo "unknown harness $h" >&2; exit 2 ;;
  esac
  echo "== building fuzz_$h"
  "$CC" -g -O1 -std=c11 -D_POSIX_C_SOURCE=200809L -fsanitize=fuzzer,address,undefined \
    -fno-sanitize-recover=undefined -I"$root/core/include" -I"$root/core/src" \
    ${extra:-} "$here/fuzz_$h.c" $core $base $libs -lm -o "$bin"
  mkdir -p "$here/corpus/$h" "$out/corpus_$h"
  echo "== running fuzz_$h for ${seconds}s"
  # matio mallocs what damaged sizes claim before it reads anything. gyrus's pre-scan
  # rejects the layouts found so far; beyond that, the mat harness runs as a process whose
  # allocations above 1 GB fail (as they would under a memory limit): matio must then fail
  # cleanly, which is what gyrus relies on. A fixed seed keeps CI repeatable
  # (GY_FUZZ_SEED=0 picks a new one each run).
  asan=
  [ "$h" = mat ] && asan="max_allocation_size_mb=1024:allocator_may_return_null=1"
  if ! ASAN_OPTIONS="${asan}${ASAN_OPTIONS:+:$ASAN_OPTIONS}" \
      "$bin" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 \
      -seed="${GY_FUZZ_SEED:-1}" \
      -artifact_prefix="$here/out/${h}-" -print_final_stats=1 \
      "$out/corpus_$h" "$here/corpus/$h" 2>"$out/fuzz_$h.log"; then
    echo "fuzz_$h FAILED; see $out/fuzz_$h.log and $here/out/" >&2
    tail -40 "$out/fuzz_$h.log" >&2
    status=1
  else
    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+.*DONE)' \
      "$out/fuzz_$h.log" || true
  fi
done
exit $status
