#!/usr/bin/env bash
# Peak memory of a batch of 1,000,000 hard links: `mklnk /Q "src/*" dst` on tmpfs, maximum resident set size
# as the kernel reports it for the child (getrusage). Usage: bench/memory.sh [files]
set -euo pipefail
cd "$(dirname "$0")/.."
files=${1:-1000000}
cargo build --release --locked -q
root=$(mktemp -d /dev/shm/mklnk-memory.XXXXXX)
trap 'rm -rf "$root"' EXIT
mkdir "$root/src" "$root/dst"
(cd "$root/src" && seq -f 'file%07g.dat' 1 "$files" | xargs touch)
python3 - "$PWD/target/release/mklnk" "$root" "$files" <<'PY'
import resource, subprocess, sys, time
mklnk, root, files = sys.argv[1], sys.argv[2], int(sys.argv[3])
start = time.monotonic()
out = subprocess.run([mklnk, "--vars", "/Q", f"{root}/src/*", f"{root}/dst"], capture_output=True, text=True)
elapsed = time.monotonic() - start
rss_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(out.stdout.strip().replace("\n", " "))
print(f"| {files:,} files | peak RSS {rss_kib / 1024:.1f} MiB | {elapsed:.1f} s |")
sys.exit(out.returncode)
PY
