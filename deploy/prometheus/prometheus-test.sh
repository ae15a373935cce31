#!/usr/bin/env bash
# The Prometheus test: proves the Grafana dashboard's queries and the alert rules against a real
# Prometheus scraping a real 3-node cluster on 127.0.0.1.
#   1. deploy/prometheus/setup.sh installs Debian's prometheus (and jq, curl) when missing;
#      `promtool check rules` and `promtool test rules` check deploy/prometheus/alerts.yaml.
#   2. Three node processes form a cluster; a Prometheus of our own (its own port, its own
#      data directory; never the package's service) scrapes them every second and evaluates
#      the unchanged alerts.yaml every second.
#   3. With HTTP traffic running (sets, hits, misses, deletes through every node), it queries
#      through /api/v1/query every expression of deploy/grafana/ringcache.json (Grafana's
#      $job, $instance and $__rate_interval replaced by ringcache, .+ and 1m) and asserts each
#      returns at least one series with a number (not NaN); the dashboard's template variables
#      must list the job and the 3 instances.
#   4. For every alert as Prometheus loaded it (/api/v1/rules): the rule evaluates without
#      error, the whole expression returns nothing on the healthy cluster and the alert is
#      inactive (an alert over a rate() may be momentarily true, pending, but not firing), and
#      its measure (the expression without its final `<comparison> <threshold>`) returns a
#      number.
#   5. kill -9 of one node: RingcacheNodeDown must fire for that node, and only that node,
#      within 120 s (the rule waits 1 minute).
# Bounded in time; stops only the processes it started, by PID. Logs in
# target/prometheus-test/. About two minutes. Run from anywhere:
#   bash deploy/prometheus/prometheus-test.sh
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT=$(pwd)
BASE_PORT=${BASE_PORT:-28400}
JAR=cache-node/target/cache-node.jar
JAVA_OPTS=${JAVA_OPTS:--Xmx256m -XX:+UseSerialGC}
LOG_DIR=${LOG_DIR:-target/prometheus-test}
DASHBOARD=deploy/grafana/ringcache.json
ALERTS=deploy/prometheus/alerts.yaml
NODES=3

log() { printf '%s prometheus-test: %s\n' "$(date -u +%H:%M:%S)" "$*"; }
fail() { log "FAILED: $*"; exit 1; }

bash deploy/prometheus/setup.sh
if [ ! -f "$JAR" ]; then
  log "building cache-node.jar"
  mvn -B -ntp -q -pl cache-node -am package -DskipTests
fi

log "promtool check rules $ALERTS"
promtool check rules "$ALERTS"
log "promtool test rules deploy/prometheus/alerts-test.yaml"
promtool test rules deploy/prometheus/alerts-test.yaml
jq -e '.schemaVersion >= 36 and ([.panels[] | select(.type != "row")] | length) > 0' "$DASHBOARD" \
  >/dev/null || fail "$DASHBOARD is not a Grafana dashboard with panels"

mkdir -p "$LOG_DIR"
LOG_DIR=$(cd "$LOG_DIR" && pwd)
rm -rf "$LOG_DIR/data"

client_port() { echo $((BASE_PORT + $1)); }
http_port() { echo $((BASE_PORT + 80 + $1)); }
cluster_port() { echo $((BASE_PORT + 700 + $1)); }
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

