#!/usr/bin/env bash
# A throwaway Redis Cluster of three primaries (no replicas) for the tests, made from the
# machine's redis-server: each node on its own port, nothing saved, files in a fresh temporary
# folder that `stop` removes again.
#
#   scripts/redis-cluster.sh start   # starts the nodes, creates the cluster, waits for cluster_state:ok
#   scripts/redis-cluster.sh url     # prints the REDIS_URL of the cluster (redis+cluster://…)
#   scripts/redis-cluster.sh stop    # shuts the nodes down and removes their folder
#
# The ports are REDIS_CLUSTER_PORTS (default "7101 7102 7103"), on 127.0.0.1.
set -euo pipefail

ports=(${REDIS_CLUSTER_PORTS:-7101 7102 7103})
host=127.0.0.1

url() {
  local seeds=()
  for port in "${ports[@]}"; do seeds+=("$host:$port"); done
  local joined
  joined=$(IFS=,; echo "${seeds[*]}")
  echo "redis+cluster://$joined"
}

answers() {
  redis-cli -h "$host" -p "$1" ping >/dev/null 2>&1
}

# Waits up to 30 s for `check PORT` to succeed on every port.
wait_all() {
  local check=$1 what=$2
  for port in "${ports[@]}"; do
    local tries=0
    until "$check" "$port"; do
      tries=$((tries + 1))
      if [ "$tries" -gt 300 ]; then
        echo "redis-cluster: node $host:$port is not $what after 30 s" >&2
        exit 1
      fi
      sleep 0.1
    done
  done
}

cluster_ok() {
  redis-cli -h "$host" -p "$1" cluster info 2>/dev/null | grep -q '^cluster_state:ok'
}

start() {
  for port in "${ports[@]}"; do
    if answers "$port"; then
      echo "redis-cluster: something already answers on $host:$port (stop it first)" >&2
      exit 1
    fi
  done
  local dir
  dir=$(mktemp -d -t gatehouse-redis-cluster.XXXXXX)
  for port in "${ports[@]}"; do
    redis-server --bind "$host" --port "$port" --dir "$dir" \
      --cluster-enabled yes --cluster-config-file "nodes-$port.conf" --cluster-node-timeout 2000 \
      --save '' --appendonly no --daemonize yes --logfile "$dir/redis-$port.log" \
      --pidfile "$dir/redis-$port.pid"
  done
  wait_all answers 'answering'
  local nodes=()
  for port in "${ports[@]}"; do nodes+=("$host:$port"); done
  redis-cli --cluster create "${nodes[@]}" --cluster-replicas 0 --cluster-yes >/dev/null
  wait_all cluster_ok 'in cluster_state:ok'
  echo "redis-cluster: ${#ports[@]} primaries up, REDIS_URL=$(url)"
}

# Shuts down only nodes this script started (their folder is one it made), so that a `stop` after
# a refused `start` leaves whatever else listens on these ports alone; the folder goes last, since
# a cluster node writes its nodes file there as it shuts down.
stop() {
  local dirs=()
  for port in "${ports[@]}"; do
    answers "$port" || continue
    local dir
    dir=$(redis-cli -h "$host" -p "$port" config get dir | sed -n 2p)
    case "$dir" in
      */gatehouse-redis-cluster.*)
        redis-cli -h "$host" -p "$port" shutdown nosave >/dev/null 2>&1 || true
        dirs+=("$dir")
        ;;
    esac
  done
  for dir in "${dirs[@]}"; do rm -rf "$dir"; done
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) url ;;
  *)
    echo "usage: $0 start|stop|url" >&2
    exit 2
    ;;
esac
