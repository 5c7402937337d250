#!/usr/bin/env bash
# Generates the tray icons (icons/tray-<severity>.png) from icons/32x32.png:
# the app icon with a dot in the worst active severity's colour (the console's
# colours, ui/src/status.ts SEVERITY_HEX). The outputs are committed; run this
# again (ImageMagick's convert, from scripts/install-deps.sh) when the app
# icon or the colours change.
set -euo pipefail
cd "$(dirname "$0")/../icons"
declare -A COLOUR=([critical]='#b3124a' [major]='#d93030' [minor]='#e8a317' [warning]='#d6c21b' [indeterminate]='#7a8290')
for sev in "${!COLOUR[@]}"; do
  convert 32x32.png \( -size 32x32 xc:none -fill "${COLOUR[$sev]}" -stroke white -strokewidth 2 -draw 'circle 23,23 23,15' \) \
    -composite -define png:exclude-chunks=date,time "tray-$sev.png"
done
echo "tray-icons: wrote $(ls tray-*.png | tr '\n' ' ')"
