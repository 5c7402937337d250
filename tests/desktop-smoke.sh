#!/usr/bin/env bash
# Desktop smoke test: the built app opens a window named "Meridian" in a real
# WebKitGTK (under Xvfb), its UI calls `list_devices` and gets the one device the
# CLI added, and a screenshot is saved. Builds nothing: it expects ui/dist and the
# debug binaries. Every wait is bounded. Loopback only: the app opens no sockets.
#
#   env: CARGO_TARGET_DIR, MERIDIAN_DESKTOP_BIN, MERIDIAN_CLI_BIN, SMOKE_SCREENSHOT,
#        SMOKE_TIMEOUT (seconds, default 60), SMOKE_KEEP=1 keeps the temp dir.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
DESKTOP=${MERIDIAN_DESKTOP_BIN:-$TARGET/debug/meridian-desktop}
CLI=${MERIDIAN_CLI_BIN:-$TARGET/debug/meridian}
SHOT=${SMOKE_SCREENSHOT:-$ROOT/docs/screenshot-foundation.png}
TIMEOUT=${SMOKE_TIMEOUT:-60}

TMP=$(mktemp -d "${TMPDIR:-/tmp}/meridian-desktop-smoke.XXXXXX")
XVFB_PID="" APP_PID=""

stop() { # stop PID: TERM, then KILL after 10 s
  local pid=$1
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
  stop "$APP_PID"
  stop "$XVFB_PID"
  if [[ ${SMOKE_KEEP:-0} == 1 ]]; then echo "desktop-smoke: kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

fail() {
  echo "desktop-smoke: FAIL: $*" >&2
  for f in "$TMP/app.stderr" "$TMP"/xdg-data/net.meridian.desktop/logs/*.log "$TMP/xvfb.log"; do
    [[ -s $f ]] && { echo "--- last lines of $f" >&2; tail -n 25 "$f" >&2; }
  done
  echo "0 passed, 1 failed"
  exit 1
}

# wait_for SECONDS DESCRIPTION COMMAND...: polls COMMAND every 0.25 s; fails if the app dies.
wait_for() {
  local secs=$1 what=$2; shift 2
  local deadline=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    [[ -z $APP_PID ]] || kill -0 "$APP_PID" 2>/dev/null || fail "the app exited while waiting for $what"
    ((SECONDS < deadline)) || fail "timed out after ${secs}s waiting for $what"
    sleep 0.25
  done
}

for tool in Xvfb xdotool import convert; do
  command -v "$tool" >/dev/null || fail "$tool is missing; run scripts/install-deps.sh"
done
[[ -x $DESKTOP ]] || fail "no desktop binary at $DESKTOP; build it with cargo build -p meridian-desktop"
[[ -x $CLI ]] || fail "no CLI binary at $CLI; build it with cargo build -p meridian-cli"
[[ -f $ROOT/ui/dist/index.html ]] || fail "no ui/dist; run npm run build in ui/"

# Everything the app and WebKit write goes under $TMP, never the user's home.
DATA=$TMP/data
mkdir -p "$DATA" "$TMP/xdg-data" "$TMP/xdg-config" "$TMP/xdg-cache" "$TMP/run"
chmod 700 "$DATA" "$TMP/run"
export XDG_DATA_HOME=$TMP/xdg-data XDG_CONFIG_HOME=$TMP/xdg-config XDG_CACHE_HOME=$TMP/xdg-cache XDG_RUNTIME_DIR=$TMP/run
LOG_DIR=$XDG_DATA_HOME/net.meridian.desktop/logs

"$CLI" --data-dir "$DATA" device add smoke-r1 127.0.0.1 >"$TMP/cli.log" 2>&1 \
  || fail "meridian device add failed: $(cat "$TMP/cli.log")"

# Own Xvfb on a free display (-displayfd picks it), TCP off, sized to the
# window so the screenshot is just the app (there is no window manager).
Xvfb -displayfd 3 -screen 0 1200x800x24 -nolisten tcp 3>"$TMP/display" >"$TMP/xvfb.log" 2>&1 &
XVFB_PID=$!
wait_for 15 "Xvfb to start" test -s "$TMP/display"
export DISPLAY=:$(head -n1 "$TMP/display")

# Xvfb has no GPU. WebKitGTK 2.50 on Debian 12 renders here without these, but
# on hosts with partial Mesa/DRM stacks its DMA-BUF renderer and GL compositing
# leave the webview blank, so force the plain software path.
MERIDIAN_DATA_DIR=$DATA RUST_LOG=info \
  WEBKIT_DISABLE_COMPOSITING_MODE=1 WEBKIT_DISABLE_DMABUF_RENDERER=1 LIBGL_ALWAYS_SOFTWARE=1 \
  "$DESKTOP" >"$TMP/app.stdout" 2>"$TMP/app.stderr" &
APP_PID=$!

wait_for "$TIMEOUT" 'a window named "Meridian"' xdotool search --onlyvisible --name '^Meridian$'
# The command logs only after the UI's JS ran and invoked it, so this proves the whole path.
wait_for "$TIMEOUT" "the UI to call list_devices (count=1) in $LOG_DIR" \
  grep -rqF 'list_devices count=1' "$LOG_DIR"

sleep 2 # let WebKit paint the table after the command returned
mkdir -p "$(dirname "$SHOT")"
import -window root "$SHOT" || fail "screenshot failed"
# A blank (single-colour) capture means WebKit did not render.
spread=$(convert "$SHOT" -format '%[fx:standard_deviation]' info:)
awk -v s="$spread" 'BEGIN { exit !(s > 0.02) }' || fail "screenshot $SHOT looks blank (stddev $spread)"

# SIGTERM must take the normal exit path: service shut down, exit code 0.
kill -0 "$APP_PID" 2>/dev/null || fail "the app exited early"
kill -TERM "$APP_PID"
deadline=$((SECONDS + 20))
while kill -0 "$APP_PID" 2>/dev/null; do
  ((SECONDS < deadline)) || fail "the app did not exit within 20s of SIGTERM"
  sleep 0.25
done
rc=0; wait "$APP_PID" || rc=$?
APP_PID=""
((rc == 0)) || fail "the app exited with code $rc after SIGTERM"
grep -rqF 'service shut down' "$LOG_DIR" || fail "the log does not show the service shutting down"

echo "desktop-smoke: window shown, list_devices returned 1 device, clean exit, screenshot at $SHOT"
echo "1 passed, 0 failed"
