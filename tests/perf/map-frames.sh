#!/usr/bin/env bash
# Map frame time with N devices (default 10,000) in the real app under Xvfb,
# for docs/PERFORMANCE.md (not part of make test). Fills a store with N
# devices on 127.3.0.0/16 (loopback only) spread over the world, starts the
# built app through tauri-driver + WebKitWebDriver, waits until the UI reports
# that it drew all N, then pans and zooms the map for about 30 s with
# synthetic drags and wheel turns while timing frames with
# requestAnimationFrame (tests/perf/map_frames.py). Nothing perf-only is in
# the app: the figures are printed here and logged by the app through its
# `ui_rendered` test hook ("ui rendered perf-map-frames ...").
#
# Needs the built app, Xvfb, tauri-driver, WebKitWebDriver, python3,
# curl, and root (raw ICMP: the monitor polls the devices as usual).
#   env: N (default 10000), PROFILE (debug or release, default release), CARGO_TARGET_DIR,
#        BIN_DIR (instead of the target dir), SEED (a directory to keep a filled
#        store in and copy for each run), PORT (tauri-driver, default 4454; the
#        WebDriver e2e test uses 4444), NICE (a niceness for the driver and the
#        app it starts, e.g. -10 on a busy machine)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${BIN_DIR:-${CARGO_TARGET_DIR:-$ROOT/target}/${PROFILE:-release}}
N=${N:-10000}
PORT=${PORT:-4454}
DRIVER=${TAURI_DRIVER:-$(command -v tauri-driver || echo "$HOME/.cargo/bin/tauri-driver")}
TMP=$(mktemp -d /tmp/meridian-map-frames.XXXXXX)
# shellcheck source=lib/vault-key.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/vault-key.sh"
vault_key "$TMP"
DATA=$TMP/data
XVFB="" DRV=""
cleanup() {
  [[ -n $DRV ]] && kill "$DRV" 2>/dev/null
  [[ -n $XVFB ]] && kill "$XVFB" 2>/dev/null
  if [[ ${KEEP:-0} == 1 ]]; then echo "kept $TMP" >&2; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
for tool in Xvfb WebKitWebDriver python3 curl; do
  command -v "$tool" >/dev/null || { echo "$tool is missing" >&2; exit 1; }
done
[[ -x $DRIVER ]] || { echo "no tauri-driver; cargo install tauri-driver --locked" >&2; exit 1; }
[[ -x $BIN/meridian-desktop ]] || { echo "build first: cargo build --release -p meridian-desktop" >&2; exit 1; }

Xvfb :78 -screen 0 1200x800x24 -nolisten tcp >/dev/null 2>&1 &
XVFB=$!
sleep 1
mkdir -p "$TMP/xdg-data" "$TMP/xdg-config" "$TMP/xdg-cache" "$TMP/home"
export DISPLAY=:78 HOME=$TMP/home XDG_DATA_HOME=$TMP/xdg-data XDG_CONFIG_HOME=$TMP/xdg-config XDG_CACHE_HOME=$TMP/xdg-cache
# The same rendering path as the desktop tests (software, no compositing).
export MERIDIAN_DATA_DIR=$DATA RUST_LOG=info,meridian_desktop=debug
export WEBKIT_DISABLE_COMPOSITING_MODE=1 WEBKIT_DISABLE_DMABUF_RENDERER=1 LIBGL_ALWAYS_SOFTWARE=1
# NICE=-10 (say) favours the app and WebKit (started by the driver) on a busy machine.
${NICE:+nice -n "$NICE"} "$DRIVER" --port "$PORT" --native-port $((PORT + 1)) >"$TMP/driver.log" 2>&1 &
DRV=$!
for _ in $(seq 60); do curl -sf "http://127.0.0.1:$PORT/status" >/dev/null 2>&1 && break; sleep 0.25; done
run() { # run MODE: the WebDriver session starts and ends the app
  WEBDRIVER_URL=http://127.0.0.1:$PORT PERF_APP=$BIN/meridian-desktop PERF_N=$N PERF_MODE=$1 \
    python3 "$ROOT/tests/perf/map_frames.py"
}
# One CLI call per device costs ~0.5 s (the embedded store starts each time,
# and admits one process at a time), so the store is filled through the
# running app's own add_device command instead; SEED keeps a filled copy.
# A partly filled SEED (an interrupted fill) is topped up.
[[ -n ${SEED:-} && -d $SEED ]] && cp -a "$SEED" "$DATA"
if [[ -z ${SEED:-} || ! -f $SEED.n$N ]]; then
  echo "adding devices through the app up to $N..." >&2
  run fill || run fill # WebKitWebDriver has been seen to drop a long session: resume once
  sleep 2 # the app exits with the session
  # Each run makes a new vault key (vault_key above), which cannot open the
  # filling run's vault: keep the seed without one (the devices hold no
  # credentials), so each run's app makes its own, as desktop-figures.sh does.
  if [[ -n ${SEED:-} ]]; then rm -rf "$SEED"; cp -a "$DATA" "$SEED"; rm -rf "$SEED/vault"; touch "$SEED.n$N"; fi
fi
run measure
grep -rhE "perf-(map-frames|table)" "$TMP/xdg-data" 2>/dev/null | tail -2 | sed 's/^.*ui rendered /app log: /' || true
