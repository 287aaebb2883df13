#!/bin/sh
# Peak memory of a deduplication of 1,000,000 small files (1 to 60 bytes, 20 % duplicates, 10,000 directories),
# against the goal of 64 MiB plus 100 bytes per file. The files live on a loop-mounted ext4 with inline_data (so
# a file costs an inode and no data block: 1,000,000 files fit in about 300 MiB of /dev/shm); maximum resident set
# size from /usr/bin/time. Needs root (mount). Usage: bench/dedupe_memory.sh [FILES]
set -eu
files=${1:-1000000}
bin=${CARGO_TARGET_DIR:-$(pwd)/target}/release/mklnk
cargo build --release --locked --quiet
base=$(mktemp -d /dev/shm/mklink-dedupe-memory.XXXXXX)
trap 'umount "$base/mnt" 2>/dev/null; rm -rf "$base"' EXIT
truncate -s 2G "$base/image"
mkfs.ext4 -q -O inline_data -N $((files + files / 10 + 20000)) "$base/image"
mkdir "$base/mnt"
mount -o loop "$base/image" "$base/mnt"
python3 bench/make_dupes.py "$base/mnt/tree" "$files" 1 60
sync
/usr/bin/time -f "%M KiB max RSS, %e s wall, %U s user, %S s system" \
    "$bin" --dedupe "$base/mnt/tree" --no-journal --no-cache --json 2>&1 | tail -2
awk -v n="$files" 'BEGIN { printf "goal: %.1f MiB (64 MiB + 100 B x %d files)\n", 64 + n * 100 / 1048576, n }'
