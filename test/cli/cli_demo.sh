#!/usr/bin/env bash
# baton demo: exit 0 and a story of two handovers with never two leaders at once; the --json
# variant prints one JSON event per line.
source "$(dirname "$0")/lib.sh"

status=0
timeout -s KILL "$TIMEOUT" "$BATON" demo >"$WORK/out" 2>"$WORK/err" || status=$?
[[ $status == 0 ]] || fail "baton demo exit status $status, expected 0"
grep -q "handover 2: node-2 -> node-3" "$WORK/out" || fail "no second handover in the story"
grep -q "3 leaders, 2 handovers, never two leaders at once" "$WORK/out" ||
  fail "no verified summary"

timeout -s KILL "$TIMEOUT" "$BATON" demo --json --contenders 4 >"$WORK/out" 2>"$WORK/err" ||
  fail "baton demo --json --contenders 4 failed"
check_json_lines
grep -q '"text":"4 leaders, 3 handovers, never two leaders at once"' "$WORK/out" ||
  fail "no verified summary in the --json output"
echo "ok: cli_demo"
