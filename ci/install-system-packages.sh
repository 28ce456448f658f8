#!/usr/bin/env bash
# System packages for the remote-engine and browser tests (tests/test_remote_virtuoso.py,
# tests/test_browser.py). Lean on purpose: CI runs on a fresh machine within a time limit.
#   virtuoso-opensource-7-bin  Virtuoso 7's server binary (virtuoso-t) and isql-vt only: the tests run it
#                              on a temporary directory with their own virtuoso.ini; the full
#                              virtuoso-opensource package would also install and start a system service.
#   chromium, chromium-driver  headless browser for the served query page.
set -euo pipefail
PACKAGES=(virtuoso-opensource-7-bin chromium chromium-driver)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages already installed: ${PACKAGES[*]}"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
start=$(date +%s)
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "installed ${missing[*]} in $(( $(date +%s) - start )) s"
