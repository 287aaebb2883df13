#!/bin/sh
# Deduplication into hard links against the peers, in one run on one tree (tmpfs): 100,000 files in 1,000
# directories, 20 % duplicates (bench/make_dupes.py). Each tool starts from a fresh copy of the same tree (the copy
# is not timed). The tools take turns within each round (so a change in the machine's load hits all of them), and
# the table gives each tool's median over the rounds and the median of the per-round ratios "ours / it".
#
# Two trees: "mixed", as generated (every file has its own write time), and "same-time", the same files all given
# one write time. util-linux `hardlink` by default only merges files whose write times (and owner and mode) are
# equal, so on "mixed" it merges under a tenth of the duplicates; on "same-time" it does the whole job, like
# `hardlink -c` (content only) does on both: those are the like-for-like comparisons.
#
# Peers: util-linux `hardlink` (default and -c), `jdupes -rL`, `fclones group | fclones link` when `fclones` is on
# the PATH (cargo install fclones; FCLONES=DIR adds DIR/bin). Then a second run of ours on the tree it
# deduplicated, against the first, with the hash cache; and peak memory (max RSS) of each tool.
# Usage: bench/dedupe.sh [FILES] [ROUNDS]   (run from the repository root)
set -eu
files=${1:-100000}
rounds=${2:-5}
bin=${CARGO_TARGET_DIR:-$(pwd)/target}/release/mklnk
[ -n "${FCLONES:-}" ] && PATH=$FCLONES/bin:$PATH
cargo build --release --locked --quiet
base=/dev/shm/mklink-bench-dedupe
rm -rf "$base"
mkdir -p "$base"
python3 bench/make_dupes.py "$base/mixed" "$files"
cp -a "$base/mixed" "$base/same-time"
find "$base/same-time" -type f -exec touch -m -d @1764500000 {} +
work="$base/work"
cache="$base/hashes"
results="$base/results.txt"
: >"$results"

tools="mklnk hardlink hardlink-c jdupes"
command -v fclones >/dev/null && tools="$tools fclones"
command_of() {
    case $1 in
    mklnk) echo "$bin --dedupe $work --no-journal --no-cache /Q" ;;
    hardlink) echo "hardlink -q $work" ;;
    hardlink-c) echo "hardlink -q -c $work" ;;
    jdupes) echo "jdupes -q -rL $work >/dev/null" ;;
    fclones) echo "fclones group $work 2>/dev/null | fclones link 2>/dev/null" ;;
    esac
}
# One timed run on a fresh copy of tree $1: "tree tool wall user sys maxrss_kib". The copy rests two seconds
# before the run, as a tree to deduplicate does: mklnk reads the bytes of a file changed in the last two seconds
# a second time for the byte comparison (see src/engine/dedupe/hash.rs, `settled`); the peers do not care.
timed() {
    rm -rf "$work" && cp -a "$base/$1" "$work" && sleep 2
    /usr/bin/time -f "$1 $2 %e %U %S %M" sh -c "$3" 2>&1 >/dev/null | tail -1 >>"$results"
}

echo "== $rounds rounds; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq "$rounds"); do
    for tree in mixed same-time; do
        for tool in $tools; do
            timed "$tree" "$tool" "$(command_of "$tool")"
        done
    done
done
# The second run: the first run of the round with an empty cache, then the run on the tree it left.
for round in $(seq "$rounds"); do
    rm -f "$cache"
    timed mixed first "$bin --dedupe $work --no-journal --cache $cache /Q"
    /usr/bin/time -f "mixed second %e %U %S %M" "$bin" --dedupe "$work" --no-journal --cache "$cache" /Q \
        2>&1 >/dev/null | tail -1 >>"$results"
done
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$results" "$rounds" <<'EOF'
import statistics, sys
from collections import defaultdict
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
runs = defaultdict(list)
for tree, tool, wall, user, sys_, rss in rows:
    runs[tree, tool].append((float(wall), float(user) + float(sys_), int(rss)))
def med(values):
    return statistics.median(values)
for tree in ("mixed", "same-time"):
    ours = runs[tree, "mklnk"]
    print(f"\n{tree}: median wall, median CPU (user+sys), max RSS; ours/it = median of per-round ratios")
    for tool in [t for (tr, t) in runs if tr == tree and t not in ("first", "second")]:
        r = runs[tree, tool]
        ratio_w = med([o[0] / x[0] for o, x in zip(ours, r)])
        ratio_c = med([o[1] / x[1] for o, x in zip(ours, r)])
        print(f"  {tool:11} wall {med([x[0] for x in r]):6.2f} s  CPU {med([x[1] for x in r]):6.2f} s  "
              f"RSS {max(x[2] for x in r) / 1024:6.1f} MiB  ours/it wall {ratio_w:4.2f}  CPU {ratio_c:4.2f}")
first, second = runs["mixed", "first"], runs["mixed", "second"]
print(f"\nsecond run / first run (with the cache): wall {med([s[0] / f[0] for f, s in zip(first, second)]):4.2f}, "
      f"CPU {med([s[1] / f[1] for f, s in zip(first, second)]):4.2f} "
      f"(first {med([f[0] for f in first]):.2f} s, second {med([s[0] for s in second]):.2f} s)")
EOF
rm -rf "$base"
