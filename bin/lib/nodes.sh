# Shared by bin/node-bench and bin/resp-bench: start a local cluster of node processes on
# 127.0.0.1 and stop exactly the processes started here, by PID. Expects JAR, BASE_PORT,
# HTTP_BASE, CLUSTER_BASE, NODE_JAVA_OPTS, NODE_EVENT_LOOPS, RUN_DIR and an array PIDS; extra
# per-node flags come from the function node_extra_args (node index -> flags), if defined.
# shellcheck shell=bash

stop_started() {
  # Only the processes this script started, by PID.
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  PIDS=()
}
trap 'stop_started; echo "== logs and results in $RUN_DIR"' EXIT

require_free_port() {
  if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
    echo "$(basename "$0"): port $1 is already in use; set BASE_PORT/HTTP_BASE/CLUSTER_BASE/REDIS_PORT" >&2
    exit 1
  fi
}

http() { curl -fsS --max-time 5 "$@"; }

start_cluster() { # nodes rf run
  local nodes=$1 rf=$2 run=$3 seeds="" i
  local cluster="nodebench-$$-$run-$nodes"
  for i in $(seq 1 "$nodes"); do
    seeds+="${seeds:+,}127.0.0.1:$((CLUSTER_BASE + i - 1))"
    require_free_port $((BASE_PORT + i))
    require_free_port $((HTTP_BASE + i))
    require_free_port $((CLUSTER_BASE + i - 1))
  done
  for i in $(seq 1 "$nodes"); do
    # shellcheck disable=SC2086
    java $NODE_JAVA_OPTS -jar "$JAR" \
      --name "node-$i" --cluster-name "$cluster" --host 127.0.0.1 \
      --port $((BASE_PORT + i)) --http-port $((HTTP_BASE + i)) \
      --cluster-port $((CLUSTER_BASE + i - 1)) --seeds "$seeds" \
      --replication-factor "$rf" --max-memory 128m --event-loops "$NODE_EVENT_LOOPS" \
      $(declare -F node_extra_args >/dev/null && node_extra_args "$i") \
      >"$RUN_DIR/run$run-$nodes-node-$i.log" 2>&1 &
    PIDS+=($!)
  done
  # Formed = every node serves the same STABLE epoch listing all members.
  local deadline=$((SECONDS + 120)) body epochs ready
  while :; do
    ready=0
    epochs=""
    for i in $(seq 1 "$nodes"); do
      body=$(http "http://127.0.0.1:$((HTTP_BASE + i))/v1/topology" 2>/dev/null || true)
      if [[ $(grep -o '"name":"node-[0-9]*"' <<<"$body" | wc -l) -eq $nodes ]] \
          && grep -q '"phase":"STABLE"' <<<"$body"; then
        ready=$((ready + 1))
        epochs+="$(grep -o '"epoch":[0-9]*' <<<"$body" | head -1) "
      fi
    done
    if [[ $ready -eq $nodes && $(tr ' ' '\n' <<<"$epochs" | sort -u | grep -c .) -eq 1 ]]; then
      break
    fi
    if (( SECONDS > deadline )); then
      echo "$(basename "$0"): $nodes-node cluster did not form within 120 s; see $RUN_DIR" >&2
      exit 1
    fi
    sleep 0.5
  done
}

