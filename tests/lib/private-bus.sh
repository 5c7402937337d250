# Sourced by the desktop tests: re-runs the calling script inside a private
# D-Bus session (dbus-run-session), as every desktop has one. Without it
# libdbus (notifications, the tray) autolaunches dbus-launch on the X display,
# and notifications could land on the desktop of whoever runs the test.
#
#   private_bus NAME "$@"    NAME prefixes the failure message

private_bus() {
  local name=$1
  shift
  [[ -n ${MERIDIAN_IN_PRIVATE_BUS:-} ]] && return 0
  if ! command -v dbus-run-session >/dev/null; then
    echo "$name: FAIL: dbus-run-session is missing; run scripts/install-deps.sh" >&2
    echo "0 passed, 1 failed"
    exit 1
  fi
  MERIDIAN_IN_PRIVATE_BUS=1 exec dbus-run-session -- bash "$0" "$@"
}
