#!/usr/bin/env bash
# baton elect --json on the embedded backend: granted, a fenced write, release (revoked +
# released; a write under the old token is refused), rejoin (granted again), quit (exit 0);
# every line is a JSON event with the common fields.
source "$(dirname "$0")/lib.sh"

start_baton elect --ha embedded --component c --address a --json --id tester
wait_for started
wait_for granted
first_session=$(json_field "$LINE" session_id)
[[ $first_session =~ ^[0-9a-f-]{36}$ ]] || fail "granted without a session id: $LINE"
wait_for confirmed
[[ $(json_field "$LINE" address) == a ]] || fail "confirmed without the address: $LINE"

send "write v1"
wait_for write
[[ $(json_field "$LINE" result) == ok ]] || fail "the leader's write failed: $LINE"
[[ $(json_field "$LINE" session_id) == "$first_session" ]] || fail "write not under the grant: $LINE"

send release
wait_for revoked
[[ $(json_field "$LINE" reason) == released ]] || fail "revoke reason is not 'released': $LINE"
wait_for released
send "write v2"
wait_for write
[[ $(json_field "$LINE" result) == "leadership lost"* ]] ||
  fail "a write under the released grant's token was not refused: $LINE"

send rejoin
wait_for rejoined
wait_for granted
second_session=$(json_field "$LINE" session_id)
[[ $second_session != "$first_session" && $second_session != null ]] ||
  fail "the second grant did not bring a fresh session id: $LINE"

send quit
wait_for revoked
[[ $(json_field "$LINE" reason) == closing ]] || fail "revoke reason is not 'closing': $LINE"
wait_for exit
[[ $(json_field "$LINE" reason) == quit ]] || fail "exit reason is not 'quit': $LINE"
finish
[[ $STATUS == 0 ]] || fail "exit status $STATUS, expected 0"
check_json_lines
grep -q '"id":"tester"' "$WORK/out" || fail "--id not used"
echo "ok: cli_elect_json"
