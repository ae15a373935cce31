#!/usr/bin/env bash
# Runs the admin console's browser test (ConsoleBrowserTest: a 3-node cluster, a 4th joining)
# and copies the screenshots that run took into docs/images/. Installs Chromium through
# deploy/console/setup.sh when it is missing. About a minute after the build.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash deploy/console/setup.sh >/dev/null
rm -rf cache-node/target/console-screenshots
mvn -B -ntp -q -pl cache-node -am test -Dtest=ConsoleBrowserTest \
  -Dsurefire.failIfNoSpecifiedTests=false
mkdir -p docs/images
cp -v cache-node/target/console-screenshots/console-*.png docs/images/
