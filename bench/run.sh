#!/usr/bin/env bash
# THE benchmark command (docs/performance.md):
#
#   bench/run.sh            full run (~10-15 min on 2 cores), rewrites docs/performance.md
#   bench/run.sh --quick    smoke run (~2 min), prints the table, leaves the docs alone
#                           (BATON_BENCH_WRITE_DOCS=1 writes them anyway)
#   bench/run.sh --durable  handover, start and the idle leader against a durable ensemble
#                           (~7-17 min): its own
#                           3 servers with forceSync=yes and their data on disk, in one
#                           process and as `baton elect` processes, each beside the raw floor
#                           measured in the same run; rewrites the durable table of the docs
#   bench/run.sh --durable --quick   the same, few repetitions (~2-3 min), docs left alone
#
# Installs missing packages (scripts/install-deps.sh), builds Release into
# $BATON_BENCH_BUILD_DIR (default <repo>/build-bench), starts the local 3-node ensemble on
# 127.0.0.1 unless BATON_TEST_ZK names one (and stops it at exit only if it started it), runs
# every benchmark, prints the tables and replaces the generated part of docs/performance.md
# (between the bench:begin/bench:end markers; the analysis around it is kept).
#
# Repetitions and settings (environment, full-run default / --quick default):
#   BATON_BENCH_ELECTION_REPS 300/10    BATON_BENCH_HANDOVER_REPS 1000/20
#   BATON_BENCH_FAILOVER_REPS 100/3     BATON_BENCH_HERD_REPS 100/3
#   BATON_BENCH_RETRIEVAL_REPS 500/10   BATON_BENCH_IDLE_SECONDS 60/10
#   BATON_BENCH_COMPONENTS 1000/200     BATON_BENCH_COMPONENTS_REPS 20/1
#   BATON_BENCH_PROCESSES 200/30        BATON_BENCH_PROCESSES_REPS 50/2
#   BATON_BENCH_SESSION_TIMEOUT_MS 6000 BATON_BENCH_FAILOVER_TIMEOUT_MS 2000
# --durable (full / --quick):
#   BATON_BENCH_ELECTION_REPS 200/20    BATON_BENCH_HANDOVER_REPS 300/20
#   BATON_BENCH_PROCESS_HANDOVER_REPS 50/5   BATON_BENCH_PARTICIPANTS 5,100,200
#   BATON_BENCH_DATA_DIR (default $BATON_BENCH_BUILD_DIR/zk-durable; refused on tmpfs/ramfs)
#   BATON_BENCH_DURABLE_PORT_OFFSET (default BATON_ZK_PORT_OFFSET + 50: never the test ensemble)
set -euo pipefail
readonly ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly BUILD=${BATON_BENCH_BUILD_DIR:-$ROOT/build-bench}
readonly ENSEMBLE="$ROOT/test/zk/ensemble.sh"
readonly DOC="$ROOT/docs/performance.md"

quick=0
durable=0
for arg in "$@"; do
  case "$arg" in
    --quick) quick=1 ;;
    --durable) durable=1 ;;
    *) echo "usage: bench/run.sh [--durable] [--quick]" >&2; exit 2 ;;
  esac
done
pick() { if ((quick)); then echo "$2"; else echo "$1"; fi; }

if ((durable)); then
  ELECTION_REPS=${BATON_BENCH_ELECTION_REPS:-$(pick 200 20)}
  HANDOVER_REPS=${BATON_BENCH_HANDOVER_REPS:-$(pick 300 20)}
else
  ELECTION_REPS=${BATON_BENCH_ELECTION_REPS:-$(pick 300 10)}
  HANDOVER_REPS=${BATON_BENCH_HANDOVER_REPS:-$(pick 1000 20)}
