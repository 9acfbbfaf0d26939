#!/usr/bin/env bash
# Installs the build tree into a scratch prefix, builds test/consumer against it with
# find_package(baton), and runs it. Usage: run.sh <build-dir> <source-dir>
set -euo pipefail
build=$1
src=$2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cmake --install "$build" --prefix "$scratch/prefix" >/dev/null
cmake -S "$src/test/consumer" -B "$scratch/build" -DCMAKE_PREFIX_PATH="$scratch/prefix" >/dev/null
cmake --build "$scratch/build" -j2 >/dev/null
"$scratch/build/consumer"
