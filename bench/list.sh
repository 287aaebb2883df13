#!/usr/bin/env bash
# Listing links in a tree of about 1,000,000 entries: `mklink /L /S` against `find -type l -printf` and
# `fdfind -t l` (Debian's fd-find), in interleaved rounds, output to /dev/null; peak memory of mklink too.
# Beside them: the `find` that does the default view's whole job (links, and files with more than one name),
# and bench/walk_floor.c, the bare system calls of that job on two threads (getdents64, and an lstat of
# every entry that is not a directory), with the lstat calls, without them, and with io_uring statx instead.
# The tree is made once and kept in bench/data (about a minute to make).
# Usage: [ROUNDS=9] [MKLINK_BEFORE=path/to/older/mklink] bench/list.sh [entries]
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
entries=${1:-1000000}
command -v fdfind >/dev/null && [ -f /usr/include/liburing.h ] || {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fd-find liburing-dev
}
cargo build --release --locked -q
mklink=$PWD/target/release/mklink
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
gcc -O2 -DWITH_LIBURING -o "$work/walk_floor" bench/walk_floor.c -lpthread -luring
tree=$PWD/bench/data/tree-$entries
[ -f "$tree.done" ] || { rm -rf "$tree"; python3 bench/make_tree.py "$tree" "$entries"; touch "$tree.done"; }
cd "$tree"
# Interleaved rounds (bench/interleave.py): every ratio below is taken in the same minutes. Set MKLINK_BEFORE to
# another build of mklink to time it beside this one (a regression check).
before=()
[ -n "${MKLINK_BEFORE:-}" ] && before=("before /L /S --symlinks=$MKLINK_BEFORE /L /S --symlinks" "before /L /S=$MKLINK_BEFORE /L /S")
python3 "$repo/bench/interleave.py" "${ROUNDS:-9}" \
  "find -type l=find . -type l -printf '%p -> %l\n'" \
  "fdfind -u -t l=fdfind -u -t l" \
  "mklink /L /S --symlinks=$mklink /L /S --symlinks" \
  "mklink /L /S=$mklink /L /S" \
  "${before[@]}" \
  "find, the default view's job=find . -type l -printf '%p -> %l\n' -o -type f -links +1 -printf '%p %n\n'" \
  "walk_floor=$work/walk_floor" \
  "walk_floor --no-stat=$work/walk_floor --no-stat" \
  "walk_floor --uring=$work/walk_floor --uring" \
  "mklink /L /S --dangling=$mklink /L /S --dangling" \
  "find -xtype l=find . -xtype l"
python3 - "$mklink" <<'PY'
import resource, subprocess, sys
subprocess.run([sys.argv[1], "/L", "/S"], stdout=subprocess.DEVNULL, check=False)
print(f"peak RSS of mklink /L /S: {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.1f} MiB")
PY
