#!/usr/bin/env bash
# The desktop figures of issue 14 (docs/PERFORMANCE.md, "Desktop"): cold
# start, idle CPU and RSS of the built app with 1,000 devices, against the
# goals (1.5 s, 2 % of a core, 200 MiB). The measuring is tests/perf/desktop-perf.sh's
# (Xvfb, /proc/PID/stat and /proc/PID/status of the app and each WebKit
# child); this script fills the store once with one `meridian import devices`
# (instead of one CLI call per device), runs one first launch to fill the
# runtime cache, RUNS usual launches for the cold start, then one launch that
# settles for SETTLE s and measures CPU and RSS over WINDOW s. It prints the
# load average before and after each run. Builds nothing; needs root (raw
# ICMP), Xvfb, ui/dist built into the binary. Traffic: 127.3.0.0/16 only.
#
#   env: CARGO_TARGET_DIR, PROFILE (debug or release, default debug),
#        N (devices, default 1000), RUNS (usual launches, default 5),
#        SETTLE (default 40), WINDOW (default 60), WORK (kept between runs,
#        default /var/tmp/meridian-desktop-figures), NICE (passed on)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PROFILE=${PROFILE:-debug}
BIN=${BIN_DIR:-${CARGO_TARGET_DIR:-$ROOT/target}/$PROFILE}
N=${N:-1000}
RUNS=${RUNS:-5}
WORK=${WORK:-/var/tmp/meridian-desktop-figures}
export N PROFILE BIN_DIR=$BIN

for f in "$BIN/meridian-desktop" "$BIN/meridian"; do
  [[ -x $f ]] || { echo "desktop-figures: no $f; cargo build -p meridian-desktop -p meridian-cli first" >&2; exit 1; }
done
((EUID == 0)) || { echo "desktop-figures: needs root (the monitor's raw ICMP)" >&2; exit 1; }
# desktop-perf.sh takes display :77.
[[ -e /tmp/.X77-lock ]] && { echo "desktop-figures: display :77 is in use (another run?)" >&2; exit 1; }

# The seed: N devices on 127.3.0.0/16 with map locations (the same names,
# addresses and places as tests/perf/seed.sh), one CSV import. No vault key:
# each run's app then makes its vault with its own key (desktop-perf.sh).
SEED=$WORK/seed-n$N
if [[ ! -f $SEED.n$N ]]; then
  rm -rf "$SEED" && mkdir -p "$SEED" && chmod 700 "$SEED"
  csv=$WORK/devices-n$N.csv
  {
    echo "name,address,site,lat,lon,tags"
    for ((i = 0; i < N; i++)); do
      echo "perf-$i,127.3.$((i / 250)).$((i % 250 + 1)),,$(((i * 37) % 140 - 70)),$(((i * 91) % 340 - 170)),"
    done
  } >"$csv"
  env -u MERIDIAN_VAULT_KEY_FILE MERIDIAN_VAULT=file "$BIN/meridian" --data-dir "$SEED" import devices "$csv" >/dev/null
  touch "$SEED.n$N"
fi
export SEED CACHE=$WORK/cache

load() { cut -d' ' -f1-3 /proc/loadavg; }
perf() { bash "$ROOT/tests/perf/desktop-perf.sh"; }

echo "== first launch (fills the runtime cache; not a usual launch), load $(load)"
rm -rf "$CACHE"
WINDOW=1 SETTLE=0 perf | grep 'cold start'
starts=()
for ((r = 1; r <= RUNS; r++)); do
  before=$(load)
  out=$(WINDOW=1 SETTLE=0 perf)
  s=$(grep -oE 'devices: [0-9.]+ s' <<<"$out" | grep -oE '[0-9.]+')
  starts+=("$s")
  echo "== usual launch $r: cold start ${s} s (load $before -> $(load))"
  grep '^  first log line' <<<"$out"
done
echo "== idle: SETTLE=${SETTLE:-40} s, then CPU and RSS over ${WINDOW:-60} s, load $(load)"
SETTLE=${SETTLE:-40} WINDOW=${WINDOW:-60} perf | tee "$WORK/idle.txt"
echo "== load after: $(load)"

sorted=$(printf '%s\n' "${starts[@]}" | sort -n)
median=$(sed -n "$(((RUNS + 1) / 2))p" <<<"$sorted")
cpu=$(grep -oE 'app \+ WebKit\): [0-9.]+%' "$WORK/idle.txt" | grep -oE '[0-9.]+')
app_cpu=$(grep -E '^  meridian-desktop ' "$WORK/idle.txt" | grep -oE 'CPU +[0-9.]+' | grep -oE '[0-9.]+')
app_rss=$(grep -oE 'app alone: [0-9]+' "$WORK/idle.txt" | grep -oE '[0-9]+$')
verdict() { awk -v v="$1" -v g="$2" 'BEGIN { print (v + 0 <= g + 0) ? "met" : "NOT met" }'; }
echo
echo "cold start, $RUNS usual launches: $(head -n1 <<<"$sorted")-$(tail -n1 <<<"$sorted") s, median $median s (goal 1.5 s: $(verdict "$median" 1.5))"
echo "idle CPU, app process: ${app_cpu}% of a core; app + WebKit: ${cpu}% (goal 2 %: app $(verdict "$app_cpu" 2), with WebKit $(verdict "$cpu" 2))"
echo "RSS, app process: ${app_rss} MiB (goal 200 MiB: $(verdict "$app_rss" 200)); per process in the table above"
