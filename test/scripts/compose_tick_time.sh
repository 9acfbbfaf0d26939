#!/usr/bin/env bash
# Fails unless docker-compose.yml, test/zk/ensemble.sh and the integration tests'
# ha.zookeeper.tick-time (kTestTickTime) name the same tickTime in milliseconds.
set -euo pipefail
root=$1
compose=$(sed -n 's/^ *ZOO_TICK_TIME: "\([0-9]*\)"/\1/p' "$root/docker-compose.yml")
script=$(sed -n 's/^tickTime=\([0-9]*\)$/\1/p' "$root/test/zk/ensemble.sh")
tests=$(sed -n 's/.*kTestTickTime = "\([0-9]*\)ms".*/\1/p' "$root/test/support/zk_test_env.hpp")
echo "tickTime: docker-compose.yml '$compose', test/zk/ensemble.sh '$script', tests '$tests' ms"
if [[ -z "$compose" || "$compose" != "$script" || "$script" != "$tests" ]]; then
  echo "compose_tick_time: the three differ; align them (docs/operations.md)" >&2
  exit 1
fi
