#!/usr/bin/env bash
# README command 2: install what is missing, build, start a local 3-node ZooKeeper ensemble on
# loopback (unless BATON_TEST_ZK names one already), and run every test through ctest.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BATON_BUILD_DIR:-$root/build}
"$root/scripts/build.sh" -DBATON_BUILD_TESTS=ON "$@"

ensemble="$root/test/zk/ensemble.sh"
export BATON_ZK_ENSEMBLE_SCRIPT="$ensemble"
if [[ -z "${BATON_TEST_ZK:-}" ]]; then
  "$ensemble" start
  trap '"$ensemble" stop' EXIT
  eval "$("$ensemble" env)"
fi
echo "test.sh: ZooKeeper ensemble at $BATON_TEST_ZK" >&2
ctest --test-dir "$build" --output-on-failure -j2 --timeout 900
