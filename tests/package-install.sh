#!/usr/bin/env bash
# Install test of the built Linux packages. Installs the .deb with apt-get (the
# way a user would; apt resolves its dependencies), then checks what it put on
# the system: the desktop app and the `meridian` CLI in /usr/bin, the desktop
# entry (Categories=Network;Monitor;), the icons, bash/zsh/fish completions
# (bash must load them) and the man page. It starts the installed app under
# Xvfb with a temporary MERIDIAN_DATA_DIR and waits for its window "Meridian",
# launches it a second time on the same data directory (that launch must hand
# over and exit 0 quickly, leaving one window), and a third time on another
# data directory (that one must run: one app per data directory, not per
# machine). Then it removes the package and checks that nothing of it is left.
# When an .rpm was built and `rpm` is installed, the .rpm's file list and
# metadata are checked too (it cannot be installed on Debian).
#
# Builds nothing: run `tauri build --debug --bundles deb,rpm` first (make
# test-package does). Every wait is bounded. Needs root (dpkg). No network
# traffic: the app has no devices.
#
#   env: CARGO_TARGET_DIR, PACKAGE_PROFILE (debug|release, default debug),
#        PACKAGE_TIMEOUT (seconds, default 60), PACKAGE_KEEP=1 keeps the temp dir.
set -euo pipefail

# The single-instance hand-over goes over the session bus; this one is ours.
# shellcheck source=lib/private-bus.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/private-bus.sh"
private_bus package-install "$@"

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
PROFILE=${PACKAGE_PROFILE:-debug}
BUNDLE=$TARGET/$PROFILE/bundle
TIMEOUT=${PACKAGE_TIMEOUT:-60}
PKG=meridian
APP_BIN=/usr/bin/meridian-desktop
CLI_BIN=/usr/bin/meridian
DESKTOP_FILE=/usr/share/applications/Meridian.desktop
# Everything of ours the package puts on the system; all must go on removal.
OWNED=("$APP_BIN" "$CLI_BIN" "$DESKTOP_FILE"
  /usr/share/bash-completion/completions/meridian
  /usr/share/zsh/vendor-completions/_meridian
  /usr/share/fish/vendor_completions.d/meridian.fish
  /usr/share/man/man1/meridian.1.gz
  /usr/share/meridian/mibs/IF-MIB.txt
  /usr/share/meridian/mibs/MERIDIAN-ALARM-MIB.txt
  /usr/share/meridian/mibs/README.md
  /usr/share/icons/hicolor/128x128/apps/meridian-desktop.png)

TMP=$(mktemp -d "${TMPDIR:-/tmp}/meridian-package.XXXXXX")
# shellcheck source=lib/vault-key.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/vault-key.sh"
vault_key "$TMP"
XVFB_PID="" APP_PID="" OTHER_PID="" INSTALLED=0

