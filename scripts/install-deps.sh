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
  xvfb xauth xdotool imagemagick
  # test peers: native PostgreSQL as the second store backend
  postgresql
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

if ! command -v cargo >/dev/null 2>&1; then
  echo "install-deps: cargo not found; install Rust from rustup first" >&2
  exit 1
fi
