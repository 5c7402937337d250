#!/usr/bin/env bash
# Desktop performance figures for docs/PERFORMANCE.md (not part of make test):
# cold start to the UI's first render with N devices in the store, then RSS
# and CPU of the app and its WebKit processes while it monitors the N
# loopback devices, averaged over a window. Needs the built app and CLI,
# Xvfb, and root (raw ICMP). Traffic goes only to 127.3.0.0/16.
#   env: N (default 1000), WINDOW (seconds, default 60), PROFILE (debug or release), CARGO_TARGET_DIR,
#        SEED (a directory to keep a filled store in and copy for each run),
#        BIN_DIR (where meridian-desktop and meridian are, instead of the target dir),
#        SETTLE (seconds between the first render and the window, default 10),
#        NICE (a niceness for the app and WebKit, e.g. -10 on a busy machine),
#        CACHE (an XDG cache directory kept between runs: launches after the first)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${BIN_DIR:-${CARGO_TARGET_DIR:-$ROOT/target}/${PROFILE:-debug}}
N=${N:-1000}
WINDOW=${WINDOW:-60}
TMP=$(mktemp -d /tmp/meridian-perf.XXXXXX)
# shellcheck source=lib/vault-key.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/vault-key.sh"
vault_key "$TMP"
DATA=$TMP/data
cleanup() { [[ -n ${APP:-} ]] && kill "$APP" 2>/dev/null; [[ -n ${XVFB:-} ]] && kill "$XVFB" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT

# fill DIR (tests/perf/seed.sh). SEED=DIR keeps a pristine filled store there
# and copies it for every run.
# shellcheck source=seed.sh
source "$ROOT/tests/perf/seed.sh"
if [[ -n ${SEED:-} ]]; then
  [[ -f $SEED.n$N ]] || { rm -rf "$SEED"; fill "$SEED"; touch "$SEED.n$N"; }
  cp -a "$SEED" "$DATA"
else
  fill "$DATA"
fi

Xvfb :77 -screen 0 1200x800x24 -nolisten tcp >/dev/null 2>&1 &
XVFB=$!
sleep 1
# pglite-oxide unpacks its runtime (~100 MB) into the cache directory on the
# first launch; CACHE=DIR keeps one between runs to time the usual launch.
export DISPLAY=:77 HOME=$TMP/home XDG_DATA_HOME=$TMP/xdg-data XDG_CONFIG_HOME=$TMP/xdg-config XDG_CACHE_HOME=${CACHE:-$TMP/xdg-cache}
mkdir -p "$HOME"
start=$(date +%s.%N)
# NICE=-10 (say) favours the app and WebKit on a machine busy with other work.
MERIDIAN_DATA_DIR=$DATA RUST_LOG=info,meridian_desktop=debug ${NICE:+nice -n "$NICE"} "$BIN/meridian-desktop" >"$TMP/app.log" 2>&1 &
APP=$!
for _ in $(seq 1 600); do
  grep -q "ui rendered devices=$N " "$TMP/app.log" && break
  sleep 0.05
done
ready=$(date +%s.%N)
grep -q "ui rendered devices=$N " "$TMP/app.log" || { echo "the UI never reported a render" >&2; tail -20 "$TMP/app.log" >&2; exit 1; }
echo "cold start to first UI render with $N devices: $(echo "$ready - $start" | bc) s"
# Where the start-up time goes, from the app log's timestamps (seconds after launch).
at() { local ts; ts=$(grep -m1 "$1" "$TMP/app.log" | grep -oE '^[0-9T:.-]+Z' || true); [[ -n $ts ]] && echo "$(date -d "$ts" +%s.%N) - $start" | bc || echo "?"; }
echo "  first log line $(at 'logging to\|INFO'), window built $(at 'meridian_desktop::geometry'), store open $(at 'meridian opened'), monitor started $(at 'monitor started'), list_devices answered $(at 'list_devices count='), first full render $(at "ui rendered devices=$N ")"

# The app and its descendants (WebKitWebProcess, WebKitNetworkProcess): not
# every WebKit process on the machine, which may belong to another test.
pids() { local p=$1; echo "$p"; for c in $(pgrep -P "$p" || true); do pids "$c"; done; }
name() { tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | awk '{n = $1; sub(".*/", "", n); print n}'; }
ticks_of() { [[ -r /proc/$1/stat ]] && awk '{print $14 + $15}' "/proc/$1/stat" || echo 0; }
rss_of() { [[ -r /proc/$1/status ]] && awk '/^VmRSS/ {print $2}' "/proc/$1/status" || echo 0; }
# SETTLE seconds before the window opens. The default 10 s is what the first
# figures used; the monitor's first round (one state change per device) is
# spread over the 30 s ICMP interval, so SETTLE=40 measures the idle state.
sleep "${SETTLE:-10}"
declare -A T0
for p in $(pids "$APP"); do T0[$p]=$(ticks_of "$p"); done
sleep "$WINDOW"
hz=$(getconf CLK_TCK)
total=0 rss=0
for p in $(pids "$APP"); do
  t=$(( $(ticks_of "$p") - ${T0[$p]:-0} )); k=$(rss_of "$p")
  total=$((total + t)); rss=$((rss + k))
  printf '  %-22s pid %-7s CPU %6s%% of one core, RSS %5s MiB\n' "$(name "$p")" "$p" "$(echo "scale=2; $t * 100 / $hz / $WINDOW" | bc)" $((k / 1024))
done
echo "CPU over ${WINDOW}s while monitoring $N devices (app + WebKit): $(echo "scale=2; $total * 100 / $hz / $WINDOW" | bc)% of one core"
echo "RSS (app + WebKit processes): $((rss / 1024)) MiB; app alone: $(( $(rss_of "$APP") / 1024 )) MiB"
grep -c "state changed" "$TMP/app.log" | sed 's/^/state changes logged: /'
