#!/bin/sh
# Deduplication into hard links against the peers, in one run on one tree (tmpfs): 100,000 files in 1,000
# directories, 20 % duplicates (bench/make_dupes.py). Each tool starts from a fresh copy of the same tree (the copy
# is not timed). Then a second run of ours on the tree it deduplicated, and peak memory of each tool.
#
# Peers: util-linux `hardlink` (default and -c), `jdupes -rL`, `rdfind -makehardlinks true`, and
# `fclones group | fclones link` when `fclones` is on the PATH (cargo install fclones). `hardlink` by default only
# merges files whose times match too, so on this tree it links far fewer files; `hardlink -c` (content only) does
# the same job as the others. hyperfine reports user and system time besides wall time: on a busy machine the CPU
# time is the steadier figure.
# Usage: bench/dedupe.sh [FILES]   (needs hyperfine; run from the repository root)
set -eu
files=${1:-100000}
bin=$(pwd)/target/release/mklnk
cargo build --release --locked --quiet
base=/dev/shm/mklink-bench-dedupe
rm -rf "$base"
mkdir -p "$base"
python3 bench/make_dupes.py "$base/template" "$files"
work="$base/work"
fresh="rm -rf $work && cp -a $base/template $work"
cache="$base/hashes"
set -- \
    -n mklnk "$bin --dedupe $work --no-journal --no-cache /Q" \
    -n mklnk-cache "rm -f $cache; $bin --dedupe $work --no-journal --cache $cache /Q" \
    -n hardlink "hardlink -q $work" \
    -n hardlink-c "hardlink -q -c $work"
command -v jdupes >/dev/null && set -- "$@" -n jdupes "jdupes -q -rL $work >/dev/null"
command -v rdfind >/dev/null && set -- "$@" -n rdfind "rdfind -makehardlinks true -outputname $base/results.txt $work >/dev/null"
command -v fclones >/dev/null && set -- "$@" -n fclones "fclones group $work 2>/dev/null | fclones link 2>/dev/null"
hyperfine --warmup 0 --runs 3 --prepare "$fresh" "$@"

echo
echo "== second run on the deduplicated tree (same cache) vs the first"
sh -c "$fresh"
rm -f "$cache"
hyperfine --runs 1 --prepare "true" -n first "$bin --dedupe $work --no-journal --cache $cache /Q"
hyperfine --warmup 0 --runs 3 -n second "$bin --dedupe $work --no-journal --cache $cache /Q" \
    -n second-no-cache "$bin --dedupe $work --no-journal --no-cache /Q" \
    -n hardlink-second "hardlink -q $work"

echo
echo "== peak memory (max RSS, KiB)"
rss() { sh -c "$fresh"; /usr/bin/time -f "%M KiB  $1" sh -c "$2" 2>&1 >/dev/null | tail -1; }
rss mklnk "$bin --dedupe $work --no-journal --no-cache /Q"
rss hardlink "hardlink -q $work"
command -v jdupes >/dev/null && rss jdupes "jdupes -q -rL $work"
command -v fclones >/dev/null && rss fclones "fclones group $work 2>/dev/null | fclones link 2>/dev/null"
rm -rf "$base"
