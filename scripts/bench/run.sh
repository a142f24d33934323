#!/usr/bin/env bash
# Benchmark harness: gyrus against its peer (numpy/scipy), on the same input, in turns.
#
#   scripts/bench/run.sh [-n REPS] [-g GYRUS] NAME...     one or more benchmarks
#   scripts/bench/run.sh all                              every benchmark
#   scripts/bench/run.sh -l                               list them
#
# A benchmark is a folder scripts/bench/NAME/ with
#   bench.conf   shell variables: DESCRIPTION, INPUTS ("A=ROWSxCOLS:SEED ..."), and optionally
#                FLOPS (for GFLOP/s), PEER_LABEL, NATIVE_LABEL, NATIVE_PKGS (pkg-config
#                modules native.c links with), CHECK_TOL (default 1e-8), REPS (default 5)
#   gyrus.lua    the gyrus side, run as `gyrus gyrus.lua INPUT_DIR`
#   peer.py      the peer side, run as `/usr/bin/python3 peer.py INPUT_DIR`
#   native.c     optional: a C program on the same inputs (e.g. the machine's DGEMM rate),
#                compiled here with cc and pkg-config
# The inputs are generated once per benchmark (gen.py: raw little-endian float64, column
# major) into a temporary folder that every side reads. Each side times only its kernel and
# prints `time SECONDS` (and `check VALUE`, a sum of fixed entries of its result, which must
# agree across sides). Sides run alternately, REPS times each (-n, else the benchmark's REPS,
# else 5), the order flipped on every other round; the table shows medians, minima, GFLOP/s
# the peak resident memory of each side (when its report gives it; the smallest over the
# rounds, so that one-off work such as making the shared input does not count) and the
# ratio peer/gyrus.
#
# Threads: every side gets the same environment. With OPENBLAS_NUM_THREADS unset (the
# default) OpenBLAS uses all cores on every side; set it (e.g. to 1) to compare one thread.
# GYRUS (or -g) names the gyrus binary (default: build/gyrus); BENCH_TSV=FILE appends one
# line per side (name, side, reps, median, min, gflops) for the record.
set -euo pipefail

home="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$home/../.." && pwd)"
python=/usr/bin/python3
reps=""
gyrus="${GYRUS:-}"
keep=0

