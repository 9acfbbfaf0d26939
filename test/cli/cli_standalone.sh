#!/usr/bin/env bash
# Without --ha (and no BATON_HA_TYPE) baton elect runs standalone: granted at once under the
# default leader session id; its fenced write lands; end of stdin quits with status 0.
source "$(dirname "$0")/lib.sh"
unset BATON_HA_TYPE BATON_HA_ZOOKEEPER_QUORUM

start_baton elect --component c --address a --json
wait_for started
[[ $(json_field "$LINE" ha) == standalone ]] || fail "not standalone: $LINE"
wait_for granted
[[ $(json_field "$LINE" session_id) == 00000000-0000-0000-0000-000000000000 ]] ||
  fail "standalone grant without the default session id: $LINE"
send "write v1"
wait_for write
[[ $(json_field "$LINE" result) == ok ]] || fail "the standalone leader's write failed: $LINE"
[[ $(json_field "$LINE" epoch) == 0 ]] || fail "standalone write not at epoch 0: $LINE"
close_stdin
wait_for exit
[[ $(json_field "$LINE" reason) == eof ]] || fail "exit reason is not 'eof': $LINE"
finish
[[ $STATUS == 0 ]] || fail "exit status $STATUS, expected 0"
check_json_lines

# baton participants / leader ask the backend itself (no ZooKeeper needed): standalone's one
# participant, and the fixed address under the default session id.
timeout -s KILL "$TIMEOUT" "$BATON" participants --json </dev/null >"$WORK/out" 2>"$WORK/err" ||
  fail "baton participants failed on standalone"
[[ $(wc -l <"$WORK/out") == 1 ]] || fail "standalone lists not exactly one participant"
[[ $(json_field "$(cat "$WORK/out")" role) == leader ]] || fail "the participant does not lead"
timeout -s KILL "$TIMEOUT" "$BATON" leader --component c --set ha.standalone.address.c=host:1 \
  --json </dev/null >"$WORK/out" 2>"$WORK/err" || fail "baton leader failed on standalone"
LINE=$(cat "$WORK/out")
[[ $(json_field "$LINE" event) == leader && $(json_field "$LINE" address) == host:1 ]] ||
  fail "baton leader does not report the fixed address: $LINE"
timeout -s KILL "$TIMEOUT" "$BATON" leader --component other --json </dev/null >"$WORK/out" \
  2>"$WORK/err" || fail "baton leader failed on standalone"
[[ $(json_field "$(cat "$WORK/out")" event) == no-leader ]] || fail "an unconfigured component has a leader"
echo "ok: cli_standalone"
