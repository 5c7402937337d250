#!/usr/bin/env bash
# Installs the pinned cargo-fuzz that `make fuzz` drives (libFuzzer, built by
# the libfuzzer-sys crate with the system C++ compiler). Idempotent: skipped
# when that version is already on PATH. It runs on the stable toolchain
# because scripts/fuzz.sh builds with `-s none` (no sanitizer), the only
# cargo-fuzz mode that passes no `-Z` flag to rustc.
set -euo pipefail

CARGO_FUZZ_VERSION=0.12.0

if command -v cargo-fuzz >/dev/null 2>&1 && [[ $(cargo-fuzz --version 2>/dev/null) == "cargo-fuzz $CARGO_FUZZ_VERSION" ]]; then
  echo "install-fuzz: cargo-fuzz $CARGO_FUZZ_VERSION present"
  exit 0
fi
if ! command -v c++ >/dev/null 2>&1; then
  echo "install-fuzz: no C++ compiler (libFuzzer is built from C++); run scripts/install-deps.sh" >&2
  exit 1
fi
echo "install-fuzz: installing cargo-fuzz $CARGO_FUZZ_VERSION"
# Its own target dir, so the install never shares (or dirties) the project's.
CARGO_TARGET_DIR="${TMPDIR:-/tmp}/cargo-fuzz-install" cargo install --locked "cargo-fuzz@$CARGO_FUZZ_VERSION"
