# Helpers shared by the CLI tests (sourced). Every wait is bounded by a deadline scaled by
# BATON_TEST_TIMEOUT_SCALE, and cleanup kills only the process the test started, by its pid.
set -u

BATON=${1:?usage: $0 path/to/baton}
WORK=$(mktemp -d)
PID=""
LINE=""
STATUS=""

# scaled SECONDS: the deadline stretched by BATON_TEST_TIMEOUT_SCALE, at least one second.
scaled() {
  awk -v base="$1" -v scale="${BATON_TEST_TIMEOUT_SCALE:-1}" \
    'BEGIN { v = base * scale; if (v < 1) v = 1; printf "%d", v + 0.999 }'
}
TIMEOUT=$(scaled 20)

cleanup() {
  if [[ -n $PID ]] && kill -0 "$PID" 2>/dev/null; then kill -KILL "$PID" 2>/dev/null; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  if [[ -s $WORK/out ]]; then echo "--- stdout:" >&2; cat "$WORK/out" >&2; fi
  if [[ -s $WORK/err ]]; then echo "--- stderr:" >&2; cat "$WORK/err" >&2; fi
  exit 1
}

# start_baton ARGS...: runs baton in the background with its stdin on a FIFO the test writes
# to (fd 3, see send) and its stdout on a FIFO the test reads line by line (fd 4, see
# wait_for). Every line read is kept in $WORK/out; stderr goes to $WORK/err.
start_baton() {
  mkfifo "$WORK/stdin" "$WORK/stdout"
  "$BATON" "$@" <"$WORK/stdin" >"$WORK/stdout" 2>"$WORK/err" &
  PID=$!
  # Each open blocks until baton's side opens the same FIFO, in the same order.
  exec 3>"$WORK/stdin" 4<"$WORK/stdout"
  : >"$WORK/out"
}

send() { echo "$1" >&3 || fail "could not send '$1'"; }
close_stdin() { exec 3>&-; }

# wait_for EVENT: reads JSON output until a line with "event":"EVENT" and keeps it in LINE.
# Fails at end of output or after $TIMEOUT seconds. (Globals, not stdout: a command
# substitution would run it in a subshell, where fail could not end the test.)
wait_for() {
  local event=$1 deadline=$((SECONDS + TIMEOUT)) line
  while ((SECONDS < deadline)); do
    if ! IFS= read -r -t $((deadline - SECONDS)) -u 4 line; then break; fi
    echo "$line" >>"$WORK/out"
    if [[ $line == *"\"event\":\"$event\""* ]]; then
      LINE=$line
      return 0
    fi
  done
  fail "no '$event' event within ${TIMEOUT}s"
}

# finish: reads the rest of the output, waits (bounded) for baton to exit and keeps its exit
# status in STATUS.
finish() {
  local deadline=$((SECONDS + TIMEOUT)) line
  while ((SECONDS < deadline)) && IFS= read -r -t $((deadline - SECONDS)) -u 4 line; do
    echo "$line" >>"$WORK/out"
  done
  while kill -0 "$PID" 2>/dev/null; do
    ((SECONDS < deadline)) || fail "baton (pid $PID) did not exit within ${TIMEOUT}s"
    sleep 0.05 # polls the exit of the process; its output already ended
  done
  STATUS=0
  wait "$PID" || STATUS=$?
  PID=""
}

# check_json_lines: every output line is a JSON object with the fields every event carries.
check_json_lines() {
  python3 - "$WORK/out" <<'PY' || fail "output is not one valid JSON event per line"
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert lines, "no output"
for line in lines:
    event = json.loads(line)
    for key in ("event", "component", "id", "ts_us", "session_id"):
        assert key in event, f"{key} missing in {line}"
    assert isinstance(event["ts_us"], int) and event["ts_us"] > 1_500_000_000_000_000, line
    assert event["session_id"] is None or isinstance(event["session_id"], str), line
PY
}

# json_field LINE KEY: the value of KEY in a JSON line ("null" for null).
json_field() {
  python3 -c 'import json, sys; v = json.loads(sys.argv[1])[sys.argv[2]]; print("null" if v is None else v)' "$1" "$2"
}
