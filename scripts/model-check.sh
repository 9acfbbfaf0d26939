#!/usr/bin/env bash
# Model-checks baton's ZooKeeper lease (model/lease.pml) with spin; see docs/model.md.
# Runs each configuration exhaustively and prints one verdict line per configuration:
#   new-basis    relay-proof basis                expected: no violation
#   crosscheck   incremental basis == definition  expected: no violation (smaller horizon)
#   vacuity      the client leads, then L expires expected: "violation" (the probe is reachable)
#   old-basis    newest answered forwarded send   expected: violation (a counterexample)
# Exits non-zero if any verdict differs from its expectation or a search was incomplete.
# Installs Debian's spin when it is missing. MODEL_KEEP=1 keeps the work directory.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
model="$root/model/lease.pml"

if ! command -v spin >/dev/null 2>&1; then
  echo "model-check: installing spin" >&2
  sudo_cmd=()
  if [[ $(id -u) != 0 ]]; then sudo_cmd=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  if ! "${sudo_cmd[@]}" apt-get install -y -qq spin >/dev/null 2>&1; then
    "${sudo_cmd[@]}" apt-get update -qq
    "${sudo_cmd[@]}" apt-get install -y -qq spin >/dev/null
  fi
fi
command -v gcc >/dev/null 2>&1 || { echo "model-check: gcc is needed" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/baton-model.XXXXXX")
if [[ "${MODEL_KEEP:-0}" != 1 ]]; then trap 'rm -rf "$work"' EXIT; fi

failed=0
# check NAME EXPECT(pass|violation) HASHBITS SPIN_DEFINES...
check() {
  local name=$1 expect=$2 wbits=$3
  shift 3
  local dir="$work/$name" start end errors got depth
  mkdir -p "$dir"
  cp "$model" "$dir/lease.pml"
  start=$(date +%s)
  (
    cd "$dir"
    spin -a "$@" lease.pml >spin.log 2>&1
    gcc -O2 -w -DSAFETY -DCOLLAPSE -DMEMLIM=6144 -o pan pan.c >gcc.log 2>&1
    ./pan -m200000 -w"$wbits" >pan.out 2>&1 || true
  ) || { echo "model-check: $name: spin/gcc failed, see $dir" >&2; failed=1; return; }
  end=$(date +%s)
  errors=$(sed -n 's/.*errors: \([0-9]*\).*/\1/p' "$dir/pan.out" | tail -1)
  if [[ -z "$errors" ]]; then
    echo "FAIL  $name: pan did not finish ($(tail -1 "$dir/pan.out"))"; failed=1; return
  fi
  if grep -qE 'reached -DMEMLIM bound|max search depth too small' "$dir/pan.out" && [[ $errors == 0 ]]; then
    echo "FAIL  $name: search incomplete ($(grep -E 'MEMLIM|max search depth' "$dir/pan.out" | head -1))"
    failed=1; return
  fi
  local states
  states=$(sed -n 's/^ *\([0-9]*\) states, stored.*/\1/p' "$dir/pan.out" | tail -1)
  if [[ $errors == 0 ]]; then
    got=pass
  else
    got=violation
    depth=$(grep -m1 'assertion violated' "$dir/pan.out" | sed -n 's/.*(at depth \([0-9]*\)).*/\1/p')
  fi
  local detail="${states:-?} states, $((end - start))s"
  if [[ $got == violation ]]; then
    detail="$detail, counterexample trail of ${depth:-?} steps: $(grep -m1 'assertion violated' "$dir/pan.out" | sed 's/^pan:1: //; s/ (at depth.*//')"
  fi
  if [[ $got == "$expect" ]]; then
    echo "OK    $name: $got as expected ($detail)"
  else
    echo "FAIL  $name: $got, expected $expect ($detail)"; failed=1
  fi
}

check new-basis  pass      27
check crosscheck pass      26 -DCROSSCHECK -DH=9 -DNH=4
check vacuity    violation 22 -DVACUITY
check old-basis  violation 22 -DOLD_BASIS

if ((failed)); then
  echo "model-check: FAILED (work directory: $work)" >&2
  trap - EXIT
  exit 1
fi
echo "model-check: all configurations gave the expected verdict"
