#!/usr/bin/env bash
# Desktop test of the built app in a real WebKitGTK under Xvfb. The CLI adds three
# devices: r1 at 127.0.0.1 with its own location, r2 at 127.9.7.7 placed by its
# site, r3 at 127.0.0.3 with no location. An iptables DROP makes 127.9.7.7 silent
# (removed again on exit). The app must open a window named "Meridian", start the
# monitor, raise the "unreachable" alarm for r2, forward it to the webview as a
# `core-events`, and the UI must draw it: two markers (one green, one red), one
# device in the "not on the map" list and the alarm row in the console (the UI
# reports what it drew through the `ui_rendered` command, which the shell logs).
# The alarm must also reach a real notification server: the test runs in its own
# session bus (dbus-run-session) with dunst on the Xvfb display, and dbus-monitor
# must see a Notify call naming r2 (and dunst must show it).
# Then a screenshot; the alarm is acknowledged with a comment by clicking and
# typing in the UI (xdotool); SIGTERM must exit cleanly, the store must hold
# the comment and the window geometry must have been saved. A restart must put
# the window back (clamped to the screen) and must not announce the alarm again.
#
# Builds nothing: it expects ui/dist and the debug binaries. Every wait is
# bounded. Traffic goes to 127.0.0.0/8 only. Needs root (iptables, raw ICMP).
#
#   env: CARGO_TARGET_DIR, MERIDIAN_DESKTOP_BIN, MERIDIAN_CLI_BIN, SMOKE_SCREENSHOT,
#        SMOKE_TIMEOUT (seconds, default 60), SMOKE_KEEP=1 keeps the temp dir.
set -euo pipefail

# A private session bus (tests/lib/private-bus.sh): the app's notifications
# and tray talk to it, and dunst (smoke test) must be ours.
# shellcheck source=lib/private-bus.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/private-bus.sh"
private_bus desktop-smoke "$@"

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
DESKTOP=${MERIDIAN_DESKTOP_BIN:-$TARGET/debug/meridian-desktop}
CLI=${MERIDIAN_CLI_BIN:-$TARGET/debug/meridian}
SHOT=${SMOKE_SCREENSHOT:-$ROOT/docs/screenshot.png}
TIMEOUT=${SMOKE_TIMEOUT:-60}
DEAD=127.9.7.7
# A comment unique to this run, so cleanup removes our rule and nobody else's.
RULE=(INPUT -d "$DEAD" -m comment --comment "meridian-desktop-smoke-$$" -j DROP)

TMP=$(mktemp -d "${TMPDIR:-/tmp}/meridian-desktop-smoke.XXXXXX")
# shellcheck source=lib/vault-key.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/vault-key.sh"
vault_key "$TMP"
XVFB_PID="" APP_PID="" DUNST_PID="" MONITOR_PID="" RULE_ADDED=0

