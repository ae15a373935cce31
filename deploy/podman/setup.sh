#!/usr/bin/env bash
# Makes this machine able to build and run ringcache containers with podman and runc:
# installs the Debian packages when they are missing and turns off podman's default
# ulimits, which the sandboxes this project is tested in refuse to set.
# Idempotent; needs root (or sudo) only for what is missing.
set -euo pipefail

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
for tool in podman runc curl; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

conf=/etc/containers/containers.conf
if ! grep -qs '^[[:space:]]*default_ulimits[[:space:]]*=[[:space:]]*\[\]' "$conf"; then
  echo "setup: writing default_ulimits = [] to $conf"
  as_root mkdir -p /etc/containers
  if grep -qs '^\[containers\]' "$conf"; then
    as_root sed -i '/^\[containers\]/a default_ulimits = []' "$conf"
  else
    printf '[containers]\ndefault_ulimits = []\n' | as_root tee -a "$conf" >/dev/null
  fi
fi
podman --version
