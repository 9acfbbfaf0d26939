#!/usr/bin/env bash
# A local 3-node ZooKeeper ensemble for baton's integration tests, on 127.0.0.1 only, from
# Debian's `zookeeper` package (java started directly; no systemd, no root needed once the
# package is installed).
#
#   ensemble.sh start          start every node that is not running; wait for a quorum
#   ensemble.sh stop           stop the nodes this script started (their recorded pids only)
#   ensemble.sh status         one line per node: pid and mode (leader/follower/down)
#   ensemble.sh kill N         SIGKILL node N (1..3) by its recorded pid
#   ensemble.sh stop-node N    SIGTERM node N and wait for it to exit
#   ensemble.sh start-node N   start node N; wait until it serves (needs another node up)
#   ensemble.sh restart N      stop-node N, then start-node N
#   ensemble.sh env            print the BATON_TEST_ZK export for the tests
#
# State (configs, data, logs, pids) lives in $BATON_ZK_DIR, default <repo>/.zk (.gitignored).
# Client ports 21811-21813; quorum ports 22881-22883; election ports 23881-23883; all moved up
# by $BATON_ZK_PORT_OFFSET (default 0) so that several checkouts can test side by side.
# Opt-in for benchmarks (bench/run.sh --durable); unset, the config is what the tests use:
#   BATON_ZK_FORCE_SYNC=yes|no  writes forceSync=<value> into zoo.cfg (unset: no line, i.e.
#                               ZooKeeper's default, yes: the log is fsynced before each ack)
set -euo pipefail

readonly HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly REPO="$(cd "${HERE}/../.." && pwd)"
readonly STATE="${BATON_ZK_DIR:-${REPO}/.zk}"
readonly NODES=(1 2 3)
readonly HOST=127.0.0.1
readonly START_TIMEOUT=${BATON_ZK_START_TIMEOUT:-60}
readonly PORT_OFFSET=${BATON_ZK_PORT_OFFSET:-0}
readonly FORCE_SYNC=${BATON_ZK_FORCE_SYNC:-}
[[ -z "$FORCE_SYNC" || "$FORCE_SYNC" == yes || "$FORCE_SYNC" == no ]] ||
  { echo "ensemble.sh: BATON_ZK_FORCE_SYNC must be yes or no, not '$FORCE_SYNC'" >&2; exit 2; }

client_port() { echo $((21810 + PORT_OFFSET + $1)); }
quorum_port() { echo $((22880 + PORT_OFFSET + $1)); }
election_port() { echo $((23880 + PORT_OFFSET + $1)); }

die() { echo "ensemble.sh: $*" >&2; exit 1; }

ensure_package() {
  [[ -f /usr/share/java/zookeeper.jar ]] && return 0
  echo "ensemble.sh: installing Debian's zookeeper package" >&2
  local sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq zookeeper >/dev/null
  [[ -f /usr/share/java/zookeeper.jar ]] || die "zookeeper.jar still missing after install"
}

# zookeeper.jar's manifest Class-Path names its dependencies (netty, jetty, jackson, slf4j-api,
# metrics, snappy, jute ...); add an slf4j binding and log4j 1.2 so each node logs to its file.
classpath() {
  local cp="${STATE}/conf:/usr/share/java/zookeeper.jar"
  local jar
  for jar in slf4j-log4j12.jar log4j-1.2.jar; do
    [[ -f /usr/share/java/${jar} ]] && cp+=":/usr/share/java/${jar}"
  done
  echo "${cp}"
}

write_config() {
  local n=$1 dir="${STATE}/node$1"
  mkdir -p "${dir}/data" "${STATE}/conf"
  echo "$n" >"${dir}/data/myid"
  cat >"${dir}/zoo.cfg" <<CFG
tickTime=100
initLimit=100
syncLimit=20
dataDir=${dir}/data
clientPortAddress=${HOST}
clientPort=$(client_port "$n")
minSessionTimeout=1000
maxSessionTimeout=60000
maxClientCnxns=0
admin.enableServer=false
4lw.commands.whitelist=mntr,ruok,stat,srvr,conf,cons,wchs,wchc,dump
autopurge.purgeInterval=0
server.1=${HOST}:$(quorum_port 1):$(election_port 1)
server.2=${HOST}:$(quorum_port 2):$(election_port 2)
server.3=${HOST}:$(quorum_port 3):$(election_port 3)
CFG
  if [[ -n "$FORCE_SYNC" ]]; then
    echo "forceSync=${FORCE_SYNC}" >>"${dir}/zoo.cfg"
  fi
  cat >"${STATE}/conf/log4j.properties" <<'LOG'
log4j.rootLogger=INFO, CONSOLE
log4j.appender.CONSOLE=org.apache.log4j.ConsoleAppender
log4j.appender.CONSOLE.layout=org.apache.log4j.PatternLayout
log4j.appender.CONSOLE.layout.ConversionPattern=%d{ISO8601} [myid:%X{myid}] - %-5p [%t:%C{1}@%L] - %m%n
LOG
}

