#!/usr/bin/env bash
# Installs Prometheus and promtool (Debian's prometheus package) when either is missing, for
# deploy/prometheus/prometheus-test.sh. Runs apt-get update once, only when something is
# missing; needs root (or sudo) only then. The package also installs and may start a systemd
# service; the test never uses it: it runs its own prometheus process on a port of its own.
set -euo pipefail

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
for tool in prometheus promtool curl jq; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  packages=()
  for tool in "${missing[@]}"; do
    case "$tool" in
      prometheus | promtool) [[ " ${packages[*]} " == *" prometheus "* ]] || packages+=(prometheus) ;;
      *) packages+=("$tool") ;;
    esac
  done
  echo "setup: installing ${packages[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${packages[@]}" >/dev/null
fi
prometheus --version 2>&1 | head -1
