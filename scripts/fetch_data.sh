#!/usr/bin/env bash
# Fetches the real data sets gyrus's scripts and tests use, from Debian packages, into a cache
# folder, and writes an index $GY_DATA/paths.lua that Lua code loads to find them:
#
#   return { root = ..., nitime_dir = ..., nibabel_data = ..., mricron_dir = ..., nipy_dir = ... }
#
# Each *_dir is the folder that holds the files themselves (fmri_timeseries.csv, example4d.nii.gz,
# aal.nii.gz, functional.nii.gz). The cache is $GY_DATA, by default
# ${XDG_CACHE_HOME:-$HOME/.cache}/gyrus/data. Packages are fetched with `apt-get download` and
# unpacked with `dpkg -x`: nothing is installed and nothing but apt touches the network. A
# stamp per package (holding its version) makes a second run a no-op; a package that this
# Debian does not have is skipped with a warning and left out of paths.lua.
set -euo pipefail

say() { printf 'fetch_data: %s\n' "$*"; }
warn() { printf 'fetch_data: warning: %s\n' "$*" >&2; }
die() { printf 'fetch_data: error: %s\n' "$*" >&2; exit 1; }

home="${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}"
cache="${GY_DATA:-${XDG_CACHE_HOME:-$home/.cache}/gyrus/data}"
mkdir -p "$cache/pkgs" "$cache/stamps"
cache="$(cd "$cache" && pwd)"

# package | key in paths.lua | find -path pattern of a file in the folder that key names
datasets=(
  "python3-nitime|nitime_dir|*/nitime/data/fmri_timeseries.csv"
  "python3-nibabel|nibabel_data|*/nibabel/tests/data/example4d.nii.gz"
  "mricron-data|mricron_dir|*/mricron/templates/aal.nii.gz"
  "python3-nipy|nipy_dir|*/nipy/testing/functional.nii.gz"
)

apt_opts=(-q)
# As root apt drops to the _apt user for downloads, which cannot write into our folder.
[ "$(id -u)" -eq 0 ] && apt_opts+=(-o APT::Sandbox::User=root)

declare -A candidates=()
# One apt-cache call for all packages (each call reads the whole cache: ~1 s).
load_candidates() {
  local names=() e p v
  for e in "${datasets[@]}"; do names+=("${e%%|*}"); done
  while read -r p v; do candidates[$p]="$v"; done < <(
    apt-cache policy "${names[@]}" 2>/dev/null |
      awk '/^[^ ]/ { sub(":$", "", $1); p = $1 } $1 == "Candidate:" { print p, $2 }')
}
candidate() { printf '%s' "${candidates[$1]:-}"; }
load_candidates

lists_updated=0
# A fresh machine may have no package lists at all; refresh them once, if we may.
refresh_lists() {
  [ "$lists_updated" -eq 0 ] && [ "$(id -u)" -eq 0 ] || return 1
  say "refreshing the package lists (apt-get update)"
  DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
  lists_updated=1
  load_candidates
}

tmp="$(mktemp -d "$cache/.fetch.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"

fetch() {  # fetch PACKAGE VERSION: download and unpack into $cache/pkgs/PACKAGE
  local p="$1" v="$2" deb
  say "downloading $p $v"
  if ! (cd "$tmp" && apt-get download "${apt_opts[@]}" "$p" >/dev/null); then
    refresh_lists || return 1
    (cd "$tmp" && apt-get download "${apt_opts[@]}" "$p" >/dev/null) || return 1
  fi
  deb="$(find "$tmp" -maxdepth 1 -name "${p}_*.deb" -print -quit)"
  [ -n "$deb" ] || return 1
  # The lists may have been refreshed since VERSION was read: stamp what actually came.
  v="$(dpkg-deb -f "$deb" Version)" || return 1
  # Unpack beside the old copy and swap, so an interrupted run never leaves half a package.
  rm -rf "$tmp/x"
  # (fetch runs as an `if` condition, where set -e is off: each step checks itself.)
  dpkg -x "$deb" "$tmp/x" || return 1
  rm -rf "$cache/pkgs/$p.old"
  if [ -d "$cache/pkgs/$p" ]; then mv "$cache/pkgs/$p" "$cache/pkgs/$p.old"; fi
  mv "$tmp/x" "$cache/pkgs/$p" || return 1
  rm -rf "$cache/pkgs/$p.old" "$deb"
  printf '%s\n' "$v" > "$cache/stamps/$p"
}

lua_string() {
  local s="$1"
  case "$s" in *$'\n'*) die "a path with a newline cannot go into paths.lua: $s" ;; esac
  s="${s//\\/\\\\}"
  s="${s//\"/\\\"}"
  printf '"%s"' "$s"
}

index=()     # lines of paths.lua
versions=()
for entry in "${datasets[@]}"; do
  IFS='|' read -r p key pattern <<< "$entry"
  stamp="$cache/stamps/$p"
  have=""
  [ -f "$stamp" ] && [ -d "$cache/pkgs/$p" ] && have="$(cat "$stamp")"

  cand="$(candidate "$p")"
  if [ -z "$cand" ] || [ "$cand" = "(none)" ]; then
    # No package lists, or this Debian lacks the package. A cached copy is good enough.
    if [ -z "$have" ] && refresh_lists; then cand="$(candidate "$p")"; fi
  fi
  if [ -z "$cand" ] || [ "$cand" = "(none)" ]; then
    if [ -n "$have" ]; then
      say "$p: no candidate in the package lists, keeping cached $have"
    else
      warn "$p is not available from apt here (apt-cache policy $p); skipping its data"
      continue
    fi
  elif [ "$have" = "$cand" ]; then
    say "$p $have: cached"
  else
    if fetch "$p" "$cand"; then
      have="$(cat "$stamp")"
    elif [ -n "$have" ]; then
      warn "could not download $p $cand; keeping cached $have"
    else
      die "could not download $p $cand (apt-get download $p)"
    fi
  fi

  file="$(find "$cache/pkgs/$p" -path "$pattern" -print -quit)"
  if [ -z "$file" ]; then
    warn "$p $have does not contain ${pattern#\*/}; skipping its data"
    continue
  fi
  index+=("  $key = $(lua_string "$(dirname "$file")"),")
  versions+=("    [$(lua_string "$p")] = $(lua_string "$have"),")
done

# Written under a temporary name and renamed: a reader never sees half an index.
{
  printf -- '-- Written by scripts/fetch_data.sh: where the real data sets are. Do not edit.\n'
  printf 'return {\n'
  printf '  root = %s,\n' "$(lua_string "$cache")"
  [ ${#index[@]} -gt 0 ] && printf '%s\n' "${index[@]}"
  printf '  versions = {\n'
  [ ${#versions[@]} -gt 0 ] && printf '%s\n' "${versions[@]}"
  printf '  },\n}\n'
} > "$tmp/paths.lua"
mv "$tmp/paths.lua" "$cache/paths.lua"

say "data are in $cache (GY_DATA); index: $cache/paths.lua"
for line in "${index[@]}"; do say "  ${line#  }"; done
