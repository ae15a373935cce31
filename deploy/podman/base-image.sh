#!/usr/bin/env bash
# Builds localhost/ringcache-base:17, a minimal Java 17 runtime image made from this
# machine's JDK, for machines that cannot pull eclipse-temurin:17-jre. The runtime sits in
# /opt/java/openjdk, where the Temurin images keep it, so deploy/Containerfile runs the
# same on either base:
#
#   podman build --build-arg BASE=localhost/ringcache-base:17 -f deploy/Containerfile .
#
# Contents: a jlink runtime with the modules the node uses, the shared libraries ldd names
# for it, /tmp, and passwd/group entries for the unprivileged user 10001 the image runs as.
# About 60 MB. Skips the build when the image exists, unless --rebuild is given.
set -euo pipefail

IMAGE=${RINGCACHE_BASE_IMAGE:-localhost/ringcache-base:17}
if [ "${1:-}" != "--rebuild" ] && podman image exists "$IMAGE"; then
  echo "base image $IMAGE exists (--rebuild to make it again)"
  exit 0
fi

JAVA_HOME=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
MODULES=java.base,java.logging,java.management,java.naming,java.net.http,java.sql,java.xml,jdk.unsupported,jdk.management,jdk.crypto.ec

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root/opt/java" "$root/etc" "$root/tmp"
chmod 1777 "$root/tmp"

"$JAVA_HOME/bin/jlink" --add-modules "$MODULES" --strip-debug --no-header-files \
  --no-man-pages --compress=2 --output "$root/opt/java/openjdk"

# Every shared library the runtime's binaries and libraries load, with the dynamic loader.
libs=$( { find "$root/opt/java/openjdk" -type f \( -name '*.so' -o -perm -u+x \) -print0 \
          | xargs -0 ldd 2>/dev/null || true; } \
        | awk '/=> \// { print $3 } /^[[:space:]]*\/[^ ]*ld-linux/ { print $1 }' | sort -u)
for lib in $libs; do
  cp --parents -L "$lib" "$root"
done
# Programs look for the loader under /lib64 whatever the distribution's layout.
loader=$(echo "$libs" | grep 'ld-linux' | head -1)
if [ -n "$loader" ] && [ ! -e "$root/lib64/$(basename "$loader")" ]; then
  mkdir -p "$root/lib64"
  cp -L "$loader" "$root/lib64/"
fi

cat > "$root/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/sbin/nologin
ringcache:x:10001:10001:ringcache:/opt/ringcache:/sbin/nologin
PASSWD
cat > "$root/etc/group" <<'GROUP'
root:x:0:
ringcache:x:10001:
GROUP

tar -C "$root" -c . | podman import --quiet \
  --change 'ENV PATH=/opt/java/openjdk/bin:/usr/bin:/bin' \
  --change 'ENV JAVA_HOME=/opt/java/openjdk' \
  - "$IMAGE" >/dev/null
echo "built $IMAGE ($(du -sh "$root" | cut -f1) uncompressed)"
