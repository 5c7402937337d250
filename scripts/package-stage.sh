#!/usr/bin/env bash
# Stages what the Linux packages carry beside the desktop app, into gen/package/
# (the paths tauri.conf.json's bundle.linux.{deb,rpm}.files name): the `meridian`
# CLI, its bash/zsh/fish completions and its man page, all generated from the
# CLI's own clap definition. The Tauri CLI runs this as beforeBundleCommand, in
# the profile it is bundling (TAURI_ENV_DEBUG=true for `tauri build --debug`).
# It builds nothing: the Makefile builds the CLI first (make package,
# make test-package). A cargo build from inside the hook would rebuild most of
# the dependency tree, because the Tauri CLI's environment differs from a
# plain shell's and build scripts (bindgen, sqlx) rerun on such changes.
#
#   env: CARGO_TARGET_DIR, TAURI_ENV_DEBUG (true|false)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
profile=release flag=" --release"
[[ ${TAURI_ENV_DEBUG:-false} == true ]] && profile=debug flag=""
CLI=$TARGET/$profile/meridian
if [[ ! -x $CLI ]]; then
  echo "package-stage: no $profile CLI at $CLI; build it first: cargo build -p meridian-cli --locked$flag" >&2
  exit 1
fi

STAGE=$ROOT/gen/package
rm -rf "$STAGE"
mkdir -p "$STAGE"
install -m 0755 "$CLI" "$STAGE/meridian"
"$STAGE/meridian" generate completions --out "$STAGE/completions" >/dev/null
"$STAGE/meridian" generate man --out "$STAGE/man" >/dev/null
# -n: no name or time stamp in the gzip header, so the page is reproducible.
gzip -9n <"$STAGE/man/meridian.1" >"$STAGE/meridian.1.gz"
echo "package-stage: staged the $profile CLI, completions and man page in $STAGE"
