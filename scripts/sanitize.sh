#!/usr/bin/env bash
# Runs the whole test suite under ASan+UBSan and then under TSan, each in its own build dir
# (build-asan/, build-tsan/), against one local ZooKeeper ensemble. Waits in tests are
# stretched by BATON_TEST_TIMEOUT_SCALE (default here: 4) because sanitized code runs slower.
# Usage: scripts/sanitize.sh [address|thread]...   (default: both)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/install-deps.sh"
kinds=("$@")
((${#kinds[@]})) || kinds=(address thread)
export BATON_TEST_TIMEOUT_SCALE=${BATON_TEST_TIMEOUT_SCALE:-4}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}

ensemble="$root/test/zk/ensemble.sh"
export BATON_ZK_ENSEMBLE_SCRIPT="$ensemble"
if [[ -z "${BATON_TEST_ZK:-}" ]]; then
  "$ensemble" start
  trap '"$ensemble" stop' EXIT
  eval "$("$ensemble" env)"
fi

status=0
for kind in "${kinds[@]}"; do
  short=$([[ $kind == address ]] && echo asan || echo tsan)
  build="$root/build-$short"
  cmake -S "$root" -B "$build" -DBATON_WERROR=ON -DBATON_SANITIZE="$kind" \
    -DCMAKE_BUILD_TYPE=Debug >/dev/null
  cmake --build "$build" -j"$(nproc)"
  echo "sanitize.sh: running the suite under $kind" >&2
  # TSan's runtime cannot map its shadow memory under full address-space randomization on
  # some kernels; setarch -R turns randomization off for the test processes only.
  runner=()
  [[ $kind == thread ]] && runner=(setarch "$(uname -m)" -R)
  "${runner[@]}" ctest --test-dir "$build" --output-on-failure -j2 --timeout 1800 || status=1
done
exit $status
