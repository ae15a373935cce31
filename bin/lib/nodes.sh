# Shared by the scripts in bin/ that need a local cluster: start one through
# `loadtest cluster --keep` (docs/loadtest.md, "A local cluster"), which launches the node
# processes on 127.0.0.1, waits until they form, prints one line per node and kills them all when
# it gets SIGTERM; and stop exactly the processes started here, by PID.
#
# Expects RUN_DIR and an array PIDS. start_cluster reads NODE_JAR (default
# cache-node/target/cache-node.jar), NODE_JAVA_OPTS, NODE_OPTIONS (node flags, default
# "--max-memory 128m --event-loops 1") and CLUSTER_ARGS (more `loadtest cluster` flags, an array,
# e.g. (--resp-port 6401)); it sets NODE_CLIENT, NODE_HTTP, NODE_RESP and NODE_PID (indexed by
# node number, 1..N) and SEED (node-1's client address).
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
    echo "$(basename "$0"): port $1 is already in use" >&2
    exit 1
  fi
}

# The loadtest jar runs the launcher; build the two jars on first use.
require_jars() {
  if [[ ! -f "${NODE_JAR:-cache-node/target/cache-node.jar}" || ! -f loadtest/target/loadtest.jar ]]; then
    echo "== building cache-node.jar and loadtest.jar (first run only)"
    mvn -B -ntp -q -DskipTests package -pl loadtest -am
  fi
}

start_cluster() { # nodes rf label
  local nodes=$1 rf=$2 label=$3 line n out="$RUN_DIR/$3-cluster.out"
  coproc CLUSTER {
    # shellcheck disable=SC2086
    exec java -Xmx128m -jar loadtest/target/loadtest.jar cluster --keep --nodes "$nodes" \
      --replication-factor "$rf" --node-jar "${NODE_JAR:-cache-node/target/cache-node.jar}" \
      --jvm-options "${NODE_JAVA_OPTS:--Xmx256m -XX:+UseSerialGC}" \
      --node-options "${NODE_OPTIONS:---max-memory 128m --event-loops 1}" \
      --log-dir "$RUN_DIR/$label" ${CLUSTER_ARGS[@]+"${CLUSTER_ARGS[@]}"} 2>&1
  }
  PIDS+=("$CLUSTER_PID")
  exec 3<&"${CLUSTER[0]}" # bash drops CLUSTER when the launcher exits; fd 3 stays readable
  NODE_CLIENT=() NODE_HTTP=() NODE_RESP=() NODE_PID=()
  SEED=""
  while IFS= read -r line <&3; do
    echo "$line" >>"$out"
    case "$line" in
      "node node-"*)
        n=${line#node node-}
        n=${n%% *}
        NODE_CLIENT[n]=$(grep -o 'client=[^ ]*' <<<"$line" | cut -d= -f2 | sed 's/.*://')
        NODE_HTTP[n]=$(grep -o 'http=[^ ]*' <<<"$line" | cut -d= -f2 | sed 's/.*://')
        NODE_RESP[n]=$(grep -o 'resp=[^ ]*' <<<"$line" | cut -d= -f2 | sed 's/.*://')
        NODE_PID[n]=$(grep -o 'pid=[0-9]*' <<<"$line" | cut -d= -f2)
        ;;
      "seeds "*) break ;;
    esac
  done
  if [[ $line != "seeds "* || ${#NODE_CLIENT[@]} -ne $nodes ]]; then
    echo "$(basename "$0"): the $nodes-node cluster did not form; see $out" >&2
    exit 1
  fi
  SEED="127.0.0.1:${NODE_CLIENT[1]}"
}
