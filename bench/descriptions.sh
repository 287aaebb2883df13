#!/usr/bin/env bash
# Descriptions in a batch: `mklnk "src/file*" dst` over files that all have a DESCRIPT.ION line, against the same
# batch over the same number of files without a DESCRIPT.ION, in one run. Fresh destination directories every
# round, the two batches alternating; medians of wall-clock and of CPU (user + system) time reported, with the
# peak RSS of the last round of each.
# Usage: bench/descriptions.sh [files] [rounds] [dir]   (default: 200000 files, 3 rounds, /dev/shm, a tmpfs)
set -euo pipefail
cd "$(dirname "$0")/.."
files=${1:-200000}
rounds=${2:-3}
base=${3:-/dev/shm}
cargo build --release --locked -q
mklnk=$PWD/target/release/mklnk
root=$(mktemp -d "$base/mklnk-descriptions.XXXXXX")
trap 'rm -rf "$root"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
now() { date +%s%N; }

# Two source directories with the same names (not timed); only `described` has a DESCRIPT.ION, one line per file,
# as TCC writes them (8.3 names unquoted, CRLF).
mkdir "$root/plain" "$root/described"
(cd "$root/plain" && seq -f 'file%06g.dat' 1 "$files" | xargs touch)
(cd "$root/described" && seq -f 'file%06g.dat' 1 "$files" | xargs touch)
seq -f '%06g' 1 "$files" | awk '{ printf "\"file%s.dat\" Description of file number %s\r\n", $1, $1 }' \
  > "$root/described/DESCRIPT.ION"
fs=$(findmnt -no FSTYPE -T "$root" | head -1)

declare -A t=() cpu=()
for r in $(seq 1 "$rounds"); do
  order=(plain described)
  [ $((r % 2)) = 0 ] && order=(described plain)
  for src in "${order[@]}"; do
    dst="$root/dst-$src-$r"
    mkdir "$dst"
    sync
    start=$(now)
    /usr/bin/time -f '%M %U %S' -o "$root/time-$src" "$mklnk" /Q "$root/$src/file*" "$dst" > /dev/null
    end=$(now)
    t[$src]+="$((end - start)) "
    read -r rss user sys < "$root/time-$src"
    cpu[$src]+="$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%d", (u + s) * 1000 }') "
    echo "$rss" > "$root/rss-$src"
    if [ "$src" = described ]; then
      lines=$(wc -l < "$dst/DESCRIPT.ION")
      [ "$lines" = "$files" ] || { echo "expected $files description lines, found $lines" >&2; exit 1; }
    fi
    rm -rf "$dst"
  done
done
plain=$(tr ' ' '\n' <<< "${t[plain]}" | grep . | median)
described=$(tr ' ' '\n' <<< "${t[described]}" | grep . | median)
cpu_plain=$(tr ' ' '\n' <<< "${cpu[plain]}" | grep . | median)
cpu_described=$(tr ' ' '\n' <<< "${cpu[described]}" | grep . | median)
echo "| file system | files | wall: without | with | ratio | CPU: without | with | ratio | peak RSS without → with |"
awk -v fs="$fs" -v n="$files" -v p="$plain" -v d="$described" -v cp="$cpu_plain" -v cd="$cpu_described" \
  -v rp="$(cat "$root/rss-plain")" -v rd="$(cat "$root/rss-described")" \
  'BEGIN { printf "| %s | %d | %.2f s | %.2f s | **%.2f×** | %.2f s | %.2f s | %.2f× | %.1f → %.1f MiB |\n",
           fs, n, p/1e9, d/1e9, d/p, cp/1000, cd/1000, cd/cp, rp/1024, rd/1024 }'
