#!/usr/bin/env bash
# Installs redis-cli (Debian's redis-tools) when it is missing, for bin/resp-cli-test.
# Uses sudo when not run as root.
set -euo pipefail

if command -v redis-cli >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [[ "$(id -u)" -ne 0 ]]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "redis-cli is missing and installing redis-tools needs root or sudo" >&2
    exit 1
  fi
  SUDO=sudo
fi
echo "== installing redis-tools (redis-cli)"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends redis-tools
command -v redis-cli >/dev/null
