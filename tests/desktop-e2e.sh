#!/usr/bin/env bash
# End-to-end test of the built app through WebDriver: tauri-driver (cargo install
# tauri-driver --locked) in front of WebKitWebDriver (Debian webkit2gtk-driver),
# under Xvfb. The scenario is tests/e2e/webdriver_scenario.py; `make test`
# runs it after building the app. Builds nothing. Needs root (iptables, raw
# ICMP). Loopback only.
#
#   env: CARGO_TARGET_DIR, MERIDIAN_DESKTOP_BIN, MERIDIAN_CLI_BIN, TAURI_DRIVER, WEBKIT_DRIVER, E2E_TIMEOUT,
#        E2E_OUT (screenshots; default a temp dir), E2E_KEEP=1 keeps the temp dir.
set -euo pipefail

# A private session bus (tests/lib/private-bus.sh): the app's notifications
# and tray talk to it, and dunst (smoke test) must be ours.
# shellcheck source=lib/private-bus.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/private-bus.sh"
private_bus desktop-e2e "$@"

# One run at a time on this machine: the WebDriver ports (4444/4445) and the
# receivers' ports below are fixed, and a second tauri-driver session is
# refused ("Maximum number of active sessions"). Two checkouts (CI beside a
# worktree) share /tmp, so the lock lives there.
exec 9>"${TMPDIR:-/tmp}/meridian-desktop-e2e.lock"
if ! flock -n 9; then
  echo "desktop-e2e: another run holds the lock; waiting (at most 30 min)" >&2
  flock -w 1800 9 || { echo "desktop-e2e: FAIL: the lock was not released within 30 min" >&2; echo "0 passed, 1 failed"; exit 1; }
fi

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
DESKTOP=${MERIDIAN_DESKTOP_BIN:-$TARGET/debug/meridian-desktop}
CLI=${MERIDIAN_CLI_BIN:-$TARGET/debug/meridian}
DRIVER=${TAURI_DRIVER:-$(command -v tauri-driver || echo "$HOME/.cargo/bin/tauri-driver")}
ADDRESS=127.9.7.8
# The app's trap and syslog receivers (the events checks send to them on
# 127.0.0.1). Fixed, like the WebDriver ports; the lock above serialises runs.
TRAP_PORT=17162 SYSLOG_PORT=17514
RULE=(INPUT -d "$ADDRESS" -m comment --comment "meridian-desktop-e2e-$$" -j DROP)
# tests/e2e/checks_rootcause.py drops a whole segment (three bridges on
# 127.9.13.1-3) and removes the rule itself; the cleanups here remove it too.
RC_RULE=(INPUT -d 127.9.13.0/29 -m comment --comment "meridian-desktop-e2e-rc-$$" -j DROP)

TMP=$(mktemp -d "${TMPDIR:-/tmp}/meridian-desktop-e2e.XXXXXX")
# shellcheck source=lib/vault-key.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/vault-key.sh"
vault_key "$TMP"
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
  while iptables -D "${RC_RULE[@]}" 2>/dev/null; do :; done
  stop "$DRIVER_PID"
  stop "$XVFB_PID"
  if [[ ${E2E_KEEP:-0} == 1 ]]; then echo "desktop-e2e: kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

