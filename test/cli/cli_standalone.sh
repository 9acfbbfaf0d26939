#!/usr/bin/env bash
# Without --ha (and no BATON_HA_TYPE) baton elect runs standalone: granted at once under the
# default leader session id; end of stdin quits with status 0.
source "$(dirname "$0")/lib.sh"
unset BATON_HA_TYPE BATON_HA_ZOOKEEPER_QUORUM

start_baton elect --component c --address a --json
wait_for started
[[ $(json_field "$LINE" ha) == standalone ]] || fail "not standalone: $LINE"
wait_for granted
[[ $(json_field "$LINE" session_id) == 00000000-0000-0000-0000-000000000000 ]] ||
  fail "standalone grant without the default session id: $LINE"
close_stdin
wait_for exit
[[ $(json_field "$LINE" reason) == eof ]] || fail "exit reason is not 'eof': $LINE"
finish
[[ $STATUS == 0 ]] || fail "exit status $STATUS, expected 0"
check_json_lines
echo "ok: cli_standalone"
