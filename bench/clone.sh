#!/usr/bin/env bash
# Tree copies: `mklnk --clone` against `cp -al` (and `cp -a` for scale), and `mklnk --snapshot` with 1% of the
# files changed against `rsync -a --link-dest` and `cp -al` followed by `rsync -a --delete`, in one run, on a
# tmpfs (/dev/shm) and on the work tree's file system (ext4 here). The tree: FILES small files in DIRS
# directories and one absolute symbolic link per directory pointing inside the tree. Fresh destinations every
# round, rounds rotating the order, medians reported; peak RSS of one extra run of each mklnk job. The clone runs
# on every core, and once more held to one core (taskset) to show what the threads bring.
# Usage: bench/clone.sh [files] [dirs] [rounds] [dir...]
set -euo pipefail
cd "$(dirname "$0")/.."
files=${1:-100000}
ndirs=${2:-1000}
rounds=${3:-3}
shift 3 || true
bases=("$@")
[ ${#bases[@]} -gt 0 ] || bases=(/dev/shm "$PWD/bench/data")
cargo build --release --locked -q
mklnk=$PWD/target/release/mklnk
command -v rsync > /dev/null || { echo "clone.sh: rsync is needed (apt-get install rsync)" >&2; exit 1; }

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
now() { date +%s%N; }
per_dir=$((files / ndirs))

make_tree() { # make_tree ROOT: the source tree (not timed)
  python3 - "$1" "$ndirs" "$per_dir" <<'PY'
import os, sys
root, ndirs, per = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for d in range(ndirs):
    path = os.path.join(root, f"a{d // 100:02d}", f"d{d:04d}")
    os.makedirs(path, exist_ok=True)
    for i in range(per):
        with open(os.path.join(path, f"f{i:04d}.dat"), "wb") as f:
            f.write(b"%d/%d\n" % (d, i))
    os.symlink(os.path.join(root, f"a{d // 100:02d}", f"d{d:04d}", "f0000.dat"), os.path.join(path, "inner-abs"))
PY
}

run_round() { # run_round TOOL DST: one timed run, prints nanoseconds
  local tool=$1 dst=$2 start end
  sync
  start=$(now)
  case $tool in
    clone) "$mklnk" /Q --clone "$root/src" "$dst" ;;
    clone-1core) taskset -c 0 "$mklnk" /Q --clone "$root/src" "$dst" ;;
    cp-al) cp -al "$root/src" "$dst" ;;
    cp-a) cp -a "$root/src" "$dst" ;;
    snapshot) "$mklnk" /Q --snapshot "$root/src" "$dst" --ref "$root/snap1" ;;
    rsync-link-dest) rsync -a --link-dest="$root/snap1" "$root/src/" "$dst/" ;;
    cp-al+rsync) cp -al "$root/snap1" "$dst" && rsync -a --delete "$root/src/" "$dst/" ;;
  esac
  end=$(now)
  echo $((end - start))
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
echo "| file system | job | tool | median | ratio |"
echo "|---|---|---|---:|---:|"
for base in "${bases[@]}"; do
  mkdir -p "$base"
  root=$(mktemp -d "$base/mklnk-clone.XXXXXX")
  trap 'chmod -R u+rwx "$root" 2>/dev/null; rm -rf "$root"' EXIT
  make_tree "$root/src"
  fs=$(findmnt -no FSTYPE -T "$root" | head -1)
  declare -A t=()
  # Clone: mklnk (all cores, and held to one core), and cp -al every round; cp -a (slow, for scale only) in the
  # first round.
  tools=(clone cp-al clone-1core)
  for r in $(seq 1 "$rounds"); do
    order=("${tools[@]:$(( (r - 1) % 3 ))}" "${tools[@]:0:$(( (r - 1) % 3 ))}")
    [ "$r" = 1 ] && order+=(cp-a)
    for tool in "${order[@]}"; do
      t[$tool]+="$(run_round "$tool" "$root/out-$tool-$r") "
      rm -rf "$root/out-$tool-$r"
    done
  done
  # Snapshot: a full copy as the reference, then 1% of the files changed in SOURCE.
  cp -a "$root/src" "$root/snap1"
  find "$root/src" -name 'f*.dat' | awk 'NR % 100 == 0' | while read -r f; do echo changed >> "$f"; done
  stools=(snapshot rsync-link-dest cp-al+rsync)
  for r in $(seq 1 "$rounds"); do
    order=("${stools[@]:$(( (r - 1) % 3 ))}" "${stools[@]:0:$(( (r - 1) % 3 ))}")
    for tool in "${order[@]}"; do
      t[$tool]+="$(run_round "$tool" "$root/out-$tool-$r") "
      rm -rf "$root/out-$tool-$r"
    done
  done
  med() { tr ' ' '\n' <<< "${t[$1]}" | grep . | median; }
  base_clone=$(med cp-al)
  for tool in clone clone-1core cp-al cp-a; do
    awk -v fs="$fs" -v tool="$tool" -v m="$(med $tool)" -v b="$base_clone" \
      'BEGIN { printf "| %s | clone | %s | %.3f s | %.2f× cp -al |\n", fs, tool, m/1e9, m/b }'
  done
  base_rsync=$(med rsync-link-dest)
  base_cprsync=$(med cp-al+rsync)
  for tool in snapshot rsync-link-dest cp-al+rsync; do
    awk -v fs="$fs" -v tool="$tool" -v m="$(med $tool)" -v a="$base_rsync" -v b="$base_cprsync" \
      'BEGIN { printf "| %s | snapshot 1%% | %s | %.3f s | %.2f× rsync --link-dest, %.2f× cp -al+rsync |\n", fs, tool, m/1e9, m/a, m/b }'
  done
  if [ -x /usr/bin/time ]; then
    for job in clone snapshot; do
      rss=$(/usr/bin/time -f %M bash -c "$(declare -f run_round now); root='$root' mklnk='$mklnk' run_round $job '$root/rss-$job' > /dev/null" 2>&1 | tail -1)
      echo "| $fs | peak RSS | mklnk --$job | $rss KiB | |"
      rm -rf "$root/rss-$job"
    done
  fi
  chmod -R u+rwx "$root" 2>/dev/null || true
  rm -rf "$root"
  trap - EXIT
done
