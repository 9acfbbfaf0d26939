#!/usr/bin/env bash
# baton's state store commands: elect's stdin `store put` and `counter add` (fenced writes
# under the leader's token), and the read-only `store get|list` and `counter get`. Standalone
# always (its store lives in the one process); with BATON_TEST_ZK set, also across processes on
# ZooKeeper: what an elect process wrote, another process reads.
source "$(dirname "$0")/lib.sh"
unset BATON_HA_TYPE BATON_HA_ZOOKEEPER_QUORUM

start_baton elect --component c --address a --json
wait_for granted
send "store put app greeting hello world"
wait_for store-put
[[ $(json_field "$LINE" result) == ok && $(json_field "$LINE" version) == 0 ]] ||
  fail "the leader's store put failed: $LINE"
send "counter add jobs ids 2"
wait_for counter-add
[[ $(json_field "$LINE" result) == ok && $(json_field "$LINE" value) == 2 ]] ||
  fail "the leader's counter add failed: $LINE"
send "counter add jobs ids 3"
wait_for counter-add
[[ $(json_field "$LINE" value) == 5 ]] || fail "the counter did not grow to 5: $LINE"
send "counter add jobs ids 0"
wait_for counter-add
[[ $(json_field "$LINE" result) == *"not positive"* ]] || fail "a zero delta was accepted: $LINE"
send "store put app"
wait_for store-put
[[ $(json_field "$LINE" result) == usage:* ]] || fail "a malformed put was not refused: $LINE"
close_stdin
wait_for exit
finish
[[ $STATUS == 0 ]] || fail "exit status $STATUS, expected 0"
check_json_lines

# Standalone keeps nothing between processes: a fresh one has no record and no counter.
timeout -s KILL "$TIMEOUT" "$BATON" store get --ns app --key greeting --json </dev/null \
  >"$WORK/out" 2>"$WORK/err" || fail "baton store get failed on standalone"
[[ $(json_field "$(cat "$WORK/out")" event) == no-record ]] || fail "a record out of nowhere"
timeout -s KILL "$TIMEOUT" "$BATON" store list --ns app --json </dev/null >"$WORK/out" \
  2>"$WORK/err" || fail "baton store list failed on standalone"
[[ $(json_field "$(cat "$WORK/out")" event) == end ]] || fail "store list did not end"
timeout -s KILL "$TIMEOUT" "$BATON" counter get --ns jobs --key ids --json </dev/null \
  >"$WORK/out" 2>"$WORK/err" || fail "baton counter get failed on standalone"
[[ $(json_field "$(cat "$WORK/out")" event) == no-counter ]] || fail "a counter out of nowhere"
timeout -s KILL "$TIMEOUT" "$BATON" store frobnicate --ns app </dev/null >"$WORK/out" \
  2>"$WORK/err"
[[ $? == 2 ]] || fail "an unknown store subcommand did not exit 2"
timeout -s KILL "$TIMEOUT" "$BATON" store get --ns app </dev/null >"$WORK/out" 2>"$WORK/err"
[[ $? == 2 ]] || fail "store get without --key did not exit 2"

if [[ -n ${BATON_TEST_ZK:-} ]]; then
  CLUSTER="cli-store-$$-$RANDOM"
  ZK=(--zk "$BATON_TEST_ZK" --set ha.zookeeper.root=/baton-test --set "ha.cluster-id=$CLUSTER")
  PID=""
  rm -f "$WORK/stdin" "$WORK/stdout"
  start_baton elect --component c --address a --json "${ZK[@]}"
  wait_for granted
  send "store put app greeting hi"
  wait_for store-put
  [[ $(json_field "$LINE" result) == ok ]] || fail "the ZooKeeper leader's put failed: $LINE"
  send "counter add jobs ids 7"
  wait_for counter-add
  [[ $(json_field "$LINE" value) == 7 ]] || fail "the ZooKeeper counter add failed: $LINE"
  timeout -s KILL "$TIMEOUT" "$BATON" store get --ns app --key greeting --json "${ZK[@]}" \
    </dev/null >"$WORK/read" 2>"$WORK/err" || fail "baton store get failed on ZooKeeper"
  [[ $(json_field "$(cat "$WORK/read")" value) == hi ]] || fail "another process does not read hi"
  timeout -s KILL "$TIMEOUT" "$BATON" counter get --ns jobs --key ids --json "${ZK[@]}" \
    </dev/null >"$WORK/read" 2>"$WORK/err" || fail "baton counter get failed on ZooKeeper"
  [[ $(json_field "$(cat "$WORK/read")" value) == 7 ]] || fail "another process does not read 7"
  close_stdin
  wait_for exit
  finish
  [[ $STATUS == 0 ]] || fail "exit status $STATUS, expected 0"
fi
echo "ok: cli_store"
