#!/usr/bin/env bash
# The container test: builds the node image with podman and runs a 3-container cluster on
# 127.0.0.1 (host network), configured only through RINGCACHE_* variables, then
#   1. writes keys through one container and reads every one back through the others,
#   2. checks /metrics, the health endpoints and that a wrong token is refused,
#   3. stops n2 gracefully through the Kubernetes preStop hook (DrainHook: POST
#      /v1/admin/drain, wait) and checks that it drained and exited 0, that n1 and n3 form a
#      STABLE two-member ring, and that no key was lost;
#   4. stops n3 with SIGTERM (podman stop, as compose does): drained, exit 0, n1 alone keeps
#      every key.
# The containers run as Kubernetes runs them with deploy/kubernetes: read-only root file
# system with a /tmp tmpfs, no capabilities, no privilege escalation.
# Bounded in time, removes its own containers whatever happens. Run from anywhere:
#   bash deploy/podman/container-test.sh
set -euo pipefail

cd "$(dirname "$0")/../.."
KEYS=${KEYS:-400}
TAG=ci-$$
IMAGE=localhost/ringcache-node:$TAG
TOKEN=container-test-token-$RANDOM$RANDOM
BASE_PORT=${BASE_PORT:-27000}
NODES=(n1 n2 n3)
LOG_DIR=${LOG_DIR:-target/container-test}
mkdir -p "$LOG_DIR"

log() { printf '%s container-test: %s\n' "$(date -u +%H:%M:%S)" "$*"; }
fail() { log "FAILED: $*"; exit 1; }

bash deploy/podman/setup.sh
if [ ! -f cache-node/target/cache-node.jar ]; then
  log "building cache-node.jar"
  mvn -B -ntp -q -pl cache-node -am package -DskipTests
fi
bash deploy/podman/base-image.sh
log "building $IMAGE on localhost/ringcache-base:17"
podman build --runtime runc -q --build-arg BASE=localhost/ringcache-base:17 \
  -f deploy/Containerfile -t "$IMAGE" . >/dev/null

http_port() { echo $((BASE_PORT + 80 + $1)); }
client_port() { echo $((BASE_PORT + $1)); }
cluster_port() { echo $((BASE_PORT + 700 + $1)); }
bus_port() { echo $((BASE_PORT + 800 + $1)); }
container() { echo "ringcache-$TAG-$1"; }

cleanup() {
  for n in "${NODES[@]}"; do
    podman logs "$(container "$n")" > "$LOG_DIR/$n.log" 2>&1 || true
    podman rm -f -t 0 "$(container "$n")" >/dev/null 2>&1 || true
  done
  podman rmi -f "$IMAGE" >/dev/null 2>&1 || true
}
trap cleanup EXIT

SEEDS="127.0.0.1:$(cluster_port 1),127.0.0.1:$(cluster_port 2),127.0.0.1:$(cluster_port 3)"
for i in 1 2 3; do
  n=${NODES[$((i - 1))]}
  podman run -d --runtime runc --network host --name "$(container "$n")" \
    --read-only --tmpfs /tmp --cap-drop ALL --security-opt no-new-privileges \
    -e RINGCACHE_NAME="$n" \
    -e RINGCACHE_CLUSTER_NAME="ringcache-$TAG" \
    -e RINGCACHE_PORT="$(client_port $i)" \
    -e RINGCACHE_HTTP_PORT="$(http_port $i)" \
    -e RINGCACHE_CLUSTER_PORT="$(cluster_port $i)" \
    -e RINGCACHE_EVENT_BUS_PORT="$(bus_port $i)" \
    -e RINGCACHE_SEEDS="$SEEDS" \
    -e RINGCACHE_AUTH_TOKEN="$TOKEN" \
    -e RINGCACHE_LOG_FORMAT=json \
    -e RINGCACHE_DRAIN_TIMEOUT=60s \
    -e JDK_JAVA_OPTIONS=-Xmx256m \
    "$IMAGE" >/dev/null
  log "started $n: client $(client_port $i), http $(http_port $i)"
done

