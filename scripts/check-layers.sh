#!/usr/bin/env bash
# Checks who may include whom (docs/architecture.md, "Layers"): every rule is one grep over the
# sources, and every violation is printed with its file and line. Exit 1 on any violation.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
failed=0

# forbid DIR PATTERN WHY: no source under DIR may match the extended regex PATTERN.
forbid() {
  local dir=$1 pattern=$2 why=$3 hits
  [[ -d $dir ]] || return 0
  hits=$(grep -rnE --include='*.hpp' --include='*.cpp' "$pattern" "$dir" || true)
  if [[ -n $hits ]]; then
    echo "layering: $why:" >&2
    echo "$hits" | sed 's/^/  /' >&2
    failed=1
  fi
}

backend_headers='#include "baton/(zookeeper|embedded|standalone)/'
forbid core "$backend_headers|zookeeper/zookeeper\.h|#include \"baton/ha_services_factory" \
  "core/ is backend-neutral"
forbid config "$backend_headers|#include \"baton/ha_services_factory" "config/ sits below the backends"
forbid backends/standalone '#include "baton/(zookeeper|embedded)/' "a backend includes another"
forbid backends/embedded '#include "baton/(zookeeper|standalone)/' "a backend includes another"
forbid backends/zookeeper '#include "baton/(embedded|standalone)/' "a backend includes another"

z=backends/zookeeper/src
forbid $z/client '#include "(election|leader_info|ha)/' \
  "the ZooKeeper client layer knows no election, leader information or services"
forbid $z/leader_info '#include "(election|ha)/' \
  "leader information and retrieval know no latch and no services"
forbid $z/election '#include "ha/' "the election layer knows no services"

# Public headers name only public headers: an installed header cannot reach src/ or core's
# internals. (gateway/detail is installed: the LeaderGatewayRetriever template needs it.)
for include in core/include backends/*/include factory/include config/include; do
  [[ -d $include ]] || continue
  forbid "$include" '#include "[^b]|#include "baton/support/' \
    "a public header includes an internal one"
done

# Applications reach every backend through the neutral API.
forbid apps 'dynamic_cast|#include "(client|election|leader_info|ha)/' \
  "apps/ use the backend-neutral API (no casts, no backend internals)"
forbid examples 'dynamic_cast|#include "baton/zookeeper/|#include "(client|election|leader_info|ha)/' \
  "examples/ use the backend-neutral API (no casts, no backend internals)"

if ((failed)); then
  exit 1
fi
echo "layering: every rule holds"
