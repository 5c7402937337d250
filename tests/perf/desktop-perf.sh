#!/usr/bin/env bash
# Desktop performance figures for docs/PERFORMANCE.md (not part of make test):
# cold start to the UI's first render with N devices in the store, then RSS
# and CPU of the app and its WebKit processes while it monitors the N
# loopback devices, averaged over a window. Needs the built app and CLI,
# Xvfb, and root (raw ICMP). Traffic goes only to 127.3.0.0/16.
#   env: N (default 1000), WINDOW (seconds, default 60), PROFILE (debug or release), CARGO_TARGET_DIR
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${CARGO_TARGET_DIR:-$ROOT/target}/${PROFILE:-debug}
N=${N:-1000}
WINDOW=${WINDOW:-60}
TMP=$(mktemp -d /tmp/meridian-perf.XXXXXX)
DATA=$TMP/data
cleanup() { [[ -n ${APP:-} ]] && kill "$APP" 2>/dev/null; [[ -n ${XVFB:-} ]] && kill "$XVFB" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT

echo "adding $N devices..." >&2
for ((i = 0; i < N; i++)); do
  a=$((i / 250)); b=$((i % 250 + 1))
  lat=$(( (i * 37) % 140 - 70 )); lon=$(( (i * 91) % 340 - 170 ))
  echo "device add perf-$i 127.3.$a.$b --lat $lat --lon $lon"
done | while read -r line; do
  # shellcheck disable=SC2086
  MERIDIAN_VAULT=file "$BIN/meridian" --data-dir "$DATA" $line >/dev/null
done

Xvfb :77 -screen 0 1200x800x24 -nolisten tcp >/dev/null 2>&1 &
XVFB=$!
sleep 1
export DISPLAY=:77 HOME=$TMP/home XDG_DATA_HOME=$TMP/xdg-data XDG_CONFIG_HOME=$TMP/xdg-config XDG_CACHE_HOME=$TMP/xdg-cache
mkdir -p "$HOME"
start=$(date +%s.%N)
MERIDIAN_DATA_DIR=$DATA RUST_LOG=info,meridian_desktop=debug "$BIN/meridian-desktop" >"$TMP/app.log" 2>&1 &
APP=$!
for _ in $(seq 1 600); do
  grep -q "ui rendered devices=$N " "$TMP/app.log" && break
  sleep 0.05
done
ready=$(date +%s.%N)
grep -q "ui rendered devices=$N " "$TMP/app.log" || { echo "the UI never reported a render" >&2; tail -20 "$TMP/app.log" >&2; exit 1; }
echo "cold start to first UI render with $N devices: $(echo "$ready - $start" | bc) s"

pids() { echo "$APP"; pgrep -P "$APP" || true; pgrep -f WebKitWebProcess || true; pgrep -f WebKitNetworkProcess || true; }
ticks() { local t=0; for p in $(pids | sort -u); do [[ -r /proc/$p/stat ]] && t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo "$t"; }
rss() { local k=0; for p in $(pids | sort -u); do [[ -r /proc/$p/status ]] && k=$((k + $(awk '/^VmRSS/ {print $2}' "/proc/$p/status"))); done; echo "$k"; }
sleep 10 # let the first poll round settle
t0=$(ticks); sleep "$WINDOW"; t1=$(ticks)
hz=$(getconf CLK_TCK)
echo "CPU over ${WINDOW}s while monitoring $N devices (app + WebKit): $(echo "scale=2; ($t1 - $t0) * 100 / $hz / $WINDOW" | bc)% of one core"
echo "RSS (app + WebKit processes): $(( $(rss) / 1024 )) MiB; app alone: $(( $(awk '/^VmRSS/ {print $2}' /proc/$APP/status) / 1024 )) MiB"
grep -c "state changed" "$TMP/app.log" | sed 's/^/state changes logged: /'
