# Sourced by the desktop tests: bounded waits on processes and conditions.
# The caller defines `fail MESSAGE` (prints, exits 1) and `APP_PID` (the app
# whose death ends a wait early; empty for none).

stop() { # stop PID: TERM, then KILL after 10 s
  local pid=$1
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
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