usage() { sed -n '2,6p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
die() { printf 'bench: %s\n' "$*" >&2; exit 2; }

list() { for d in "$home"/*/; do [ -f "$d/bench.conf" ] && basename "$d"; done; return 0; }

while getopts "n:g:klh" opt; do
  case "$opt" in
    n) reps="$OPTARG" ;;
    g) gyrus="$OPTARG" ;;
    k) keep=1 ;;
    l) list; exit 0 ;;
    h) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { usage >&2; exit 2; }
[ -z "$reps" ] || [[ "$reps" =~ ^[1-9][0-9]*$ ]] || die "-n wants a positive count, got '$reps'"
if [ "$1" = all ]; then mapfile -t names < <(list); else names=("$@"); fi

if [ -z "$gyrus" ]; then
  if [ -x "$root/build/gyrus" ]; then gyrus="$root/build/gyrus"
  elif command -v gyrus >/dev/null 2>&1; then gyrus="$(command -v gyrus)"
  else die "no gyrus binary: build it (cmake --build build) or pass -g PATH"; fi
fi
[ -x "$gyrus" ] || die "not executable: $gyrus"
[ -x "$python" ] || die "$python is missing (apt-get install python3-numpy)"

median() { tr ' ' '\n' <<< "$1" | grep . | sort -g |
  awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
minimum() { tr ' ' '\n' <<< "$1" | grep . | sort -g | head -n 1; }
same() {  # same A B TOL: |A - B| <= TOL * max(1, |B|)
  awk -v a="$1" -v b="$2" -v tol="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; s = b < 0 ? -b : b
    if (s < 1) s = 1; exit !(d <= tol * s) }'; }

ncores="$(nproc 2>/dev/null || echo '?')"
threads="OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-unset (all $ncores cores on every side)}"
if [ -n "${OMP_NUM_THREADS:-}" ]; then threads="$threads, OMP_NUM_THREADS=$OMP_NUM_THREADS"; fi
numpy_blas="$("$python" -c 'import numpy as np, os
np.ones((2, 2)) @ np.ones((2, 2))
libs = {os.path.basename(os.path.realpath(l.split()[-1])) for l in open("/proc/self/maps") if "/" in l}
libs = sorted(l for l in libs if "blas" in l.lower())
print(([l for l in libs if "openblas" in l.lower()] + libs + ["unknown"])[0])' 2>/dev/null || echo unknown)"
gyrus_blas="$(ldd "$(dirname "$gyrus")/libgyrus.so" "$gyrus" 2>/dev/null |
  awk '/blas/ && !f { print $3; f = 1 }' | xargs -r realpath | xargs -r basename)"

tmp=""
cleanup() { [ -n "$tmp" ] && [ "$keep" -eq 0 ] && rm -rf "$tmp"; return 0; }
trap cleanup EXIT

run_bench() {
  local name="$1" bdir="$home/$1"
  [ -f "$bdir/bench.conf" ] || { echo "bench: no benchmark '$name' (scripts/bench/run.sh -l lists them)" >&2; return 1; }
  local DESCRIPTION="$name" INPUTS="" FLOPS="" PEER_LABEL="numpy" NATIVE_LABEL="native" \
    NATIVE_PKGS="" CHECK_TOL="1e-8" REPS=5
  # shellcheck disable=SC1091
  . "$bdir/bench.conf"
  local reps="${reps:-$REPS}"

  cleanup
  tmp="$(mktemp -d "${TMPDIR:-/tmp}/gybench.$name.XXXXXX")"
  if [ "$keep" -eq 1 ]; then echo "bench: inputs and outputs kept in $tmp"; fi
  # shellcheck disable=SC2086
  "$python" "$home/gen.py" "$tmp" $INPUTS || { echo "bench: $name: input generation failed" >&2; return 1; }

  local sides=(gyrus) side
  declare -A label=([gyrus]="gyrus") times=() check=() peak=()
  if [ -f "$bdir/peer.py" ]; then sides+=(peer); label[peer]="$PEER_LABEL"; fi
  if [ -f "$bdir/native.c" ]; then
    # shellcheck disable=SC2046,SC2086
    cc -O2 -std=c11 -o "$tmp/native" "$bdir/native.c" \
      $( [ -n "$NATIVE_PKGS" ] && pkg-config --cflags --libs $NATIVE_PKGS ) -lm ||
      { echo "bench: $name: cannot build native.c" >&2; return 1; }
    sides+=(native); label[native]="$NATIVE_LABEL"
  fi

  run_side() {
    local s="$1" out="$tmp/out.$1" err="$tmp/err.$1" t c m
    case "$s" in
      gyrus) GY_BENCH_HOME="$home" GY_BENCH_DIR="$tmp" "$gyrus" "$bdir/gyrus.lua" "$tmp" ;;
      peer) GY_BENCH_HOME="$home" GY_BENCH_DIR="$tmp" PYTHONPATH="$home${PYTHONPATH:+:$PYTHONPATH}" \
              "$python" "$bdir/peer.py" "$tmp" ;;
      native) "$tmp/native" "$tmp" ;;
    esac < /dev/null > "$out" 2> "$err" || {
      echo "bench: $name: the ${label[$s]} side failed:" >&2; head -n 40 "$err" >&2; return 1; }
    t="$(awk '$1 == "time" { print $2; exit }' "$out")"
    c="$(awk '$1 == "check" { print $2; exit }' "$out")"
    m="$(awk '$1 == "peak_mb" { print $2; exit }' "$out")"
    [ -n "$m" ] && peak[$s]="$(awk -v a="${peak[$s]:-}" -v b="$m" 'BEGIN { print (a == "" || b < a) ? b : a }')"
    [ -n "$t" ] || { echo "bench: $name: the ${label[$s]} side printed no 'time' line" >&2; return 1; }
    times[$s]+="$t "
    check[$s]="$c"
  }

  echo
  echo "== $name: $DESCRIPTION"
  echo "   $reps rounds, sides alternating; $threads"
  local r order
  for ((r = 1; r <= reps; r++)); do
    order=("${sides[@]}")
    if ((r % 2 == 0)); then order=(); for ((i = ${#sides[@]} - 1; i >= 0; i--)); do order+=("${sides[i]}"); done; fi
    for side in "${order[@]}"; do run_side "$side" || return 1; done
  done

  local status=0 med mn gf verdict gmed
  gmed="$(median "${times[gyrus]}")"
  printf '   %-18s %10s %10s %9s %9s  %s\n' side "median s" "min s" "GFLOP/s" "peak MB" "check"
  for side in "${sides[@]}"; do
    med="$(median "${times[$side]}")"
    mn="$(minimum "${times[$side]}")"
    gf="-"
    [ -n "$FLOPS" ] && gf="$(awk -v f="$FLOPS" -v t="$med" 'BEGIN { printf "%.1f", f / t / 1e9 }')"
    verdict=""
    if [ "$side" != gyrus ] && [ -n "${check[$side]}" ] && [ -n "${check[gyrus]}" ]; then
      if same "${check[$side]}" "${check[gyrus]}" "$CHECK_TOL"; then verdict="(agrees)"
      else verdict="MISMATCH with gyrus (tol $CHECK_TOL)"; status=1; fi
    fi
    printf '   %-18s %10.4f %10.4f %9s %9s  %s %s\n' "${label[$side]}" "$med" "$mn" "$gf" "${peak[$side]:--}" "${check[$side]:--}" "$verdict"
    if [ -n "${BENCH_TSV:-}" ]; then
      printf '%s\t%s\t%d\t%s\t%s\t%s\n' "$name" "${label[$side]}" "$reps" "$med" "$mn" "$gf" >> "$BENCH_TSV"
    fi
  done
  if [ -n "${times[peer]:-}" ]; then
    awk -v p="$(median "${times[peer]}")" -v g="$gmed" -v l="${label[peer]}" \
      'BEGIN { printf "   ratio %s / gyrus: %.2f (above 1: gyrus is faster)\n", l, p / g }'
  fi
  if [ -n "${times[native]:-}" ]; then
    awk -v n="$(median "${times[native]}")" -v g="$gmed" -v l="${label[native]}" \
      'BEGIN { printf "   gyrus runs at %.0f%% of the %s rate\n", 100 * n / g, l }'
  fi
  return "$status"
}

echo "gyrus benchmarks: gyrus=$gyrus (BLAS: ${gyrus_blas:-?}), peer=$python (numpy BLAS: $numpy_blas)"
overall=0
for n in "${names[@]}"; do
  run_bench "$n" || overall=1
done
exit "$overall"