# stop PID, wait_for SECONDS WHAT COMMAND... (tests/lib/wait.sh)
# shellcheck source=lib/wait.sh
source "$ROOT/tests/lib/wait.sh"
cleanup() {
  stop "$APP_PID"
  stop "$MONITOR_PID"
  stop "$DUNST_PID"
  stop "$XVFB_PID"
  if ((RULE_ADDED)); then
    while iptables -D "${RULE[@]}" 2>/dev/null; do :; done
  fi
  if [[ ${SMOKE_KEEP:-0} == 1 ]]; then echo "desktop-smoke: kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

fail() {
  echo "desktop-smoke: FAIL: $*" >&2
  for f in "$TMP/app.stderr" "$TMP/app2.stderr" "$TMP"/xdg-data/net.meridian.desktop/logs/*.log "$TMP/xvfb.log" "$TMP/dunst.log" "$TMP/notify.log"; do
    [[ -s $f ]] && { echo "--- last lines of $f" >&2; tail -n 25 "$f" >&2; }
  done
  echo "0 passed, 1 failed"
  exit 1
}

for tool in Xvfb xdotool import convert iptables dunst dunstctl dbus-monitor dbus-send; do
  command -v "$tool" >/dev/null || fail "$tool is missing; run scripts/install-deps.sh"
done
[[ -x $DESKTOP ]] || fail "no desktop binary at $DESKTOP; build it with cargo build -p meridian-desktop"
[[ -x $CLI ]] || fail "no CLI binary at $CLI; build it with cargo build -p meridian-cli"
[[ -f $ROOT/ui/dist/index.html ]] || fail "no ui/dist; run npm run build in ui/"
((EUID == 0)) || fail "needs root (iptables DROP of $DEAD, raw ICMP)"

# Everything the app and WebKit write goes under $TMP, never the user's home.
DATA=$TMP/data
mkdir -p "$DATA" "$TMP/xdg-data" "$TMP/xdg-config" "$TMP/xdg-cache" "$TMP/run"
chmod 700 "$DATA" "$TMP/run"
export XDG_DATA_HOME=$TMP/xdg-data XDG_CONFIG_HOME=$TMP/xdg-config XDG_CACHE_HOME=$TMP/xdg-cache XDG_RUNTIME_DIR=$TMP/run
LOG_DIR=$XDG_DATA_HOME/net.meridian.desktop/logs

cli() { "$CLI" --data-dir "$DATA" "$@" >>"$TMP/cli.log" 2>&1 || fail "meridian $* failed: $(cat "$TMP/cli.log")"; }
cli site add paris --lat 48.85 --lon 2.35
cli device add r1 127.0.0.1 --lat 52.5 --lon 13.4
cli device add r2 "$DEAD" --site paris
cli device add r3 127.0.0.3

iptables -I "${RULE[@]}" || fail "cannot add the iptables DROP for $DEAD"
RULE_ADDED=1

# Own Xvfb on a free display (-displayfd picks it), TCP off, sized to the
# window so the screenshot is just the app (there is no window manager).
Xvfb -displayfd 3 -screen 0 1200x800x24 -nolisten tcp 3>"$TMP/display" >"$TMP/xvfb.log" 2>&1 &
XVFB_PID=$!
wait_for 15 "Xvfb to start" test -s "$TMP/display"
export DISPLAY=:$(head -n1 "$TMP/display")

# A real notification server on that display, bubbles at the bottom left so
# they never cover the alarm console the test clicks in; critical ones stay up.
cat >"$TMP/dunstrc" <<'DUNSTRC'
[global]
    origin = bottom-left
    offset = 10x10
    width = 360
[urgency_critical]
    timeout = 0
DUNSTRC
dunst -config "$TMP/dunstrc" >"$TMP/dunst.log" 2>&1 &
DUNST_PID=$!
wait_for 15 "dunst to own org.freedesktop.Notifications" \
  dbus-send --session --print-reply --dest=org.freedesktop.DBus / org.freedesktop.DBus.GetNameOwner string:org.freedesktop.Notifications
# Every Notify call on the bus, with its arguments (app, id, icon, summary, body, ...).
dbus-monitor --session "type='method_call',interface='org.freedesktop.Notifications',member='Notify'" >"$TMP/notify.log" 2>&1 &
MONITOR_PID=$!
wait_for 10 "dbus-monitor to become a monitor" grep -qF 'member=NameLost' "$TMP/notify.log"

# --- Tray icon (issue 4) ----------------------------------------------------
# Xvfb has no panel, so tests/tray/sni_host.py plays one: it owns
# org.kde.StatusNotifierWatcher on this session bus before the app starts, so
# libayatana-appindicator registers the app's StatusNotifierItem with it, and
# then reads the item as a panel would: its label (the active alarm count,
# AlarmCounts::tray_title), its com.canonical.dbusmenu layout, and clicks.
# check_tray runs once the alarm is raised and acknowledged; check_tray_restart
# once the restarted app drew it again (see the calls below).
SNI=$ROOT/tests/tray/sni_host.py
SNI_PID=""
/usr/bin/python3 -c 'import gi; gi.require_version("Gio", "2.0"); from gi.repository import Gio' 2>/dev/null \
  || fail "python3 gi is missing (Debian: python3-gi gir1.2-glib-2.0); run scripts/install-deps.sh"
/usr/bin/python3 "$SNI" watch --lifetime $((TIMEOUT * 10)) >"$TMP/sni.log" 2>&1 &
SNI_PID=$!
trap 'stop "$SNI_PID"; cleanup' EXIT
wait_for 10 "the tray host to own org.kde.StatusNotifierWatcher" grep -qx ready "$TMP/sni.log"
sni() { # sni ARGS...: one sni_host.py client call; its output goes to $TMP/sni-client.log
  /usr/bin/python3 "$SNI" "$@" >>"$TMP/sni-client.log" 2>&1 \
    || fail "tray: sni_host.py $* failed: $(tail -n 3 "$TMP/sni-client.log"); host: $(tail -n 5 "$TMP/sni.log")"
}
log_count() { cat "$LOG_DIR"/*.log | grep -cE "$1" || true; }
log_grew() { (($(log_count "$1") > $2)); } # log_grew REGEX COUNT_BEFORE
TRAY_MENU='Show Meridian|-|Notifications on|Mute 1 h|Mute 4 h|Mute 8 h|Mute 24 h|Unmute|-|Quit'
check_tray() {
  sni items --timeout 20
  grep -q '^registered ' "$TMP/sni.log" || fail "tray: no item registered with the host: $(cat "$TMP/sni.log")"
  # r2's alarm is active (acknowledged is still active): the label is the count.
  sni label --expect 1 --timeout 20
  sni menu --expect "$TRAY_MENU" --timeout 10
  # The icon turned to the worst active severity's (r2's alarm).
  wait_for 10 "the tray icon to show the alarm's severity" grep -rqE 'worst=Some\((Critical|Major)\).*tray updated|tray updated.*worst=Some\((Critical|Major)\)' "$LOG_DIR"
  # A click must reach the service; it logs the mute with its hours.
  local muted='desktop notifications muted.*hours=1|hours=1.*desktop notifications muted'
  local unmuted='desktop notifications unmuted'
  local n_muted n_unmuted
  n_muted=$(log_count "$muted") n_unmuted=$(log_count "$unmuted")
  sni click 'Mute 1 h'
  wait_for 10 "the tray's Mute 1 h to mute notifications" log_grew "$muted" "$n_muted"
  # The menu's state line says until when (local HH:MM).
  sni menu --match 'Show Meridian\|-\|Notifications muted until [0-2][0-9]:[0-5][0-9]\|Mute 1 h\|.*' --timeout 10
  # Unmute again, so the restart below proves no replay rather than a mute.
  sni click Unmute
  wait_for 10 "the tray's Unmute to unmute notifications" log_grew "$unmuted" "$n_unmuted"
  sni menu --expect "$TRAY_MENU" --timeout 10
}
check_tray_restart() {
  # The restarted app registers a new item; its count comes from the store.
  (($(grep -c '^registered ' "$TMP/sni.log") >= 2)) || fail "tray: the restarted app did not register: $(cat "$TMP/sni.log")"
  sni label --expect 1 --timeout 20
}
# --- end of the tray block ---------------------------------------------------

# Xvfb has no GPU. WebKitGTK 2.50 on Debian 12 renders here without these, but
# on hosts with partial Mesa/DRM stacks its DMA-BUF renderer and GL compositing
# leave the webview blank, so force the plain software path.
# A 2 s ICMP interval: r2 goes down after 3 lost polls, within seconds.
start_app() { # start_app SUFFIX: output to $TMP/app$SUFFIX.{stdout,stderr}
  MERIDIAN_DATA_DIR=$DATA RUST_LOG=info,meridian_desktop=debug MERIDIAN_ICMP_INTERVAL=2 \
    WEBKIT_DISABLE_COMPOSITING_MODE=1 WEBKIT_DISABLE_DMABUF_RENDERER=1 LIBGL_ALWAYS_SOFTWARE=1 \
    "$DESKTOP" >"$TMP/app$1.stdout" 2>"$TMP/app$1.stderr" &
  APP_PID=$!
}
start_app ""

wait_for "$TIMEOUT" 'a window named "Meridian"' xdotool search --onlyvisible --name '^Meridian$'
# The command logs only after the UI's JS ran and invoked it, so this proves the whole path.
wait_for "$TIMEOUT" "the UI to call list_devices (count=3) in $LOG_DIR" \
  grep -rqF 'list_devices count=3' "$LOG_DIR"
wait_for 15 "the monitor to start" grep -rqF 'monitor started' "$LOG_DIR"
wait_for "$TIMEOUT" "the monitor to mark r2 down" grep -rqE 'device=r2 .*to=Down.*state changed|state changed.*device=r2.*Down' "$LOG_DIR"
wait_for 15 "the shell to forward the alarm to the UI" \
  grep -rqE 'type="?alarmRaised"? forwarded core event|forwarded core event.*type="?alarmRaised' "$LOG_DIR"
# The alarm reached the notification server: a Notify call from Meridian whose
# summary names r2 (the device's name, not its id), and dunst displays it.
wait_for 20 "a Notify call for r2 on the session bus" grep -qF 'string "Critical alarm: r2"' "$TMP/notify.log"
grep -qF 'string "Meridian"' "$TMP/notify.log" || fail "the Notify call does not come from app name Meridian: $(head -c 800 "$TMP/notify.log")"
wait_for 10 "dunst to display the notification" bash -c '(( $(dunstctl count displayed) + $(dunstctl count history) >= 1 ))'
grep -rqF 'desktop notification shown' "$LOG_DIR" || fail "the app did not log the notification as shown"
# What the UI drew: r1 green, r2 red (placed by its site), r3 listed, one major-or-worse alarm row.
DRAWN='ui rendered devices=3 markers=2 green=1 amber=0 red=1 grey=0 unlocated=1 alarms=1 .* rows=1'
wait_for "$TIMEOUT" "the UI to draw a green and a red marker and the alarm" grep -rqE "$DRAWN" "$LOG_DIR"

sleep 2 # let WebKit paint after the UI reported
mkdir -p "$(dirname "$SHOT")"
import -window root "$SHOT" || fail "screenshot failed"
# A blank (single-colour) capture means WebKit did not render.
spread=$(convert "$SHOT" -format '%[fx:standard_deviation]' info:)
awk -v s="$spread" 'BEGIN { exit !(s > 0.02) }' || fail "screenshot $SHOT looks blank (stddev $spread)"

# Acknowledge through the UI like a user: click the first row's Ack button (the
# window is 1200x800 at 0,0: no window manager; the console's first row sits
# under its Active/Cleared/Event log tabs, below the two-row header a window
# under 1,400 px gets, Ack at the row's right end), type a
# comment, press Enter. The inline form takes focus itself; X gives keys to
# the window under the pointer.
ACK_COMMENT="e2e-ack-$$"
xdotool mousemove 1167 188 click 1 || fail "xdotool click failed"
sleep 1
xdotool type --delay 20 "$ACK_COMMENT" && xdotool key Return || fail "xdotool typing failed"
wait_for 20 "the shell to forward the acknowledgement" \
  grep -rqE 'forwarded core event.*type="?alarmAcknowledged' "$LOG_DIR"
wait_for 20 "the UI to draw the alarm as acknowledged" grep -rqE 'ui rendered .* alarms=1 .* acked=1 ' "$LOG_DIR"
import -window root "$TMP/acked.png" || true
check_tray # tray test: see the tray block above

# SIGTERM must take the normal exit path: service shut down, exit code 0.
stop_app() {
  kill -0 "$APP_PID" 2>/dev/null || fail "the app exited early"
  kill -TERM "$APP_PID"
  local deadline=$((SECONDS + 20)) rc=0
  while kill -0 "$APP_PID" 2>/dev/null; do
    ((SECONDS < deadline)) || fail "the app did not exit within 20s of SIGTERM"
    sleep 0.25
  done
  wait "$APP_PID" || rc=$?
  APP_PID=""
  ((rc == 0)) || fail "the app exited with code $rc after SIGTERM"
}
stop_app
grep -rqF 'service shut down' "$LOG_DIR" || fail "the log does not show the service shutting down"
# The window's geometry was saved (debounced on move/resize, flushed at exit).
STATE=$XDG_CONFIG_HOME/net.meridian.desktop/window-state.json
[[ -s $STATE ]] || fail "no saved window geometry at $STATE"
grep -qE '"width": ?1200' "$STATE" && grep -qE '"height": ?800' "$STATE" \
  || fail "the saved window geometry is not the 1200x800 window: $(cat "$STATE")"

# The store has the acknowledgement with the comment typed in the UI.
"$CLI" --data-dir "$DATA" --json alarms list --all >"$TMP/alarms.json" 2>>"$TMP/cli.log" || fail "meridian alarms list failed: $(tail -n 5 "$TMP/cli.log")"
grep -qE "\"ackComment\": ?\"$ACK_COMMENT\"" "$TMP/alarms.json" \
  || fail "the store does not have the acknowledgement comment $ACK_COMMENT: $(head -c 600 "$TMP/alarms.json")"

# A restart. The saved geometry puts the window off-screen and below its minimum
# size: it must come back centred on the (only) screen at 640x400, the minimum
# in tauri.conf.json. The alarm is still active (acknowledged, not cleared), so
# finding r2 down again must not announce it a second time.
printf '{"x":5000,"y":-3000,"width":300,"height":200,"maximized":false}\n' >"$STATE"
LOG_MARK=$(cat "$LOG_DIR"/*.log | wc -l)
since_restart() { cat "$LOG_DIR"/*.log | tail -n "+$((LOG_MARK + 1))"; }
# r2 drawn red again: the restarted monitor polled it and found it down. (It
# logs no state change: the monitor resumes from the active alarm.)
down_again() { since_restart | grep -qE 'ui rendered .* red=1 .* alarms=1 .* acked=1 '; }
start_app 2
wait_for "$TIMEOUT" "the restarted window" xdotool search --onlyvisible --name '^Meridian$'
# xdotool dies with BadWindow when a window it is walking vanishes (GTK makes
# and drops helper windows at start-up), so the read is retried, bounded.
geometry=""
for _ in $(seq 40); do
  geometry=$(xdotool search --onlyvisible --name '^Meridian$' getwindowgeometry 2>/dev/null) && break
  sleep 0.25
done
[[ $geometry == *"Position: 280,200 "* && $geometry == *"Geometry: 640x400"* ]] \
  || fail "the restored window is not centred at its minimum size (280,200 640x400): $geometry"
wait_for "$TIMEOUT" "the restarted app to find r2 down and draw its acknowledged alarm" down_again
check_tray_restart # tray test: see the tray block above
stop_app
notified=$(grep -cF 'string "Critical alarm: r2"' "$TMP/notify.log" || true)
((notified == 1)) || fail "expected exactly one notification for r2 across the restart, saw $notified"

echo "desktop-smoke: window shown, monitor raised the alarm for $DEAD, the UI drew it, dunst showed its notification, acknowledged from the UI, clean exit, geometry saved and restored, no replay after a restart, screenshot at $SHOT"
echo "1 passed, 0 failed"
