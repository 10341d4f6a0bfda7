#!/usr/bin/env bash
# Renders a run's report.html in headless Chromium (Debian: apt-get install -y chromium) and saves a screenshot,
# to check the page draws without a network. Usage: scripts/render-report.sh RUN_DIR OUT.png [WIDTHxHEIGHT]
set -euo pipefail
if [ $# -lt 2 ]; then echo "usage: $0 RUN_DIR OUT.png [WIDTHxHEIGHT]" >&2; exit 2; fi
report="$(realpath "$1")/report.html"
[ -f "$report" ] || { echo "$report not found: run 'nascent report $1' first" >&2; exit 2; }
command -v chromium >/dev/null || { echo "chromium not found: apt-get install -y chromium" >&2; exit 2; }
size="${3:-1200x3000}"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
  --disable-sync --no-first-run --user-data-dir="$profile" --screenshot="$(realpath -m "$2")" \
  --window-size="${size/x/,}" "file://$report" 2>/dev/null
echo "screenshot: $2"
