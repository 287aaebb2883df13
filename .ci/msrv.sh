#!/usr/bin/env bash
# The minimum Rust version in Cargo.toml (rust-version) is the real one: every target (library, binaries, tests,
# benches) is checked with exactly that compiler. Debian bookworm's rustc-web 1.85 is unpacked into a private
# directory (not installed, so it does not replace the rustc-web that .ci/windows.sh uses); its LLVM comes from
# Debian's libllvm19, which is installed as usual.
set -euo pipefail
cd "$(dirname "$0")/.."
msrv=$(sed -n 's/^rust-version = "\([0-9.]*\)"$/\1/p' Cargo.toml)
[ -n "$msrv" ] || { echo "no rust-version in Cargo.toml" >&2; exit 1; }
dir=${MSRV_DIR:-/tmp/mklink-msrv}
if [ ! -x "$dir/rustc" ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libllvm19
  version=$(apt-cache madison rustc-web | awk -v want="$msrv" '$3 ~ "^"want"[.]" { print $3; exit }')
  [ -n "$version" ] || { echo "Debian offers no rustc-web $msrv" >&2; exit 1; }
  rm -rf "$dir" && mkdir -p "$dir/debs"
  (cd "$dir/debs" && apt-get download -qq "rustc-web=$version" "libstd-rust-web-dev=$version" \
    "libstd-rust-web-$msrv=$version")
  for deb in "$dir"/debs/*.deb; do dpkg -x "$deb" "$dir/root"; done
  cat > "$dir/rustc" <<WRAP
#!/bin/sh
LD_LIBRARY_PATH=$dir/root/usr/lib/x86_64-linux-gnu\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH} exec $dir/root/usr/bin/rustc "\$@"
WRAP
  chmod +x "$dir/rustc"
fi
"$dir/rustc" --version | grep -q "^rustc $msrv[. ]" || { echo "$dir/rustc is not Rust $msrv" >&2; exit 1; }
RUSTC="$dir/rustc" CARGO_TARGET_DIR="$dir/target" cargo check --locked --all-targets
echo "Rust $msrv builds every target"