pid_of() {
  local file="${STATE}/node$1/zk.pid"
  [[ -f "$file" ]] || return 1
  local pid
  pid=$(<"$file")
  # Only a live java process started from this state dir counts (guards against pid reuse).
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null &&
     tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "${STATE}/node$1/zoo.cfg"; then
    echo "$pid"
    return 0
  fi
  return 1
}

# Sends a four-letter word to node N; prints the answer (empty when unreachable).
four_letter() {
  local port
  port=$(client_port "$1")
  timeout 3 bash -c "exec 3<>/dev/tcp/${HOST}/${port} && printf '%s' '$2' >&3 && cat <&3" \
    2>/dev/null || true
}

mode_of() {
  local mode
  mode=$(four_letter "$1" srvr | sed -n 's/^Mode: //p')
  echo "${mode:-down}"
}

start_node() {
  local n=$1 dir="${STATE}/node$1"
  [[ "$n" =~ ^[1-3]$ ]] || die "node must be 1, 2 or 3, not '$n'"
  if pid_of "$n" >/dev/null; then
    return 0
  fi
  ensure_package
  write_config "$n"
  # setsid: the node survives the shell that started it (ctest, a test's std::system).
  setsid java -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto \
    -Dzookeeper.log.dir="${dir}" -Dzookeeper.root.logger=INFO,CONSOLE \
    -Dzookeeper.jmx.log4j.disable=true -Dzookeeper.admin.enableServer=false \
    -cp "$(classpath)" org.apache.zookeeper.server.quorum.QuorumPeerMain "${dir}/zoo.cfg" \
    >>"${dir}/zookeeper.log" 2>&1 </dev/null &
  echo $! >"${dir}/zk.pid"
  local deadline=$((SECONDS + START_TIMEOUT))
  until [[ "$(four_letter "$n" ruok)" == imok ]]; do
    pid_of "$n" >/dev/null || die "node $n exited; see ${dir}/zookeeper.log"
    ((SECONDS < deadline)) || die "node $n did not answer ruok within ${START_TIMEOUT}s"
    sleep 0.2
  done
  # ruok only says the process runs; wait until the node serves (has joined a quorum), which
  # needs a second node up: `start` starts all nodes in parallel.
  until [[ "$(mode_of "$n")" =~ ^(leader|follower|standalone)$ ]]; do
    pid_of "$n" >/dev/null || die "node $n exited; see ${dir}/zookeeper.log"
    ((SECONDS < deadline)) || die "node $n did not join a quorum within ${START_TIMEOUT}s"
    sleep 0.2
  done
}

stop_node() {
  local n=$1 signal=${2:-TERM} pid
  [[ "$n" =~ ^[1-3]$ ]] || die "node must be 1, 2 or 3, not '$n'"
  pid=$(pid_of "$n") || { rm -f "${STATE}/node$n/zk.pid"; return 0; }
  kill "-${signal}" "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 20))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      kill -KILL "$pid" 2>/dev/null || true
    fi
    sleep 0.1
  done
  rm -f "${STATE}/node$n/zk.pid"
}

wait_quorum() {
  local deadline=$((SECONDS + START_TIMEOUT)) n mode
  while :; do
    local leaders=0 serving=0
    for n in "${NODES[@]}"; do
      mode=$(mode_of "$n")
      [[ "$mode" == leader ]] && leaders=$((leaders + 1))
      [[ "$mode" == leader || "$mode" == follower ]] && serving=$((serving + 1))
    done
    ((leaders == 1 && serving == ${#NODES[@]})) && return 0
    ((SECONDS < deadline)) || die "no quorum within ${START_TIMEOUT}s (see ${STATE}/node*/zookeeper.log)"
    sleep 0.2
  done
}

cmd=${1:-}
case "$cmd" in
  start)
    mkdir -p "$STATE"
    for n in "${NODES[@]}"; do start_node "$n" & done
    wait
    for n in "${NODES[@]}"; do pid_of "$n" >/dev/null || die "node $n is not running"; done
    wait_quorum
    echo "ensemble up: $("$0" env)"
    ;;
  stop)
    for n in "${NODES[@]}"; do stop_node "$n"; done
    ;;
  status)
    for n in "${NODES[@]}"; do
      pid=$(pid_of "$n" || echo -)
      echo "node $n port $(client_port "$n") pid $pid mode $(mode_of "$n")"
    done
    ;;
  kill) stop_node "${2:?node number}" KILL ;;
  stop-node) stop_node "${2:?node number}" TERM ;;
  start-node) start_node "${2:?node number}" ;;
  restart) stop_node "${2:?node number}" TERM; start_node "$2" ;;
  env)
    echo "export BATON_TEST_ZK=${HOST}:$(client_port 1),${HOST}:$(client_port 2),${HOST}:$(client_port 3)"
    # The lease's relay bound is the servers' tickTime (write_config): baton run against this
    # ensemble from a shell with these exports needs it too.
    echo "export BATON_HA_ZOOKEEPER_TICK_TIME=100ms"
    ;;
  *)
    echo "usage: $0 start|stop|status|kill N|start-node N|restart N|stop-node N|env" >&2
    exit 2
    ;;
esac
