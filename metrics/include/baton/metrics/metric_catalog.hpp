#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace baton::metrics {

enum class MetricType { gauge, counter, histogram };

constexpr std::string_view toString(MetricType type) noexcept {
  switch (type) {
    case MetricType::gauge:
      return "gauge";
    case MetricType::counter:
      return "counter";
    case MetricType::histogram:
      return "histogram";
  }
  return "untyped";
}

// Every metric baton exposes, in exposition order. The one source of truth for names, types,
// help texts, label names and histogram buckets: the text renderer, the Prometheus adapter
// and docs/operations.md's table (checked by metrics_catalog_test) all read it.
enum class MetricId : std::size_t {
  leaderStatus,
  transitions,
  tenure,
  publishes,
  connectionState,
  sessionTimeout,
  lastAnswerAge,
  leaseRemaining,
  requests,
  requestDuration,
  retrievalChanges,
  storeWrites,
  backendFailures,
  participantJoined,
  queuePosition,
  healthy,
};

struct MetricSpec {
  MetricId id;
  std::string_view name;
  MetricType type;
  std::string_view labels;  // label names, space-separated, in sample order ("" for none)
  std::string_view help;
  std::span<const double> buckets{};  // histogram upper bounds in seconds, ascending (+Inf implied)
};

// The catalog, indexed by MetricId.
std::span<const MetricSpec> metricCatalog() noexcept;
const MetricSpec& metricSpec(MetricId id) noexcept;

// The label names of a spec, split.
std::vector<std::string_view> labelNames(const MetricSpec& spec);

// The spec's row in docs/operations.md's metrics table:
// "| `name` | type | `label`, `label` | help |".
std::string markdownTableRow(const MetricSpec& spec);

}  // namespace baton::metrics
