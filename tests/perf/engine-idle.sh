#!/usr/bin/env bash
# Idle cost of the monitoring engine alone, headless: `meridian monitor` on a
# store with N loopback devices (127.3.0.0/16, ICMP only, as in
# desktop-perf.sh), after a settle time, CPU (utime+stime from
# /proc/PID/stat) over a window, and RSS (VmRSS, VmHWM, anonymous/file
# split) at its end. Not part of make test. Needs the built CLI and root (or
# a ping_group_range that admits the user) for ICMP. Traffic goes only to
# 127.3.0.0/16.
#   env: N (default 1000), WINDOW (seconds, default 60), SETTLE (seconds
#        between start and the window, default 40), RUNS (fresh processes,
#        default 1), PROFILE (debug or release, default release),
#        CARGO_TARGET_DIR, BIN_DIR (where `meridian` is instead),
#        SEED (a directory to keep a filled store in and copy for each run;
#        same layout as desktop-perf.sh's SEED), NICE (e.g. -10),
#        PERF_OUT (a file: `perf record -g` the window into it; the CPU
#        figure then includes perf's small overhead)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${BIN_DIR:-${CARGO_TARGET_DIR:-$ROOT/target}/${PROFILE:-release}}
N=${N:-1000}
WINDOW=${WINDOW:-60}
SETTLE=${SETTLE:-40}
RUNS=${RUNS:-1}
TMP=$(mktemp -d /tmp/meridian-engine-idle.XXXXXX)
cleanup() {
  if [[ -n ${MON:-} ]] && kill -0 "$MON" 2>/dev/null; then kill "$MON" 2>/dev/null; wait "$MON" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT
[[ -x $BIN/meridian ]] || { echo "no $BIN/meridian: cargo build --release -p meridian-cli --locked" >&2; exit 1; }

# fill DIR (tests/perf/seed.sh). SEED=DIR keeps a pristine filled store there
# and copies it for every run.
# shellcheck source=seed.sh
source "$ROOT/tests/perf/seed.sh"
if [[ -n ${SEED:-} ]]; then
  [[ -f $SEED.n$N ]] || { rm -rf "$SEED"; fill "$SEED"; touch "$SEED.n$N"; }
else
  SEED=$TMP/seed
  fill "$SEED"
fi

status_field() { grep -oE "\"$1\": *[0-9]+" "$2/status.json" 2>/dev/null | grep -oE '[0-9]+$' || echo 0; }
ticks() { awk '{print $14, $15}' "/proc/$1/stat"; }
kib() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }
hz=$(getconf CLK_TCK)
pct() { echo "scale=2; $1 * 100 / $hz / $WINDOW" | bc; }

for ((run = 1; run <= RUNS; run++)); do
  DATA=$TMP/data
  rm -rf "$DATA"
  cp -a "$SEED" "$DATA"
  MERIDIAN_DATA_DIR=$DATA MERIDIAN_VAULT=file RUST_LOG=${RUST_LOG:-warn} ${NICE:+nice -n "$NICE"} \
    "$BIN/meridian" monitor >"$TMP/monitor.log" 2>&1 &
  MON=$!
  sleep "$SETTLE"
  kill -0 "$MON" 2>/dev/null || { echo "meridian monitor exited early" >&2; tail -20 "$TMP/monitor.log" >&2; exit 1; }
  ok0=$(status_field icmpOk "$DATA"); written0=$(status_field samplesWritten "$DATA")
  read -r u0 s0 < <(ticks "$MON")
  if [[ -n ${PERF_OUT:-} ]]; then
    perf record -g -o "$PERF_OUT" -p "$MON" -- sleep "$WINDOW" 2>"$TMP/perf.log"
  else
    sleep "$WINDOW"
  fi
  read -r u1 s1 < <(ticks "$MON")
  ok1=$(status_field icmpOk "$DATA"); written1=$(status_field samplesWritten "$DATA")
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  rss=$(kib "$MON" VmRSS); hwm=$(kib "$MON" VmHWM); anon=$(kib "$MON" RssAnon); file=$(kib "$MON" RssFile)
  threads=$(kib "$MON" Threads)
  kill "$MON"; wait "$MON" 2>/dev/null || true; MON=
  polls=$((ok1 - ok0))
  # The window must have seen the engine at work, or the figure means nothing.
  ((polls > 0)) || { echo "no ICMP poll succeeded during the window" >&2; tail -20 "$TMP/monitor.log" >&2; exit 1; }
  printf 'run %d: CPU %s%% of one core (user %s%%, sys %s%%) over %ss; RSS %d MiB (anon %d, file %d), peak %d MiB; %s threads; %d polls ok, %d samples written in the window; load %s\n' \
    "$run" "$(pct $((u1 - u0 + s1 - s0)))" "$(pct $((u1 - u0)))" "$(pct $((s1 - s0)))" "$WINDOW" \
    $((rss / 1024)) $((anon / 1024)) $((file / 1024)) $((hwm / 1024)) "$threads" "$polls" $((written1 - written0)) "$load"
done
