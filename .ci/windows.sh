#!/usr/bin/env bash
# CI for Windows and macOS on a Debian machine (see README "Platforms"): builds the Windows target with Debian's
# own Rust (rustc-web, whose std source lets cargo build std for other targets), lints it, runs the whole test
# suite under Wine, and type-checks macOS. Safe to run again: every step is skipped or quick when already done.
#
# Set MKLINK_WINDOWS_SETUP_ONLY=1 to stop after installing packages and preparing Wine.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
start=$SECONDS
phase() { echo "== windows.sh: $1 (${SECONDS}s elapsed)"; }

# 1. Packages: Debian's Rust with std source and clippy, the mingw toolchain, Wine.
pkgs=(rustc-web cargo-web rust-web-src rust-web-clippy
  gcc-mingw-w64-x86-64-win32 mingw-w64-x86-64-dev binutils-mingw-w64-x86-64 wine64)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  phase "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
phase "packages ready"

# 2. Debian's toolchain first, for this script only; without RUSTDOC the doctests would pick up rustup's rustdoc.
export PATH=/usr/bin:$PATH RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc RUSTC_BOOTSTRAP=1
export WINEDEBUG=-all WINEPREFIX=${MKLINK_WINEPREFIX:-/tmp/mklink-wine-$(id -u)}
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER=/usr/lib/wine/wine64
win_target=$root/target/win

# 3. A Wine prefix, once, and the bcryptprimitives.dll shim (Wine 8 lacks it; Rust's std needs ProcessPrng).
if [ ! -f "$WINEPREFIX/system.reg" ]; then
  phase "creating the Wine prefix $WINEPREFIX"
  /usr/lib/wine/wine64 wineboot -u >/dev/null 2>&1 || true
  /usr/lib/wine/wineserver -w
fi
mkdir -p "$win_target"
shim=$win_target/bcryptprimitives.dll
if [ ! -f "$shim" ] || [ .ci/wine/bcryptprimitives.c -nt "$shim" ]; then
  x86_64-w64-mingw32-gcc -O2 -shared -s -o "$shim" .ci/wine/bcryptprimitives.c -ladvapi32
fi
cmp -s "$shim" "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" ||
  cp "$shim" "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll"
phase "Wine ready"
if [ "${MKLINK_WINDOWS_SETUP_ONLY:-}" = 1 ]; then exit 0; fi

# 4. Windows: lint, then the whole test suite (unit, integration, doc) under Wine. Tests use the dev profile;
#    a release build would need -Zbuild-std=std,panic_abort (the release profile aborts on panic).
win=(-Zbuild-std --target x86_64-pc-windows-gnu --target-dir "$win_target")
cargo clippy --locked "${win[@]}" --all-targets -- -D warnings
phase "clippy (Windows) passed"
# MKLINK_EXPECT_WINE makes the Wine-detection test fail if Wine is not detected: the symlink and junction
# tests would otherwise expect real Windows behaviour and fail for a less obvious reason.
MKLINK_EXPECT_WINE=1 cargo test --locked "${win[@]}"
phase "tests (Windows, under Wine) passed"

# 5. macOS: type-check only (no SDK here to link with).
cargo check --locked -Zbuild-std=std,panic_abort --target aarch64-apple-darwin --target-dir "$root/target/mac" --all-targets
phase "check (macOS) passed"
echo "windows.sh: done in $((SECONDS - start))s"
