#!/usr/bin/env bash
# What unlocking the file vault costs a headless command: `meridian credential
# backend` on a vault with one credential, opened with a passphrase file
# (argon2id, 19 MiB, 2 passes), with a key file, and locked (no key). Runs the
# three interleaved ROUNDS times and prints each one's median wall time in ms.
#   env: BIN (default target/debug), ROUNDS (default 9)
set -euo pipefail
BIN=${BIN:-${CARGO_TARGET_DIR:-target}/debug}
ROUNDS=${ROUNDS:-9}
TMP=$(mktemp -d /tmp/meridian-vault-unlock.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/keys"
(umask 077 && head -c 32 /dev/urandom >"$TMP/keys/key" && echo "bench passphrase" >"$TMP/keys/pass")
export MERIDIAN_CONFIG=/dev/null MERIDIAN_VAULT=file
unset MERIDIAN_VAULT_KEY_FILE MERIDIAN_VAULT_PASSPHRASE_FILE CREDENTIALS_DIRECTORY
m() { "$BIN/meridian" "$@" >/dev/null; }
m --data-dir "$TMP/p" --vault-passphrase-file "$TMP/keys/pass" credential add-v2c a --community bench-community
MERIDIAN_VAULT_KEY_FILE=$TMP/keys/key m --data-dir "$TMP/k" credential add-v2c a --community bench-community
declare -A T=()
for _ in $(seq "$ROUNDS"); do
  for mode in passphrase key-file locked; do
    s=$(date +%s%N)
    case $mode in
      passphrase) m --data-dir "$TMP/p" --vault-passphrase-file "$TMP/keys/pass" credential backend ;;
      key-file) MERIDIAN_VAULT_KEY_FILE=$TMP/keys/key m --data-dir "$TMP/k" credential backend ;;
      locked) m --data-dir "$TMP/k" credential backend ;;
    esac
    T[$mode]+="$((($(date +%s%N) - s) / 1000000)) "
  done
done
for mode in passphrase key-file locked; do
  # shellcheck disable=SC2086
  median=$(printf '%s\n' ${T[$mode]} | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$mode: median ${median} ms (runs: ${T[$mode]})"
done