auth=(-H "Authorization: Bearer $TOKEN")
url() { echo "http://127.0.0.1:$(http_port "$1")$2"; }
topology() { curl -sf "${auth[@]}" "$(url "$1" /v1/topology)"; }
# Prints "<phase> <read members, comma-separated>" of node $1's installed topology.
ring_of() {
  topology "$1" | python3 -c 'import json,sys; t=json.load(sys.stdin); print(t["phase"], ",".join(sorted(t["readMembers"])))'
}

await() { # await <seconds> <description> <command...>
  local deadline=$((SECONDS + $1)) what=$2
  shift 2
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || fail "timed out after ${deadline}s waiting for $what"
    sleep 1
  done
}
stable_with() { # stable_with <members> <node indexes...>
  local want=$1
  shift
  for i in "$@"; do
    [ "$(ring_of "$i")" = "STABLE $want" ] || return 1
  done
}

await 120 "three ready members" stable_with n1,n2,n3 1 2 3
for i in 1 2 3; do
  curl -sf "$(url $i /health/live)" >/dev/null || fail "n$i /health/live"
  curl -sf "$(url $i /health/ready)" >/dev/null || fail "n$i /health/ready"
done
log "cluster formed: $(ring_of 1)"

log "writing $KEYS keys through n1"
for k in $(seq 1 "$KEYS"); do
  curl -sf -X PUT "${auth[@]}" --data-binary "value-$k" "$(url 1 "/v1/keys/key-$k")" >/dev/null \
    || fail "PUT key-$k through n1"
done

check_all() { # check_all <node index>: every key reads back its value
  local got
  for k in $(seq 1 "$KEYS"); do
    got=$(curl -sf "${auth[@]}" "$(url "$1" "/v1/keys/key-$k")") || fail "GET key-$k through n$1"
    [ "$got" = "value-$k" ] || fail "key-$k through n$1 was '$got', expected 'value-$k'"
  done
  log "all $KEYS keys read back through n$1"
}
check_all 2
check_all 3

code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer wrong" "$(url 1 /v1/keys/key-1)")
[ "$code" = 401 ] || [ "$code" = 403 ] || fail "a wrong token got HTTP $code"
log "a wrong token is refused (HTTP $code)"

metrics=$(curl -sf "$(url 1 /metrics)") || fail "GET /metrics"
for meter in 'cache_gets_total{cache="ringcache",result="hit"}' cache_puts_total \
    ringcache_requests_seconds_count ringcache_topology_epoch ringcache_members; do
  grep -qF "$meter" <<<"$metrics" || fail "/metrics lacks $meter"
done
grep -q 'key-1' <<<"$metrics" && fail "/metrics shows a key"
log "/metrics shows the cache and ringcache meters"

stopped_cleanly() { # stopped_cleanly <node>: exited 0 after logging drain.finished
  local code
  code=$(podman inspect -f '{{.State.ExitCode}}' "$(container "$1")")
  [ "$code" = 0 ] || fail "$1 exited with $code, expected 0 (drained)"
  # Read the whole log first: with pipefail, 'podman logs | grep -q' fails whenever grep stops at
  # the first match before podman has written everything (SIGPIPE), which depends on timing.
  local logs
  logs=$(podman logs "$(container "$1")" 2>&1)
  grep -qF '"event":"drain.finished"' <<<"$logs" || fail "$1's log has no drain.finished event"
}
not_running() { [ "$(podman inspect -f '{{.State.Running}}' "$(container "$1")")" = false ]; }

log "stopping n2 through the preStop hook (DrainHook)"
# The hook is killed with the container once the node exits; the container's exit code and
# log tell whether the drain completed.
podman exec "$(container n2)" java -Xmx32m -XX:TieredStopAtLevel=1 \
  -cp /opt/ringcache/cache-node.jar io.ringcache.node.DrainHook || true
await 90 "n2 to exit" not_running n2
stopped_cleanly n2
log "n2 drained and exited 0"
await 60 "a STABLE ring of n1 and n3" stable_with n1,n3 1 3
check_all 1
check_all 3

log "stopping n3 with SIGTERM (podman stop)"
podman stop -t 90 "$(container n3)" >/dev/null
stopped_cleanly n3
log "n3 drained and exited 0"
await 60 "a STABLE ring of n1 alone" stable_with n1 1
check_all 1
log "PASSED: 3 containers, $KEYS keys, n2 drained by the preStop hook, n3 by SIGTERM, no key lost"
