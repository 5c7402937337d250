#!/usr/bin/env bash
# Installs the UI's npm modules exactly as locked, only when they are missing
# or the lock file changed since the last install.
set -euo pipefail
cd "$(dirname "$0")/../ui"
stamp=node_modules/.meridian-lock-stamp
if [[ -f $stamp ]] && cmp -s package-lock.json "$stamp"; then
  echo "install-ui-deps: npm modules up to date"
  exit 0
fi
npm ci --no-audit --no-fund
cp package-lock.json "$stamp"
