#!/usr/bin/env bash
# CI: replay each fuzz target's corpus (fuzz/corpus/<target>) and fuzz it briefly ($FUZZ_SECONDS, default 30 s).
# Installs what it needs (a C++ compiler for libFuzzer, cargo-fuzz). Only a stable toolchain is assumed:
# RUSTC_BOOTSTRAP=1 lets cargo-fuzz's nightly flags (-Zsanitizer) through. New inputs go to a scratch directory, so
# the checked-in corpus is never changed; a crash fails the step and leaves its input in fuzz/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

seconds="${FUZZ_SECONDS:-30}"
if ! command -v c++ >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends g++
fi
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked

export RUSTC_BOOTSTRAP=1
cargo fuzz build -O
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
for target in $(cargo fuzz list); do
  mkdir -p "$scratch/$target"
  echo "fuzz: $target for ${seconds}s"
  log="$scratch/$target.log"
  if ! cargo fuzz run -O "$target" "$scratch/$target" "corpus/$target" -- \
    -max_total_time="$seconds" -rss_limit_mb=1024 -timeout=10 -max_len=1024 -print_final_stats=1 >"$log" 2>&1; then
    tail -n 60 "$log"
    exit 1
  fi
  grep -E '^Done|number_of_executed_units' "$log" || true
done