fail() {
  echo "desktop-e2e: FAIL: $*" >&2
  for f in "$TMP"/attempt-*/driver.log "$TMP"/attempt-*/xdg-data/net.meridian.desktop/logs/*.log; do
    [[ -s $f ]] && { echo "--- last lines of $f" >&2; tail -n 25 "$f" >&2; }
  done
  echo "0 passed, 1 failed"
  exit 1
}

for tool in Xvfb WebKitWebDriver iptables python3 curl logger snmptrap; do
  command -v "$tool" >/dev/null || fail "$tool is missing (apt: xvfb webkit2gtk-driver iptables python3 curl bsdutils snmp)"
done
[[ -x $DRIVER ]] || fail "no tauri-driver; cargo install tauri-driver --locked"
[[ -x $DESKTOP ]] || fail "no desktop binary at $DESKTOP"
[[ -x $CLI ]] || fail "no meridian CLI at $CLI"
((EUID == 0)) || fail "needs root (iptables DROP of $ADDRESS, raw ICMP)"

OUT=${E2E_OUT:-$TMP/screenshots}
mkdir -p "$OUT"

# One attempt: a fresh data directory, Xvfb, tauri-driver and app. Returns the
# scenario's status (75 = the WebDriver connection dropped, see below).
attempt() {
  local n=$1 dir=$TMP/attempt-$1
  DATA=$dir/data
  mkdir -p "$DATA" "$dir/xdg-data" "$dir/xdg-config" "$dir/xdg-cache" "$dir/run"
  chmod 700 "$DATA" "$dir/run"
  export XDG_DATA_HOME=$dir/xdg-data XDG_CONFIG_HOME=$dir/xdg-config XDG_CACHE_HOME=$dir/xdg-cache XDG_RUNTIME_DIR=$dir/run
  # Receivers beside the monitor: syslog from the config file, traps from the
  # stored setting (the desktop has no flag for either). checks_stale.py adds
  # a poll start delay to this file for its restart, and puts it back.
  printf '[syslog]\nport = %d\nbind = "127.0.0.1"\n' "$SYSLOG_PORT" >"$dir/config.toml"
  export MERIDIAN_CONFIG=$dir/config.toml
  "$CLI" --data-dir "$DATA" traps config --port "$TRAP_PORT" >"$dir/cli.log" 2>&1 || fail "meridian traps config failed: $(tail -n 5 "$dir/cli.log")"

  Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$dir/display" >"$dir/xvfb.log" 2>&1 &
  XVFB_PID=$!
  for _ in $(seq 60); do [[ -s $dir/display ]] && break; sleep 0.25; done
  [[ -s $dir/display ]] || fail "Xvfb did not start"
  export DISPLAY=:$(head -n1 "$dir/display")

  # The app inherits this environment from tauri-driver.
  export MERIDIAN_DATA_DIR=$DATA RUST_LOG=info,meridian_desktop=debug MERIDIAN_ICMP_INTERVAL=2
  export WEBKIT_DISABLE_COMPOSITING_MODE=1 WEBKIT_DISABLE_DMABUF_RENDERER=1 LIBGL_ALWAYS_SOFTWARE=1
  # Fixed loopback ports: tauri-driver has no way to report a free one.
  local native=()
  [[ -n ${WEBKIT_DRIVER:-} ]] && native=(--native-driver "$WEBKIT_DRIVER")
  "$DRIVER" --port 4444 --native-port 4445 "${native[@]}" >"$dir/driver.log" 2>&1 &
  DRIVER_PID=$!
  for _ in $(seq 60); do curl -sf http://127.0.0.1:4444/status >/dev/null 2>&1 && break; sleep 0.25; done
  curl -sf http://127.0.0.1:4444/status >/dev/null 2>&1 || fail "tauri-driver did not listen on 127.0.0.1:4444"

  local rc=0
  # The whole scenario took 171 s here under load (3 minutes with the root-cause
  # check's two discovery runs and outage); the bound leaves room for a slower CI.
  E2E_APP=$DESKTOP E2E_ADDRESS=$ADDRESS E2E_OUT=$OUT E2E_TIMEOUT=${E2E_TIMEOUT:-60} \
    E2E_TRAP_PORT=$TRAP_PORT E2E_SYSLOG_PORT=$SYSLOG_PORT \
    E2E_DROP_CMD="iptables -C ${RULE[*]} 2>/dev/null || iptables -I ${RULE[*]}" \
    E2E_UNDROP_CMD="while iptables -D ${RULE[*]} 2>/dev/null; do :; done" E2E_IS_DROPPED_CMD="iptables -C ${RULE[*]}" \
    E2E_RC_DROP_CMD="iptables -I ${RC_RULE[*]}" E2E_RC_UNDROP_CMD="while iptables -D ${RC_RULE[*]} 2>/dev/null; do :; done" \
    timeout 600 python3 "$ROOT/tests/e2e/webdriver_scenario.py" || rc=$?
  while iptables -D "${RULE[@]}" 2>/dev/null; do :; done
  while iptables -D "${RC_RULE[@]}" 2>/dev/null; do :; done
  stop "$DRIVER_PID"
  stop "$XVFB_PID"
  DRIVER_PID="" XVFB_PID=""
  if ((rc != 0)); then
    echo "--- attempt $n: last lines of $dir/driver.log" >&2
    tail -n 15 "$dir/driver.log" >&2 || true
  fi
  return $rc
}

# A dropped WebDriver connection used to end about half of the runs: the
# scenario's urllib client sent `Connection: close`, tauri-driver forwarded it,
# WebKitWebDriver closed each connection after answering while tauri-driver's
# pooled client was already reusing it, and got a TCP reset (seen in a packet
# capture). The client now keeps one connection open (tests/e2e/wdclient.py).
# A drop is still retried once on a fresh app, and printed, so an unrelated
# transport hiccup does not hide behind a red CI; a failed assertion fails at once.
result=1
for n in 1 2; do
  rc=0
  attempt "$n" || rc=$?
  if ((rc == 0)); then result=0; break; fi
  ((rc == 75)) || fail "the WebDriver scenario failed (attempt $n)"
  echo "desktop-e2e: attempt $n: the WebDriver connection dropped; retrying on a fresh app" >&2
done
((result == 0)) || fail "the WebDriver connection dropped in 2 attempts"
echo "desktop-e2e: added a device in the UI, saw it green, then red with the alarm, acknowledged it; screenshots in $OUT"
echo "1 passed, 0 failed"