fi
PROCESS_HANDOVER_REPS=${BATON_BENCH_PROCESS_HANDOVER_REPS:-$(pick 50 5)}
PARTICIPANTS=${BATON_BENCH_PARTICIPANTS:-5,100,200}
FAILOVER_REPS=${BATON_BENCH_FAILOVER_REPS:-$(pick 100 3)}
HERD_REPS=${BATON_BENCH_HERD_REPS:-$(pick 100 3)}
RETRIEVAL_REPS=${BATON_BENCH_RETRIEVAL_REPS:-$(pick 500 10)}
IDLE_SECONDS=${BATON_BENCH_IDLE_SECONDS:-$(pick 60 10)}
COMPONENTS=${BATON_BENCH_COMPONENTS:-$(pick 1000 200)}
COMPONENTS_REPS=${BATON_BENCH_COMPONENTS_REPS:-$(pick 20 1)}
PROCESSES=${BATON_BENCH_PROCESSES:-$(pick 200 30)}
PROCESSES_REPS=${BATON_BENCH_PROCESSES_REPS:-$(pick 50 2)}
SESSION_TIMEOUT_MS=${BATON_BENCH_SESSION_TIMEOUT_MS:-6000}
FAILOVER_TIMEOUT_MS=${BATON_BENCH_FAILOVER_TIMEOUT_MS:-2000}

"$ROOT/scripts/install-deps.sh"
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DBATON_BUILD_TESTS=OFF \
  -DBATON_BUILD_BENCH=ON >/dev/null
cmake --build "$BUILD" --target baton_bench baton_cli -j"$(nproc)" >&2
readonly BENCH="$BUILD/bench/baton_bench"

