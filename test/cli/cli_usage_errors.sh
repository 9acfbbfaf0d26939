#!/usr/bin/env bash
# Bad arguments and configuration: exit status 2 and a message on stderr naming the problem.
source "$(dirname "$0")/lib.sh"
unset BATON_HA_TYPE

# expect STATUS TEXT ARGS...: baton ARGS exits with STATUS and stderr (or, for status 0,
# stdout) contains TEXT.
expect() {
  local want=$1 text=$2 status=0
  shift 2
  timeout -s KILL "$TIMEOUT" "$BATON" "$@" </dev/null >"$WORK/out" 2>"$WORK/err" || status=$?
  [[ $status == "$want" ]] || fail "baton $*: exit status $status, expected $want"
  local stream=$WORK/err
  [[ $want == 0 ]] && stream=$WORK/out
  grep -qF -- "$text" "$stream" || fail "baton $*: output does not mention '$text'"
}

expect 2 "missing command"
expect 2 "unknown command 'frobnicate'" frobnicate
expect 2 "unknown flag '--bogus'" elect --component c --address a --bogus
expect 2 "unknown flag '--contenders'" elect --component c --address a --contenders 2
expect 2 "missing --component" elect --address a
expect 2 "missing --address" elect --component c
expect 2 "missing --component" watch
expect 2 "--address needs a value" elect --component c --address
expect 2 "invalid --component" elect --component 'no/slash' --address a
expect 2 "invalid --component" elect --component latch --address a
expect 2 "--set expects key=value" elect --component c --address a --set novalue
expect 2 "--contenders expects a number" demo --contenders 0
expect 2 "ha.type" elect --component c --address a --ha bogus
expect 2 "ha.type" watch --component c --ha bogus
expect 2 "--flink needs the Flink cluster's ZooKeeper quorum" watch --flink --component dispatcher
expect 2 "is not a Flink component" watch --flink --component jobmanager --zk 127.0.0.1:1
expect 2 "unknown flag '--flink'" elect --component c --address a --flink
expect 2 "missing.conf" elect --component c --address a --config "$WORK/missing.conf"
# A lease that could never be held is refused, naming the keys (it used to spin a core).
expect 2 "ha.lease.safety-margin" elect --component c --address a --zk 127.0.0.1:1 \
  --set ha.zookeeper.session-timeout=1s --set ha.lease.safety-margin=900ms \
  --set ha.zookeeper.tick-time=100ms
expect 2 "'session' was removed" elect --component c --address a --zk 127.0.0.1:1 \
  --set ha.connection-policy=session
expect 0 "usage: baton <command>" --help
expect 0 "usage: baton elect" elect --help
expect 0 "usage: baton demo" demo --help
echo "ok: cli_usage_errors"
