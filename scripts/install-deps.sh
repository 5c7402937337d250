#!/usr/bin/env bash
# Installs what Meridian needs to build, run and test on Debian 12 / Ubuntu.
# Idempotent: it only asks apt for packages that are missing, so a second run is a no-op.
set -euo pipefail

APT_PACKAGES=(
  # build
  build-essential pkg-config curl file libssl-dev
  # Tauri 2 on Linux (WebKitGTK 4.1, tray icon, SVG icons)
  libwebkit2gtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev libxdo-dev
  # headless display for tests and screenshots
  xvfb xauth xdotool imagemagick webkit2gtk-driver
  # a real notification server (and, through its deps, dbus-run-session) for the smoke test
  dunst
  # the smoke test's stand-in tray panel (tests/tray/sni_host.py: system python3 + GObject)
  python3-gi gir1.2-glib-2.0
  # test peers: native PostgreSQL as the second store backend
  postgresql
  # test peers for the pollers: net-snmp agent and tools, fping (the ICMP
  # anchor), iptables/iproute2 for dead targets, Python for snmpsim
  snmpd snmp fping iptables iproute2 python3-venv python3-gdbm
  # northbound forwarding's test peer: snmptrapd decodes forwarded traps with mibs/MERIDIAN-ALARM-MIB
  snmptrapd
  # timing test peers: ptp4l/pmc (in test-owned network namespaces) and chronyd (NTP on loopback)
  linuxptp chrony
  # setpriv/unshare (util-linux) and setcap for the non-root ICMP tests
  util-linux libcap2-bin
  # syslog test peers: util-linux `logger` (RFC 3164/5424 over UDP and TCP), rsyslog as a
  # relay forwarding over TLS (GnuTLS driver), openssl to make the test certificates
  bsdutils rsyslog rsyslog-gnutls openssl
  # package test: rpm reads the built .rpm (rpm -qlp), desktop-file-validate checks the desktop entry
  rpm desktop-file-utils
  # reports' test peers: pdfinfo, pdftotext and pdftoppm read and render the generated PDFs
  poppler-utils
  # the keyring vault's test peer: gnome-keyring-daemon on a private dbus-daemon
  # session bus (dbus-send waits for it), secret-tool checks what it holds
  gnome-keyring dbus libsecret-tools
  # the team server's web console test: headless Chromium driven over WebDriver by chromedriver
  chromium chromium-driver
  # node for the UI build
  nodejs npm
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

# node/npm may come from outside apt (nvm, NodeSource); accept any node >= 18 on PATH.
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  filtered=()
  for p in "${missing[@]}"; do [[ $p == nodejs || $p == npm ]] || filtered+=("$p"); done
  missing=("${filtered[@]+"${filtered[@]}"}")
fi

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "install-deps: apt packages present"
fi

# Rust: Debian's own cargo is too old for this workspace, so use rustup.
if ! command -v cargo >/dev/null 2>&1 && [[ -x $HOME/.cargo/bin/cargo ]]; then
  export PATH="$HOME/.cargo/bin:$PATH"
fi
if ! command -v cargo >/dev/null 2>&1; then
  echo "install-deps: installing Rust with rustup"
  if ! curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal; then
    echo "install-deps: could not install Rust; install it from https://rustup.rs and run again" >&2
    exit 1
  fi
  export PATH="$HOME/.cargo/bin:$PATH"
fi
# tauri-driver fronts WebKitWebDriver for the desktop end-to-end test.
if ! command -v tauri-driver >/dev/null 2>&1 && [[ ! -x $HOME/.cargo/bin/tauri-driver ]]; then
  echo "install-deps: installing tauri-driver"
  cargo install tauri-driver --locked --version 2.1.0
fi
if command -v rustup >/dev/null 2>&1; then
  for c in clippy rustfmt; do
    rustup component list --installed 2>/dev/null | grep -q "^$c" || rustup component add "$c"
  done
fi