# Sum (or mean) of one mntr value over the servers of $BATON_TEST_ZK; empty when unreachable.
mntr() {
  local server out values=()
  for server in ${BATON_TEST_ZK//,/ }; do
    out=$(timeout 3 bash -c "exec 3<>/dev/tcp/${server%:*}/${server##*:} && printf mntr >&3 && \
      cat <&3" 2>/dev/null || true)
    values+=("$(sed -n "s/^$2\t//p" <<<"$out")")
  done
  printf '%s\n' "${values[@]}" | awk -v how="$1" 'NF { s += $1; n++ }
    END { if (n) printf (how == "sum" ? "%d" : "%.1f"), (how == "sum" ? s : s / n) }'
}

if ((durable)); then
  # A durable ensemble as in production: the servers fsync their log before acknowledging a
  # write (forceSync=yes) to a data directory on a real disk. Always its own servers, on their
  # own ports and state directory, so that neither the test ensemble nor its config changes.
  export BATON_ZK_DIR=${BATON_BENCH_DATA_DIR:-$BUILD/zk-durable}
  export BATON_ZK_PORT_OFFSET=${BATON_BENCH_DURABLE_PORT_OFFSET:-$((${BATON_ZK_PORT_OFFSET:-0} + 50))}
  export BATON_ZK_FORCE_SYNC=yes
  mkdir -p "$BATON_ZK_DIR"
  fstype=$(findmnt -n -o FSTYPE -T "$BATON_ZK_DIR" || echo unknown)
  device=$(findmnt -n -o SOURCE -T "$BATON_ZK_DIR" || echo unknown)
  if [[ "$fstype" == tmpfs || "$fstype" == ramfs ]]; then
    echo "bench: $BATON_ZK_DIR is on $fstype: a durable ensemble needs its data on a disk" \
      "(set BATON_BENCH_DATA_DIR to a directory on one)" >&2
    exit 2
  fi
  "$ENSEMBLE" stop  # a left-over ensemble of an interrupted run may have another config
  "$ENSEMBLE" start
  trap '"$ENSEMBLE" stop' EXIT
  eval "$("$ENSEMBLE" env)"
  ensemble_label="durable"
  ensemble_desc="forceSync=yes, data in \`${BATON_ZK_DIR#"$ROOT"/}\` ($fstype on $device)"
elif [[ -z "${BATON_TEST_ZK:-}" ]]; then
  # Stop at exit only what this run started. An ensemble that is up (other engineers' tests
  # share it) stays up; one that is partly down is mid-restart by a fault test: wait for it.
  down=$("$ENSEMBLE" status | grep -c ' pid - ' || true)
  if ((down == 3)); then
    "$ENSEMBLE" start
    trap '"$ENSEMBLE" stop' EXIT
  fi
  for _ in $(seq 120); do
    "$ENSEMBLE" status | grep -q ' mode down' || break
    sleep 1
  done
  eval "$("$ENSEMBLE" env)"
  cfg="${BATON_ZK_DIR:-$ROOT/.zk}/node1/zoo.cfg"
  sync=$(sed -n 's/^forceSync=//p' "$cfg" 2>/dev/null || true)
  [[ -n "$sync" ]] || sync="yes (ZooKeeper's default: no forceSync line)"
  dir=${BATON_ZK_DIR:-$ROOT/.zk}
  fstype=$(findmnt -n -o FSTYPE -T "$dir" 2>/dev/null || echo unknown)
  device=$(findmnt -n -o SOURCE -T "$dir" 2>/dev/null || echo unknown)
  ensemble_label="test"
  ensemble_desc="the test ensemble (test/zk/ensemble.sh): forceSync=${sync}, data in \`${dir#"$ROOT"/}\` ($fstype on $device)"
else
  ensemble_label="given"
  ensemble_desc="named by BATON_TEST_ZK (its forceSync and disk are not known here)"
fi
export BATON_TEST_ZK
echo "bench: ZooKeeper ensemble at $BATON_TEST_ZK" >&2

results="$BUILD/bench-results.tsv"
: >"$results"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
fsyncs_before=$(mntr sum zk_cnt_fsynctime)
common=(--session-timeout-ms "$SESSION_TIMEOUT_MS")
failed=()
run() {  # one failing benchmark (e.g. a server restarted by someone else) does not stop the rest
  echo "bench: == $1" >&2
  if ! "$BENCH" "$@" "${common[@]}" | tee -a "$results" >&2; then
    failed+=("$1")
    printf 'NOTE\tbenchmark %s FAILED: no figures (see the output of the run)\n' "$1" >>"$results"
  fi
}
if ((durable)); then
  run election --reps "$ELECTION_REPS"
  run handover --reps "$HANDOVER_REPS" --participants "$PARTICIPANTS"
  run process-handover --reps "$PROCESS_HANDOVER_REPS" --participants "$PARTICIPANTS"
  # Issue 12's idle leader, at ZooKeeper's default tickTime (2 s; for these servers, which tick
  # every 100 ms, a larger and so safe bound) and at the servers' own tick: the lease keepalive's
  # rate follows ha.zookeeper.tick-time (docs/reliability.md).
  BATON_HA_ZOOKEEPER_TICK_TIME=2000ms run footprint --idle-seconds "$IDLE_SECONDS"
  run footprint --idle-seconds "$IDLE_SECONDS"
else
  run election --reps "$ELECTION_REPS"
  run handover --reps "$HANDOVER_REPS"
  run failover --reps "$FAILOVER_REPS" --failover-timeout-ms "$FAILOVER_TIMEOUT_MS"
  run herd --reps "$HERD_REPS"
  run retrieval --reps "$RETRIEVAL_REPS"
  run footprint --idle-seconds "$IDLE_SECONDS"
  run components --reps "$COMPONENTS_REPS" --components "$COMPONENTS"
  run processes --reps "$PROCESSES_REPS" --processes "$PROCESSES"
fi
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
fsyncs_after=$(mntr sum zk_cnt_fsynctime)
fsync_mean=$(mntr mean zk_avg_fsynctime)
if [[ -n "$fsyncs_before" && -n "$fsyncs_after" ]]; then
  fsyncs="$((fsyncs_after - fsyncs_before)) log fsyncs on the 3 servers during the run, mean ${fsync_mean:-?} ms (mntr \`zk_cnt_fsynctime\`, \`zk_avg_fsynctime\`: 0 fsyncs means forceSync=no)"
else
  fsyncs="fsync counts not available (mntr)"
fi

first_port=${BATON_TEST_ZK%%,*}
zk_version=$(timeout 3 bash -c "exec 3<>/dev/tcp/${first_port%:*}/${first_port##*:} && \
  printf mntr >&3 && cat <&3" 2>/dev/null | sed -n 's/^zk_version\t\([^-,]*\).*/\1/p' || true)
commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ -n "$(git -C "$ROOT" status --porcelain 2>/dev/null)" ]]; then commit+=" (with uncommitted changes)"; fi
overrides=$(env | grep -E '^BATON_BENCH_[A-Z_]+=' | grep -v '^BATON_BENCH_BUILD_DIR=' | sort | tr '\n' ' ' || true)
command="${overrides}bench/run.sh"
((durable)) && command+=" --durable"
((quick)) && command+=" --quick"

