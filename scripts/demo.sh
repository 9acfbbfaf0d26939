#!/usr/bin/env bash
# README command 1: install what is missing, build, and run the election/failover demo on the
# in-process backend (no ZooKeeper needed).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/build.sh" -DBATON_BUILD_TESTS=OFF >&2
exec "${BATON_BUILD_DIR:-$root/build}/apps/baton/baton" demo "$@"