NODE_PIDS=()
PROM_PID=""
TRAFFIC_PID=""
cleanup() {
  local pid
  for pid in $TRAFFIC_PID $PROM_PID "${NODE_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in $TRAFFIC_PID $PROM_PID "${NODE_PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$LOG_DIR/data"
}
trap cleanup EXIT

for i in $(seq 1 $NODES); do
  for port in $(client_port "$i") $(http_port "$i") $(cluster_port "$i"); do
    port_in_use "$port" && fail "port $port is in use; set BASE_PORT"
  done
done
PROM_PORT=$((BASE_PORT + 90))
while port_in_use "$PROM_PORT"; do PROM_PORT=$((PROM_PORT + 1)); done

SEEDS=""
for i in $(seq 1 $NODES); do SEEDS+="${SEEDS:+,}127.0.0.1:$(cluster_port "$i")"; done
log "starting $NODES nodes (HTTP $(http_port 1)..$(http_port $NODES))"
for i in $(seq 1 $NODES); do
  # shellcheck disable=SC2086
  java $JAVA_OPTS -jar "$JAR" \
    --name "node-$i" --cluster-name "prometheus-test-$$" --host 127.0.0.1 \
    --port "$(client_port "$i")" --http-port "$(http_port "$i")" \
    --cluster-port "$(cluster_port "$i")" --seeds "$SEEDS" \
    --max-memory 64m --event-loops 1 \
    >"$LOG_DIR/node-$i.log" 2>&1 &
  NODE_PIDS+=($!)
done

http() { curl -fsS --max-time 5 "$@"; }

deadline=$((SECONDS + 120))
while :; do
  ready=0
  for i in $(seq 1 $NODES); do
    body=$(http "http://127.0.0.1:$(http_port "$i")/v1/topology" 2>/dev/null || true)
    if [ "$(grep -o '"name":"node-[0-9]*"' <<<"$body" | wc -l)" -eq $NODES ] \
        && grep -q '"phase":"STABLE"' <<<"$body"; then
      ready=$((ready + 1))
    fi
  done
  [ $ready -eq $NODES ] && break
  [ $SECONDS -gt $deadline ] && fail "the cluster did not form a STABLE $NODES-member ring within 120 s"
  sleep 0.5
done
log "cluster STABLE with $NODES members"

targets=""
for i in $(seq 1 $NODES); do targets+="${targets:+, }'127.0.0.1:$(http_port "$i")'"; done
cat >"$LOG_DIR/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files:
  - $ROOT/$ALERTS
scrape_configs:
  - job_name: ringcache
    metrics_path: /metrics
    static_configs:
      - targets: [$targets]
EOF
log "starting prometheus on 127.0.0.1:$PROM_PORT"
prometheus --config.file="$LOG_DIR/prometheus.yml" --storage.tsdb.path="$LOG_DIR/data" \
  --web.listen-address="127.0.0.1:$PROM_PORT" --log.level=warn \
  >"$LOG_DIR/prometheus.log" 2>&1 &
PROM_PID=$!
API="http://127.0.0.1:$PROM_PORT/api/v1"

query() { # query <promql>: the API's JSON answer
  curl -fsS --max-time 10 -G "$API/query" --data-urlencode "query=$1"
}

traffic() { # sets, hits, misses and deletes through every node, about 10 rounds a second
  local round=0 i base urls
  while :; do
    round=$((round + 1))
    i=$((round % NODES + 1))
    base="http://127.0.0.1:$(http_port "$i")/v1/keys"
    urls=()
    for k in $(seq 1 20); do urls+=("$base/k$(((round * 7 + k) % 200))"); done
    curl -s -o /dev/null --max-time 5 -X PUT --data-binary "value-$round" "${urls[@]}" || true
    curl -s -o /dev/null --max-time 5 "${urls[@]}" "$base/missing-$round" || true
    curl -s -o /dev/null --max-time 5 -X DELETE "$base/k$((round % 200))" || true
    sleep 0.1
  done
}
traffic >/dev/null 2>&1 &
TRAFFIC_PID=$!

deadline=$((SECONDS + 60))
until [ "$(query 'count(up{job="ringcache"} == 1)' 2>/dev/null | jq -r '.data.result[0].value[1] // 0')" = "$NODES" ]; do
  [ $SECONDS -gt $deadline ] && fail "prometheus did not scrape $NODES nodes within 60 s; see $LOG_DIR"
  sleep 1
done
log "prometheus scrapes $NODES nodes; letting 15 s of traffic accumulate"
sleep 15

failures=0
check_has_number() { # check_has_number <what> <promql>: success, and a series with a number
  local answer status series numbers
  answer=$(query "$2" 2>&1) || { log "FAIL $1: query failed: $answer"; failures=$((failures + 1)); return; }
  status=$(jq -r '.status' <<<"$answer")
  series=$(jq '.data.result | length' <<<"$answer")
  numbers=$(jq '[.data.result[] | .value[1] | select(. != "NaN")] | length' <<<"$answer")
  if [ "$status" = success ] && [ "$numbers" -gt 0 ]; then
    echo "ok   $1: $series series ($numbers with a number)"
  else
    log "FAIL $1: status $status, $series series, $numbers with a number: $2"
    failures=$((failures + 1))
  fi
}

log "querying every expression of $DASHBOARD"
exprs=$(jq -r '.panels[] | select(.type != "row") | .title as $t | .targets[] | [$t, .refId, .expr] | @tsv' "$DASHBOARD")
count=0
while IFS=$'\t' read -r title ref expr; do
  expr=${expr//\$__rate_interval/1m}
  expr=${expr//\$job/ringcache}
  expr=${expr//\$instance/.+}
  check_has_number "panel '$title' $ref" "$expr"
  count=$((count + 1))
done <<<"$exprs"
[ "$count" -ge 30 ] || fail "only $count dashboard expressions found"

log "the dashboard's template variables"
while IFS=$'\t' read -r name definition; do
  # label_values(<selector>, <label>) is Grafana's; the series API answers the same.
  selector=$(sed -E 's/^label_values\((.*), *([a-z_]+)\)$/\1/' <<<"$definition")
  label=$(sed -E 's/^label_values\((.*), *([a-z_]+)\)$/\2/' <<<"$definition")
  selector=${selector//\$job/ringcache}
  values=$(curl -fsS --max-time 10 -G "$API/label/$label/values" --data-urlencode "match[]=$selector" \
    | jq -r '.data | join(" ")')
  want=1
  [ "$name" = instance ] && want=$NODES
  if [ "$(wc -w <<<"$values")" -eq "$want" ]; then
    echo "ok   variable $name: $values"
  else
    log "FAIL variable $name ($definition): [$values], expected $want values"
    failures=$((failures + 1))
  fi
done < <(jq -r '.templating.list[] | select(.type == "query") | [.name, .definition] | @tsv' "$DASHBOARD")

log "checking every alert rule as prometheus loaded it"
rules=$(curl -fsS --max-time 10 "$API/rules")
rule_count=$(jq '[.data.groups[].rules[] | select(.type == "alerting")] | length' <<<"$rules")
file_count=$(grep -c '^ *- alert:' "$ALERTS")
[ "$rule_count" -eq "$file_count" ] || fail "prometheus loaded $rule_count alerts, $ALERTS has $file_count"
alerts_now=$(curl -fsS --max-time 10 "$API/alerts")
while IFS=$'\t' read -r name health expr last_error; do
  if [ "$health" != ok ]; then
    log "FAIL alert $name: health $health $last_error"
    failures=$((failures + 1))
    continue
  fi
  active=$(query "$expr" | jq '.data.result | length')
  state=$(jq -r --arg n "$name" '[.data.alerts[]? | select(.labels.alertname == $n) | .state] | first // "inactive"' \
    <<<"$alerts_now")
  if [ "$active" -eq 0 ] && [ "$state" = inactive ]; then
    echo "ok   alert $name: evaluates, nothing on the healthy cluster"
  elif [[ "$expr" == *"rate("* ]] && [ "$state" != firing ]; then
    # A rate of failures can be above 0 for a moment on a sound cluster (one timeout on a
    # machine under load); the alert's for: is what keeps that quiet.
    echo "ok   alert $name: evaluates; $active series now ($state), an event in its window, not firing"
  else
    log "FAIL alert $name: $active series ($state) on a healthy cluster: $expr"
    failures=$((failures + 1))
  fi
  measure=$(sed -E 's/[[:space:]]*(==|!=|>=|<=|>|<)[[:space:]]*[0-9.eE+-]+[[:space:]]*$//' <<<"$expr")
  [ "$measure" != "$expr" ] || fail "alert $name does not end in <comparison> <threshold>: $expr"
  check_has_number "alert $name measure" "$measure"
done < <(jq -r '.data.groups[].rules[] | select(.type == "alerting")
    | [.name, .health, (.query | gsub("\n"; " ")), (.lastError // "")] | @tsv' <<<"$rules")

[ $failures -eq 0 ] || fail "$failures check(s) failed; logs in $LOG_DIR"

victim=$NODES
victim_instance="127.0.0.1:$(http_port $victim)"
log "kill -9 node-$victim ($victim_instance); waiting for RingcacheNodeDown to fire"
victim_pid=${NODE_PIDS[$((victim - 1))]}
kill -9 "$victim_pid"
wait "$victim_pid" 2>/dev/null || true
unset "NODE_PIDS[$((victim - 1))]"
killed_at=$SECONDS
deadline=$((SECONDS + 120))
pending_seen=""
while :; do
  alerts=$(curl -fsS --max-time 5 "$API/alerts" || echo '{}')
  state=$(jq -r --arg i "$victim_instance" '[.data.alerts[]? | select(.labels.alertname == "RingcacheNodeDown"
      and .labels.instance == $i) | .state] | first // "inactive"' <<<"$alerts")
  if [ "$state" = pending ] && [ -z "$pending_seen" ]; then
    pending_seen=$((SECONDS - killed_at))
    log "RingcacheNodeDown pending for $victim_instance after ${pending_seen} s"
  fi
  if [ "$state" = firing ]; then
    others=$(jq -r --arg i "$victim_instance" '[.data.alerts[]? | select(.labels.alertname == "RingcacheNodeDown"
        and .labels.instance != $i)] | length' <<<"$alerts")
    [ "$others" -eq 0 ] || fail "RingcacheNodeDown also fires for $others other instance(s): $alerts"
    log "RingcacheNodeDown firing for $victim_instance after $((SECONDS - killed_at)) s"
    break
  fi
  [ $SECONDS -gt $deadline ] && fail "RingcacheNodeDown did not fire within 120 s (state $state)"
  sleep 1
done
log "all checks passed"
