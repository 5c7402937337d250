# Sourced by the desktop tests: gives the app a file-vault key outside its data
# directory, as a deployment would (MERIDIAN_VAULT_KEY_FILE). Without one the
# encrypted-file vault starts locked and the desktop opens its passphrase
# dialog before the main view, which a scripted run cannot answer. The file
# vault is forced too: with gnome-keyring installed (the keyring test's peer)
# the keyring probe would D-Bus-activate it on the test's private bus, wait
# about 2 s for it to refuse (no prompter), and leave a control dir in ~/.cache.
#
#   vault_key DIR    writes DIR/vault.key (0600) and exports its path

vault_key() {
  (umask 077 && head -c 32 /dev/urandom >"$1/vault.key")
  export MERIDIAN_VAULT_KEY_FILE=$1/vault.key MERIDIAN_VAULT=file
}
