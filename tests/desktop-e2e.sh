#!/usr/bin/env bash
# End-to-end test of the built app through WebDriver: tauri-driver (cargo install
# tauri-driver --locked) in front of WebKitWebDriver (Debian webkit2gtk-driver),
# under Xvfb. The scenario is tests/e2e/webdriver_scenario.py. Not part of
# `make test` yet. Builds nothing. Needs root (iptables, raw ICMP). Loopback only.
#
#   env: CARGO_TARGET_DIR, MERIDIAN_DESKTOP_BIN, TAURI_DRIVER, E2E_TIMEOUT,
#        E2E_OUT (screenshots; default a temp dir), E2E_KEEP=1 keeps the temp dir.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
DESKTOP=${MERIDIAN_DESKTOP_BIN:-$TARGET/debug/meridian-desktop}
DRIVER=${TAURI_DRIVER:-$(command -v tauri-driver || echo "$HOME/.cargo/bin/tauri-driver")}
ADDRESS=127.9.7.8
RULE=(INPUT -d "$ADDRESS" -m comment --comment "meridian-desktop-e2e-$$" -j DROP)

TMP=$(mktemp -d "${TMPDIR:-/tmp}/meridian-desktop-e2e.XXXXXX")
XVFB_PID="" DRIVER_PID=""

stop() {
  local pid=$1
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
  while iptables -D "${RULE[@]}" 2>/dev/null; do :; done
  stop "$DRIVER_PID"
  stop "$XVFB_PID"
  if [[ ${E2E_KEEP:-0} == 1 ]]; then echo "desktop-e2e: kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

fail() {
  echo "desktop-e2e: FAIL: $*" >&2
  for f in "$TMP/driver.log" "$TMP"/xdg-data/net.meridian.desktop/logs/*.log; do
    [[ -s $f ]] && { echo "--- last lines of $f" >&2; tail -n 25 "$f" >&2; }
  done
  echo "0 passed, 1 failed"
  exit 1
}

for tool in Xvfb WebKitWebDriver iptables python3 curl; do
  command -v "$tool" >/dev/null || fail "$tool is missing (apt: xvfb webkit2gtk-driver iptables python3 curl)"
done
[[ -x $DRIVER ]] || fail "no tauri-driver; cargo install tauri-driver --locked"
[[ -x $DESKTOP ]] || fail "no desktop binary at $DESKTOP"
((EUID == 0)) || fail "needs root (iptables DROP of $ADDRESS, raw ICMP)"

DATA=$TMP/data OUT=${E2E_OUT:-$TMP/screenshots}
mkdir -p "$DATA" "$OUT" "$TMP/xdg-data" "$TMP/xdg-config" "$TMP/xdg-cache" "$TMP/run"
chmod 700 "$DATA" "$TMP/run"
export XDG_DATA_HOME=$TMP/xdg-data XDG_CONFIG_HOME=$TMP/xdg-config XDG_CACHE_HOME=$TMP/xdg-cache XDG_RUNTIME_DIR=$TMP/run

Xvfb -displayfd 3 -screen 0 1200x800x24 -nolisten tcp 3>"$TMP/display" >"$TMP/xvfb.log" 2>&1 &
XVFB_PID=$!
for _ in $(seq 60); do [[ -s $TMP/display ]] && break; sleep 0.25; done
[[ -s $TMP/display ]] || fail "Xvfb did not start"
export DISPLAY=:$(head -n1 "$TMP/display")

# The app inherits this environment from tauri-driver.
export MERIDIAN_DATA_DIR=$DATA RUST_LOG=info,meridian_desktop=debug MERIDIAN_ICMP_INTERVAL=2
export WEBKIT_DISABLE_COMPOSITING_MODE=1 WEBKIT_DISABLE_DMABUF_RENDERER=1 LIBGL_ALWAYS_SOFTWARE=1
# Fixed loopback ports: tauri-driver has no way to report a free one.
"$DRIVER" --port 4444 --native-port 4445 >"$TMP/driver.log" 2>&1 &
DRIVER_PID=$!
for _ in $(seq 60); do curl -sf http://127.0.0.1:4444/status >/dev/null 2>&1 && break; sleep 0.25; done
curl -sf http://127.0.0.1:4444/status >/dev/null 2>&1 || fail "tauri-driver did not listen on 127.0.0.1:4444"

E2E_APP=$DESKTOP E2E_ADDRESS=$ADDRESS E2E_OUT=$OUT E2E_TIMEOUT=${E2E_TIMEOUT:-60} \
  E2E_DROP_CMD="iptables -I ${RULE[*]}" E2E_UNDROP_CMD="iptables -D ${RULE[*]}" \
  timeout 300 python3 "$ROOT/tests/e2e/webdriver_scenario.py" || fail "the WebDriver scenario failed"

echo "desktop-e2e: added a device in the UI, saw it green, then red with the alarm, acknowledged it; screenshots in $OUT"
echo "1 passed, 0 failed"