# stop PID, wait_for SECONDS WHAT COMMAND... (tests/lib/wait.sh)
# shellcheck source=lib/wait.sh
source "$ROOT/tests/lib/wait.sh"
apt_get() { # bounded: apt waits at most 120 s for another dpkg to finish
  timeout 600 env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=120 -y -qq "$@"
}
cleanup() {
  stop "$OTHER_PID"
  stop "$APP_PID"
  stop "$XVFB_PID"
  ((INSTALLED)) && apt_get remove "$PKG" >>"$TMP/apt.log" 2>&1
  if [[ ${PACKAGE_KEEP:-0} == 1 ]]; then echo "package-install: kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

fail() {
  echo "package-install: FAIL: $*" >&2
  for f in "$TMP/apt.log" "$TMP"/app*.stderr "$TMP"/xdg-data/net.meridian.desktop/logs/*.log "$TMP/xvfb.log"; do
    [[ -s $f ]] && { echo "--- last lines of $f" >&2; tail -n 25 "$f" >&2; }
  done
  echo "0 passed, 1 failed"
  exit 1
}

for tool in Xvfb xdotool apt-get dpkg-deb; do
  command -v "$tool" >/dev/null || fail "$tool is missing; run scripts/install-deps.sh"
done
((EUID == 0)) || fail "needs root (installs and removes a package)"
DEB=$(ls -t "$BUNDLE"/deb/*.deb 2>/dev/null | head -n1 || true)
[[ -n $DEB ]] || fail "no .deb in $BUNDLE/deb; build it with: ui/node_modules/.bin/tauri build --debug --bundles deb,rpm"
VERSION=$(dpkg-deb -f "$DEB" Version)
[[ $(dpkg-deb -f "$DEB" Package) == "$PKG" ]] || fail "$DEB is package $(dpkg-deb -f "$DEB" Package), expected $PKG"
# The tray loads libayatana-appindicator3 at run time and the app cannot start without it.
dpkg-deb -f "$DEB" Depends | grep -q libayatana-appindicator3-1 || fail "$DEB does not depend on libayatana-appindicator3-1"

# Never overwrite what someone else installed; a leftover of our own is removed.
if dpkg-query -W -f='${Status}' "$PKG" 2>/dev/null | grep -q "install ok installed"; then
  echo "package-install: removing a $PKG package left installed by an earlier run"
  apt_get remove "$PKG" >>"$TMP/apt.log" 2>&1 || fail "cannot remove the installed $PKG"
fi
for f in "${OWNED[@]}"; do [[ ! -e $f ]] || fail "$f exists before the install; it is not ours to overwrite"; done

# --- the .rpm (file list and metadata only) -------------------------------------
RPM=$(ls -t "$BUNDLE"/rpm/*.rpm 2>/dev/null | head -n1 || true)
if [[ -n $RPM ]] && command -v rpm >/dev/null; then
  rpm -qlp "$RPM" >"$TMP/rpm-files" 2>>"$TMP/rpm.log" || fail "rpm -qlp $RPM failed: $(cat "$TMP/rpm.log")"
  for f in "$APP_BIN" "$CLI_BIN" /usr/share/zsh/site-functions/_meridian /usr/share/man/man1/meridian.1.gz \
    /usr/share/bash-completion/completions/meridian /usr/share/applications/Meridian.desktop \
    /usr/share/meridian/mibs/IF-MIB.txt; do
    grep -qx "$f" "$TMP/rpm-files" || fail "the .rpm does not carry $f: $(tr '\n' ' ' <"$TMP/rpm-files")"
  done
  rpm -qp --requires "$RPM" 2>/dev/null | grep -q webkit2gtk || fail "the .rpm does not require webkit2gtk"
  echo "package-install: $(basename "$RPM") carries the app, the CLI, completions and the man page"
else
  echo "package-install: no .rpm check ($([[ -z $RPM ]] && echo "no .rpm in $BUNDLE/rpm" || echo "rpm is not installed"))"
fi

# --- install ---------------------------------------------------------------------
INSTALLED=1
apt_get install "$DEB" >>"$TMP/apt.log" 2>&1 || fail "apt-get install $DEB failed"
dpkg-query -W -f='${Status}' "$PKG" | grep -q "install ok installed" || fail "$PKG is not installed after apt-get install"
for f in "${OWNED[@]}"; do [[ -e $f ]] || fail "the package did not install $f: $(dpkg -L "$PKG" | tr '\n' ' ')"; done
[[ -x $APP_BIN && -x $CLI_BIN ]] || fail "$APP_BIN or $CLI_BIN is not executable"

grep -qx 'Categories=Network;Monitor;' "$DESKTOP_FILE" || fail "$DESKTOP_FILE lacks Categories=Network;Monitor;: $(cat "$DESKTOP_FILE")"
grep -qx 'Exec=meridian-desktop' "$DESKTOP_FILE" || fail "$DESKTOP_FILE does not start meridian-desktop: $(cat "$DESKTOP_FILE")"
grep -qx 'Icon=meridian-desktop' "$DESKTOP_FILE" || fail "$DESKTOP_FILE does not name the installed icon: $(cat "$DESKTOP_FILE")"
grep -qx 'Name=Meridian' "$DESKTOP_FILE" || fail "$DESKTOP_FILE is not named Meridian: $(cat "$DESKTOP_FILE")"
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$DESKTOP_FILE" || fail "desktop-file-validate rejects $DESKTOP_FILE"
fi

got=$("$CLI_BIN" --version) || fail "$CLI_BIN --version failed"
[[ $got == "meridian $VERSION" ]] || fail "$CLI_BIN --version says '$got', the package is $VERSION"
zcat /usr/share/man/man1/meridian.1.gz | grep -q '^\.TH meridian 1' || fail "meridian.1.gz is not the meridian(1) page"
# The shipped MIBs serve net-snmp too: its own parser reads the installed copy.
if command -v snmptranslate >/dev/null; then
  got=$(snmptranslate -M /usr/share/meridian/mibs -m IF-MIB -On IF-MIB::linkDown 2>&1) \
    || fail "snmptranslate cannot read the installed MIBs: $got"
  [[ $got == .1.3.6.1.6.3.1.1.5.3 ]] || fail "snmptranslate IF-MIB::linkDown gave '$got'"
fi
bash -c 'source /usr/share/bash-completion/completions/meridian && complete -p meridian' >"$TMP/complete" 2>&1 \
  || fail "bash cannot load the installed completion: $(cat "$TMP/complete")"
grep -q '^#compdef meridian' /usr/share/zsh/vendor-completions/_meridian || fail "_meridian is not a zsh completion"
grep -q '^complete -c meridian' /usr/share/fish/vendor_completions.d/meridian.fish || fail "meridian.fish is not a fish completion"

# --- start the installed app -----------------------------------------------------
mkdir -p "$TMP/data" "$TMP/data2" "$TMP/xdg-data" "$TMP/xdg-config" "$TMP/xdg-cache" "$TMP/run"
chmod 700 "$TMP/data" "$TMP/data2" "$TMP/run"
export XDG_DATA_HOME=$TMP/xdg-data XDG_CONFIG_HOME=$TMP/xdg-config XDG_CACHE_HOME=$TMP/xdg-cache XDG_RUNTIME_DIR=$TMP/run
LOG_DIR=$XDG_DATA_HOME/net.meridian.desktop/logs

Xvfb -displayfd 3 -screen 0 1200x800x24 -nolisten tcp 3>"$TMP/display" >"$TMP/xvfb.log" 2>&1 &
XVFB_PID=$!
wait_for 15 "Xvfb to start" test -s "$TMP/display"
export DISPLAY=:$(head -n1 "$TMP/display")

# launch DATA_DIR SUFFIX: the installed app from PATH, as the desktop entry starts it.
launch() {
  MERIDIAN_DATA_DIR=$1 RUST_LOG=info \
    WEBKIT_DISABLE_COMPOSITING_MODE=1 WEBKIT_DISABLE_DMABUF_RENDERER=1 LIBGL_ALWAYS_SOFTWARE=1 \
    meridian-desktop >"$TMP/app$2.stdout" 2>"$TMP/app$2.stderr" &
}
windows() { xdotool search --onlyvisible --name '^Meridian$' 2>/dev/null | wc -l; }
has_windows() { (($(windows) == $1)); }

launch "$TMP/data" ""
APP_PID=$!
wait_for "$TIMEOUT" 'a window named "Meridian"' xdotool search --onlyvisible --name '^Meridian$'
wait_for "$TIMEOUT" "the installed app to open its store and start the monitor" grep -rqF 'monitor started' "$LOG_DIR"

# Second launch, same data directory: hands over to the first and exits 0.
launch "$TMP/data" 2
SECOND_PID=$!
deadline=$((SECONDS + 15))
while kill -0 "$SECOND_PID" 2>/dev/null; do
  ((SECONDS < deadline)) || { stop "$SECOND_PID"; fail "the second launch did not exit within 15 s"; }
  sleep 0.1
done
rc=0
wait "$SECOND_PID" || rc=$?
((rc == 0)) || fail "the second launch exited with code $rc, expected 0: $(tail -n 5 "$TMP/app2.stderr")"
wait_for 10 "the first app to log that it focused its window" grep -rqF 'second launch: focused the main window' "$LOG_DIR"
kill -0 "$APP_PID" 2>/dev/null || fail "the first app died after the second launch"
sleep 1 # a window the second launch wrongly opened would be mapped by now
has_windows 1 || fail "expected one Meridian window after the second launch, saw $(windows)"

# Third launch, another data directory: a separate app that runs beside the first.
launch "$TMP/data2" 3
OTHER_PID=$!
wait_for "$TIMEOUT" "a second window for the second data directory" has_windows 2
kill -0 "$OTHER_PID" 2>/dev/null || fail "the app on the second data directory exited: $(tail -n 5 "$TMP/app3.stderr")"
stop "$OTHER_PID"
OTHER_PID=""

# SIGTERM takes the normal exit path: exit code 0.
kill -TERM "$APP_PID"
deadline=$((SECONDS + 20))
while kill -0 "$APP_PID" 2>/dev/null; do
  ((SECONDS < deadline)) || fail "the installed app did not exit within 20 s of SIGTERM"
  sleep 0.25
done
rc=0
wait "$APP_PID" || rc=$?
APP_PID=""
((rc == 0)) || fail "the installed app exited with code $rc after SIGTERM"

# --- remove ----------------------------------------------------------------------
apt_get remove "$PKG" >>"$TMP/apt.log" 2>&1 || fail "apt-get remove $PKG failed"
INSTALLED=0
dpkg-query -W -f='${Status}' "$PKG" 2>/dev/null | grep -q "install ok installed" && fail "$PKG is still installed"
for f in "${OWNED[@]}"; do [[ ! -e $f ]] || fail "$f is left after removing the package"; done
left=$(compgen -G '/usr/bin/meridian*' || true)
[[ -z $left ]] || fail "left in /usr/bin after removal: $left"

echo "package-install: installed $(basename "$DEB") ($VERSION), desktop entry, icons, completions and man page in place, meridian --version ok, window shown, second launch handed over (exit 0, one window), another data directory ran beside it, removed cleanly"
echo "1 passed, 0 failed"
