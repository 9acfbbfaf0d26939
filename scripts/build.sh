#!/usr/bin/env bash
# Configures and builds baton into $BATON_BUILD_DIR (default: build/), installing missing
# Debian packages first. Extra arguments go to cmake's configure step.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/install-deps.sh"
build=${BATON_BUILD_DIR:-$root/build}
cmake -S "$root" -B "$build" -DBATON_WERROR=ON "$@" >/dev/null
cmake --build "$build" -j"$(nproc)"
