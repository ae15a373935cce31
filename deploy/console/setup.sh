#!/usr/bin/env bash
# Installs Debian's chromium when no Chromium binary is on the PATH, for the admin console's
# headless browser test (ConsoleBrowserTest). Idempotent: runs apt-get only when one is missing.
# Uses sudo when not run as root. Prints the path of the binary it found or installed.
set -euo pipefail

find_chromium() {
  for name in chromium chromium-browser google-chrome-stable google-chrome; do
    if command -v "$name" >/dev/null 2>&1; then
      command -v "$name"
      return 0
    fi
  done
  return 1
}

if find_chromium; then
  exit 0
fi
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}
if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
  echo "chromium is missing and installing it needs root or sudo" >&2
  exit 1
fi
echo "setup: installing chromium" >&2
as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  chromium fonts-dejavu-core >&2
find_chromium
