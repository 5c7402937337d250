# Sourced by desktop-perf.sh and engine-idle.sh: the same N devices on
# 127.3.0.0/16 with map locations, added one CLI call each (~0.5 s: the
# embedded store starts every time), no credential, so the monitor polls
# them with ICMP only. Needs N and BIN.

# fill DIR: a store in DIR holding the N devices.
fill() {
  local dir=$1 i a b lat lon line
  echo "adding $N devices to $dir..." >&2
  for ((i = 0; i < N; i++)); do
    a=$((i / 250)); b=$((i % 250 + 1))
    lat=$(( (i * 37) % 140 - 70 )); lon=$(( (i * 91) % 340 - 170 ))
    echo "device add perf-$i 127.3.$a.$b --lat $lat --lon $lon"
  done | while read -r line; do
    # shellcheck disable=SC2086
    MERIDIAN_VAULT=file "$BIN/meridian" --data-dir "$dir" $line >/dev/null
  done
}
