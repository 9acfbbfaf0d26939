#!/usr/bin/env bash
# SIGTERM makes baton elect leave gracefully: revoke (reason closing), exit event, status 0.
source "$(dirname "$0")/lib.sh"

start_baton elect --ha embedded --component c --address a --json
wait_for granted
kill -TERM "$PID"
wait_for revoked
[[ $(json_field "$LINE" reason) == closing ]] || fail "revoke reason is not 'closing': $LINE"
wait_for exit
[[ $(json_field "$LINE" reason) == SIGTERM ]] || fail "exit reason is not 'SIGTERM': $LINE"
finish
[[ $STATUS == 0 ]] || fail "exit status $STATUS after SIGTERM, expected 0"
check_json_lines
echo "ok: cli_elect_signal"
