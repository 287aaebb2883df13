#!/usr/bin/env bash
# Start-up cost: 2,000 symlinks made by one process each, `mklink` against `ln -s`, in one run.
# Both are spawned by the same xargs (fork + exec, no shell in between), in fresh directories on tmpfs,
# alternating rounds; the figure is the median of the rounds. Usage: bench/startup.sh [count] [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-2000}
rounds=${2:-5}
cargo build --release --locked -q
mklink=$PWD/target/release/mklink
base=$(mktemp -d /dev/shm/mklink-startup.XXXXXX)
trap 'rm -rf "$base"' EXIT

# Argument lists: "link target" pairs for mklink, "target link" pairs for ln -s.
seq 1 "$count" | awk '{print "l" $1, "t" $1}' > "$base/mklink.args"
seq 1 "$count" | awk '{print "t" $1, "l" $1}' > "$base/ln.args"

time_ns() { # dir, args file, command...
  local dir=$1 args=$2; shift 2
  mkdir "$dir"
  local start end
  start=$(date +%s%N)
  (cd "$dir" && xargs -n 2 "$@" < "$args" > /dev/null)
  end=$(date +%s%N)
  echo $((end - start))
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

: > "$base/mklink.times"; : > "$base/ln.times"
for r in $(seq 1 "$rounds"); do
  time_ns "$base/m$r" "$base/mklink.args" "$mklink" >> "$base/mklink.times"
  time_ns "$base/n$r" "$base/ln.args" ln -s >> "$base/ln.times"
done
m=$(median < "$base/mklink.times")
n=$(median < "$base/ln.times")
awk -v m="$m" -v n="$n" -v c="$count" 'BEGIN {
  printf "| %s processes | mklink %.3f ms/process | ln -s %.3f ms/process | ratio %.2fx |\n", c, m/c/1e6, n/c/1e6, m/n
}'
