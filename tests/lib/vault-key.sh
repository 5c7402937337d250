# Sourced by the desktop tests: gives the app a file-vault key outside its data
# directory, as a deployment would (MERIDIAN_VAULT_KEY_FILE). Without one the
# encrypted-file vault starts locked and the desktop opens its passphrase
# dialog before the main view, which a scripted run cannot answer.
#
#   vault_key DIR    writes DIR/vault.key (0600) and exports its path

vault_key() {
  (umask 077 && head -c 32 /dev/urandom >"$1/vault.key")
  export MERIDIAN_VAULT_KEY_FILE=$1/vault.key
}
