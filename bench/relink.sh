#!/usr/bin/env bash
# Re-pointing links after a move, on tmpfs: a tree of 100,000 files in 1,000 directories holding 1,000 absolute
# links into a directory that moved (`data/old` -> `data/new`) and 1,350 other links.
#  1. Re-point the 1,000 links: `mklnk --relink OLD NEW tree` against the usual shell loop
#     `find -type l | readlink | ln -sfn` (each direction alternately, 3 rounds each, median).
#  2. Scan and classify every link of the tree: `symlinks -r` (Debian's symlinks) against
#     `mklnk --relink NEW ELSEWHERE tree --dry-run` (reads every link, resolves it lexically, stats the 1,000 that
#     match and where they would lead) and
#     `mklink /L /S --symlinks` (reads every link and stats its target), in interleaved rounds
#     (bench/interleave.py).
# Usage: [ROUNDS=9] bench/relink.sh [work dir on tmpfs, default /dev/shm]
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
base=${1:-/dev/shm}
command -v symlinks >/dev/null || {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq symlinks
}
cargo build --release --locked -q
bin=$PWD/target/release
work=$(mktemp -d "$base/relink-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
python3 - "$work" <<'PY'
import os, sys
work = sys.argv[1]
tree = os.path.join(work, "tree")
os.makedirs(os.path.join(work, "data", "new"))
for d in range(1000):
    path = os.path.join(tree, f"a{d // 100:02d}", f"b{d % 100:02d}")
    os.makedirs(path)
    for i in range(100):
        open(os.path.join(path, f"f{i:03d}"), "wb").close()
    # One absolute link into the moved directory per directory, and one or two relative links elsewhere.
    os.symlink(os.path.join(work, "data", "old", f"t{d:04d}"), os.path.join(path, "moved-link"))
    os.symlink("f000", os.path.join(path, "rel-link"))
    if d % 20 < 7:
        os.symlink("../b00/f001", os.path.join(path, "up-link"))
for d in range(1000):
    open(os.path.join(work, "data", "new", f"t{d:04d}"), "wb").close()
PY
tree=$work/tree
old=$work/data/old
new=$work/data/new
echo "links: $(find "$tree" -type l | wc -l), files: $(find "$tree" -type f | wc -l)"

loop() { # from to
  find "$tree" -type l -print0 | while IFS= read -r -d '' l; do
    t=$(readlink "$l")
    case $t in "$1" | "$1"/*) ln -sfn "$2${t#"$1"}" "$l" ;; esac
  done
}
now() { date +%s.%N; }
declare -a ours theirs
for round in 1 2 3; do
  s=$(now); "$bin/mklnk" --relink "$old" "$new" "$tree" --journal "$work/j$round-a" >/dev/null; e=$(now)
  s2=$(now); "$bin/mklnk" --relink "$new" "$old" "$tree" --journal "$work/j$round-b" >/dev/null; e2=$(now)
  ours+=("$(echo "($e - $s + $e2 - $s2) / 2" | bc -l)")
  s=$(now); loop "$old" "$new"; e=$(now)
  s2=$(now); loop "$new" "$old"; e2=$(now)
  theirs+=("$(echo "($e - $s + $e2 - $s2) / 2" | bc -l)")
done
median() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
m_ours=$(median "${ours[@]}")
m_theirs=$(median "${theirs[@]}")
printf 're-point 1,000 links: mklnk --relink %.3f s, find|readlink|ln -sfn loop %.3f s, ratio %.1fx\n' \
  "$m_ours" "$m_theirs" "$(echo "$m_theirs / $m_ours" | bc -l)"
# Leave the links pointing into the moved directory's new place for the scan.
"$bin/mklnk" --relink "$old" "$new" "$tree" --journal "$work/j-final" >/dev/null
cd "$work"
python3 "$repo/bench/interleave.py" "${ROUNDS:-9}" \
  "symlinks -r=symlinks -r $tree" \
  "mklnk --relink NEW ELSEWHERE --dry-run=$bin/mklnk --relink $new $work/data/elsewhere $tree --dry-run" \
  "mklink /L /S --symlinks=$bin/mklink /L /S --symlinks $tree"
