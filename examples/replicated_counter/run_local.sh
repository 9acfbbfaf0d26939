#!/usr/bin/env bash
# Runs the replicated counter on this machine against a ZooKeeper ensemble: three
# counter_server instances on 127.0.0.1, one counter_client writing through the leader, and
# `--kills` times: wait for the client to make progress, SIGKILL the server that acknowledged
# its latest write (the leader), restart it as a follower. Then counter_check verifies that
# every acknowledged write (by the client, or printed by any server) is stored where and under
# the session it was acknowledged, that no leader wrote after its successor, and that every
# kill handed leadership to a new session.
#
#   examples/replicated_counter/run_local.sh [--build DIR] [--writes N] [--kills K] [--keep]
#
# The ensemble: BATON_TEST_ZK, else the local one of test/zk/ensemble.sh if it is running.
# Processes are stopped by pid only. Logs stay in a temporary directory, printed at the end
# (removed on success unless --keep).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BATON_BUILD_DIR:-$root/build}
writes=300
kills=3
keep=0
while (($#)); do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --writes) writes=$2; shift 2 ;;
    --kills) kills=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "run_local.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
bin="$build/examples/replicated_counter"
for program in server client check; do
  if [[ ! -x "$bin/baton_example_counter_$program" ]]; then
    echo "run_local.sh: $bin/baton_example_counter_$program is missing: build first" \
      "(scripts/build.sh, or cmake --build $build)" >&2
    exit 2
  fi
done
if [[ -z "${BATON_TEST_ZK:-}" ]]; then
  if "$root/test/zk/ensemble.sh" status >/dev/null 2>&1; then
    eval "$("$root/test/zk/ensemble.sh" env)"
  else
    echo "run_local.sh: no ZooKeeper: set BATON_TEST_ZK, or test/zk/ensemble.sh start" >&2
    exit 2
  fi
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/baton-counter.XXXXXX")
cluster="counter-$$-$RANDOM"
common=(--zk "$BATON_TEST_ZK" --cluster-id "$cluster")
session_timeout=2s  # how long ZooKeeper takes to notice a killed leader
declare -A pids
client_pid=""
log() { echo "run_local.sh: $*" >&2; }

cleanup() {
  local status=$?
  for n in "${!pids[@]}"; do
    kill -TERM "${pids[$n]}" 2>/dev/null || true
  done
  [[ -n "$client_pid" ]] && kill -TERM "$client_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  if ((status == 0 && keep == 0)); then rm -rf "$work"; else log "logs kept in $work"; fi
  exit $status
}
trap cleanup EXIT

start_server() {
  local n=$1
  "$bin/baton_example_counter_server" "${common[@]}" --id "s$n" --listen 127.0.0.1:0 \
    --session-timeout "$session_timeout" >>"$work/s$n.log" 2>>"$work/s$n.err" &
  pids[$n]=$!
}

# Waits until `file` has at least `count` lines matching `pattern`; $4: timeout in seconds.
await_lines() {
  local file=$1 pattern=$2 count=$3 timeout=$4 waited=0 have
  while have=$(grep -c -- "$pattern" "$file" 2>/dev/null) || true; ((${have:-0} < count)); do
    if ((waited >= timeout * 10)); then return 1; fi
    if [[ -n "$client_pid" ]] && ! kill -0 "$client_pid" 2>/dev/null; then return 1; fi
    sleep 0.1  # polling a log file: the script has no event to wait on
    waited=$((waited + 1))
  done
}

# The server whose LISTEN address is $1 (the latest instance of each server).
server_at() {
  local n
  for n in 1 2 3; do
    if [[ "$(grep '^LISTEN ' "$work/s$n.log" | tail -1 | cut -d' ' -f2)" == "$1" ]]; then
      echo "$n"
      return
    fi
  done
}

for n in 1 2 3; do start_server "$n"; done
log "servers started (cluster $cluster, logs in $work)"
"$bin/baton_example_counter_client" "${common[@]}" --writes "$writes" --client-id "c$$" \
  --acks "$work/client.acks" --pause 5ms --give-up 240s >"$work/client.log" 2>"$work/client.err" &
client_pid=$!

progress=20
for ((k = 1; k <= kills; k++)); do
  target=$((progress * k + progress * (k - 1) / 2))
  if ! await_lines "$work/client.acks" '^ACK ' "$target" 60; then
    log "the client made no progress before kill $k"; exit 1
  fi
  # The last acknowledgement may still name the leader killed last time (the client got ahead
  # of the targets): wait, bounded, for one from a live server.
  for ((waited = 0; waited < 600; waited++)); do
    leader_address=$(tail -1 "$work/client.acks" | cut -d' ' -f5)
    n=$(server_at "$leader_address")
    [[ -n "$n" ]] && break
    sleep 0.1  # polling a log file: the script has no event to wait on
  done
  if [[ -z "$n" ]]; then log "no server listens at $leader_address"; exit 1; fi
  log "kill $k: SIGKILL s$n (pid ${pids[$n]}, leader at $leader_address)"
  kill -KILL "${pids[$n]}"
  wait "${pids[$n]}" 2>/dev/null || true
  echo "KILLED" >>"$work/s$n.log"
  start_server "$n"
done

status=0
wait "$client_pid" || status=$?
client_pid=""
cat "$work/client.log" >&2
if ((status != 0)); then log "the client failed (status $status)"; tail -20 "$work/client.err" >&2; exit 1; fi

# Stop the servers first: the check's cleanup deletes the cluster's znodes, latch included.
for n in "${!pids[@]}"; do kill -TERM "${pids[$n]}" 2>/dev/null || true; done
for n in "${!pids[@]}"; do wait "${pids[$n]}" 2>/dev/null || true; done
pids=()
server_logs=$(ls "$work"/s*.log | paste -sd, -)
"$bin/baton_example_counter_check" "${common[@]}" --acks "$work/client.acks" \
  --server-logs "$server_logs" --min-sessions "$((kills + 1))" --cleanup true
