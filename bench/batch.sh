#!/usr/bin/env bash
# Batch hard links: `mklnk "src/*" dst` against a raw C linkat loop (the one-thread limit), `ln -t` fed by
# find|xargs, and `cp -al`, on the same files, in one run. Fresh destination directories every round, rounds
# alternating, medians reported. Usage: bench/batch.sh [files] [rounds] [dir...]
# The default directories are a tmpfs (/dev/shm) and the file system of the work tree (ext4 here).
set -euo pipefail
cd "$(dirname "$0")/.."
files=${1:-100000}
rounds=${2:-3}
shift 2 || true
dirs=("$@")
[ ${#dirs[@]} -gt 0 ] || dirs=(/dev/shm "$PWD/bench/data")
cargo build --release --locked -q
mklnk=$PWD/target/release/mklnk
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
gcc -O2 -o "$work/linkat_loop" bench/linkat_loop.c

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
now() { date +%s%N; }

for base in "${dirs[@]}"; do
  mkdir -p "$base"
  root=$(mktemp -d "$base/mklnk-batch.XXXXXX")
  mkdir "$root/src"
  # Small files with distinct names, made once per file system (not timed).
  (cd "$root/src" && seq -f 'file%06g.dat' 1 "$files" | xargs touch)
  fs=$(findmnt -no FSTYPE -T "$root" | head -1)
  declare -A t=()
  tools=(c mklnk ln cp)
  for r in $(seq 1 "$rounds"); do
    # Rotate the order each round so that no tool always runs right after another's deletions.
    order=("${tools[@]:$(( (r - 1) % 4 ))}" "${tools[@]:0:$(( (r - 1) % 4 ))}")
    for tool in "${order[@]}"; do
      dst="$root/$tool-$r"
      [ "$tool" = cp ] || mkdir "$dst"
      sync
      start=$(now)
      case $tool in
        c) "$work/linkat_loop" "$root/src" "$dst" 2>/dev/null ;;
        mklnk) "$mklnk" /Q "$root/src/*" "$dst" > /dev/null ;;
        ln) (cd "$root/src" && find . -mindepth 1 -maxdepth 1 -type f -print0 | xargs -0 ln -t "$dst") ;;
        cp) cp -al "$root/src" "$dst" ;;
      esac
      end=$(now)
      t[$tool]+="$((end - start)) "
      rm -rf "$dst"
    done
  done
  c=$(tr ' ' '\n' <<< "${t[c]}" | grep . | median)
  for tool in c mklnk ln cp; do
    m=$(tr ' ' '\n' <<< "${t[$tool]}" | grep . | median)
    awk -v tool="$tool" -v m="$m" -v c="$c" -v n="$files" -v fs="$fs" \
      'BEGIN { printf "| %s | %s | %d | %.2f µs/link | %.2f× |\n", fs, tool, n, m/n/1000, m/c }'
  done
  rm -rf "$root"
done
