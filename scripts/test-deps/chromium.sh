#!/usr/bin/env bash
# Provides a headless Chromium for the explorer's browser tests. Prints CHROMIUM_PATH=… (progress on stderr).
#
#   CHROMIUM_PATH set       that browser is used;
#   chromium on PATH        Debian's package (or any Chromium/Chrome named chromium, chromium-browser, google-chrome);
#   otherwise               Debian's chromium package is installed (root or passwordless sudo).
set -euo pipefail
STEP=chromium
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

runs() { [ -x "$1" ] && "$1" --headless --no-sandbox --version >/dev/null 2>&1; }

if [ -n "${CHROMIUM_PATH:-}" ]; then
  runs "$CHROMIUM_PATH" || give_up "CHROMIUM_PATH=$CHROMIUM_PATH does not run."
  echo "CHROMIUM_PATH=$CHROMIUM_PATH"
  exit 0
fi
for name in chromium chromium-browser google-chrome; do
  if found=$(command -v "$name") && runs "$found"; then
    echo "CHROMIUM_PATH=$found"
    exit 0
  fi
done
need_apt "Installing Chromium" "Install Chromium or Chrome and set CHROMIUM_PATH=<path of its executable>."
apt_install chromium
runs /usr/bin/chromium || give_up "/usr/bin/chromium does not run after installing Debian's chromium package"
say "$(/usr/bin/chromium --version)"
echo "CHROMIUM_PATH=/usr/bin/chromium"