render() {
  echo "Produced by \`$command\` on $started."
  echo
  echo "| machine | |"
  echo "|---|---|"
  echo "| CPUs | $(nproc) × $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1) |"
  echo "| memory | $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) |"
  echo "| kernel | $(uname -sr) |"
  echo "| ZooKeeper | ${zk_version:-unknown}, 3 servers on 127.0.0.1 (\`$BATON_TEST_ZK\`) |"
  echo "| ensemble \`${ensemble_label}\` | ${ensemble_desc}; ${fsyncs} |"
  if ((durable)); then
    echo "| session timeouts | ${SESSION_TIMEOUT_MS} ms (election, in-process handover), 30 s (\`baton elect\` handover), 30 s (raw floor) |"
  else
    echo "| session timeouts | ${SESSION_TIMEOUT_MS} ms (latency, handover, retrieval, footprint), ${FAILOVER_TIMEOUT_MS} ms (crash failover), 60 s (herd), 30 s (processes) |"
  fi
  if ((durable)); then
    echo "| repetitions | election ${ELECTION_REPS}, handover ${HANDOVER_REPS} (notifications counted on the first 30), \`baton elect\` handover ${PROCESS_HANDOVER_REPS}; participants ${PARTICIPANTS} |"
  else
    echo "| repetitions | election ${ELECTION_REPS}, handover ${HANDOVER_REPS}, failover ${FAILOVER_REPS}, herd ${HERD_REPS}, retrieval ${RETRIEVAL_REPS}, idle ${IDLE_SECONDS} s, ${COMPONENTS} components × ${COMPONENTS_REPS}, ${PROCESSES} processes × ${PROCESSES_REPS} handovers |"
  fi
  echo "| load average (1/5/15 min) | before ${load_before}, after ${load_after} |"
  echo "| commit | ${commit} |"
  echo "| build | Release (-O3), GCC $(gcc -dumpfullversion 2>/dev/null || echo '?') |"
  echo
  echo "| benchmark | ensemble | unit | n | median | p90 | p99 | max | median / floor |"
  echo "|---|---|---|---:|---:|---:|---:|---:|---:|"
  awk -F'\t' -v ens="$ensemble_label" '$1 == "ROW" {
    printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $2, ens, $3, $4, $5, $6, $7, $8, $9 }' "$results"
  echo
  echo "| target | measured | limit | result |"
  echo "|---|---|---|---|"
  awk -F'\t' '$1 == "TARGET" { printf "| %s | %s | %s | **%s** |\n", $2, $3, $4, $5 }' "$results"
  echo
  awk -F'\t' '$1 == "NOTE" { printf "- %s\n", $2 }' "$results"
}

table="$BUILD/performance-table.md"
((durable)) && table="$BUILD/performance-table-durable.md"
render >"$table"
cat "$table"

if ((quick)) && [[ "${BATON_BENCH_WRITE_DOCS:-0}" != 1 ]]; then
  echo "bench: --quick: docs/performance.md left as it is (table in $table)" >&2
  exit $((${#failed[@]} > 0))
fi
marker=bench
((durable)) && marker=bench-durable
if [[ ! -f "$DOC" ]]; then
  printf '# Performance\n' >"$DOC"
fi
if ! grep -q "<!-- ${marker}:begin -->" "$DOC"; then
  printf '\n<!-- %s:begin -->\n<!-- %s:end -->\n' "$marker" "$marker" >>"$DOC"
fi
# Replace what lies between the markers with the new table.
awk -v table="$table" -v begin="<!-- ${marker}:begin -->" -v end="<!-- ${marker}:end -->" '
  $0 == begin { print; while ((getline line < table) > 0) print line; skip = 1; next }
  $0 == end { skip = 0 }
  !skip { print }
' "$DOC" >"$DOC.tmp" && mv "$DOC.tmp" "$DOC"
echo "bench: wrote $DOC" >&2
if ((${#failed[@]})); then
  echo "bench: failed: ${failed[*]}" >&2
  exit 1
fi
