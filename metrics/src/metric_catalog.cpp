#include "baton/metrics/metric_catalog.hpp"

#include <array>

namespace baton::metrics {
namespace {

// Tenures run from seconds (a flapping leader) to days; a histogram rather than a summary
// because buckets aggregate across processes and over time (a summary's quantiles do not)
// and cost one counter per bucket, with no sliding window to maintain.
constexpr std::array<double, 10> kTenureBuckets{1, 5, 15, 60, 300, 900, 3600, 14400, 86400, 604800};
// ZooKeeper requests answer in well under a millisecond on loopback and in tens of
// milliseconds across zones; the upper buckets catch a request held over a reconnection.
constexpr std::array<double, 14> kLatencyBuckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                 0.1,    0.25,  0.5,    1,     2.5,  5,     10};

constexpr std::array kCatalog{
    MetricSpec{MetricId::leaderStatus, "baton_leader_status", MetricType::gauge, "component",
               "1 while this process leads the component, 0 otherwise."},
    MetricSpec{MetricId::transitions, "baton_leadership_transitions_total", MetricType::counter,
               "component transition reason",
               "Leadership grants and revokes of the component; reason says why a revoke "
               "happened (empty for grants)."},
    MetricSpec{MetricId::tenure, "baton_leadership_tenure_seconds", MetricType::histogram,
               "component",
               "How long each leadership of the component lasted, observed when it ended.",
               kTenureBuckets},
    MetricSpec{MetricId::publishes, "baton_leader_publish_total", MetricType::counter,
               "component result",
               "Publications of the component's leader information by result (written, "
               "unchanged, fenced, failed)."},
    MetricSpec{MetricId::connectionState, "baton_connection_state", MetricType::gauge, "state",
               "1 for the backend connection's current state (connected, suspended, reconnected, "
               "lost), 0 for the others."},
    MetricSpec{MetricId::sessionTimeout, "baton_session_timeout_seconds", MetricType::gauge, "",
               "The session timeout the server negotiated."},
    MetricSpec{MetricId::lastAnswerAge, "baton_last_answer_age_seconds", MetricType::gauge, "",
               "Seconds since the server last answered a request (heartbeats included), at "
               "scrape time."},
    MetricSpec{MetricId::leaseRemaining, "baton_lease_remaining_seconds", MetricType::gauge, "",
               "Seconds this process may still act as leader without hearing from the server, "
               "at scrape time (0 once passed); absent while no lease runs."},
    MetricSpec{MetricId::requests, "baton_requests_total", MetricType::counter, "operation result",
               "Completed backend requests by operation and result (ok, or the error)."},
    MetricSpec{MetricId::requestDuration, "baton_request_duration_seconds", MetricType::histogram,
               "operation result", "Latency of completed backend requests.", kLatencyBuckets},
    MetricSpec{MetricId::retrievalChanges, "baton_retrieval_changes_total", MetricType::counter,
               "component", "Leader changes retrieval services told their listeners of."},
    MetricSpec{MetricId::storeWrites, "baton_store_writes_total", MetricType::counter, "result",
               "Fenced writes to the leader's state store by result (committed, fenced, "
               "outcome_unknown, failed)."},
    MetricSpec{MetricId::backendFailures, "baton_backend_failures_total", MetricType::counter, "",
               "Times the backend failed for good."},
    MetricSpec{MetricId::participantJoined, "baton_participant_joined", MetricType::gauge, "",
               "1 while this process has a place in the election (e.g. its latch node), 0 "
               "otherwise."},
    MetricSpec{MetricId::queuePosition, "baton_queue_position", MetricType::gauge, "",
               "The last observed place in the election's queue (0 leads); absent while not "
               "joined."},
    MetricSpec{MetricId::healthy, "baton_healthy", MetricType::gauge, "",
               "1 when /healthz would answer 200, 0 when 503 (docs/operations.md#health-rule)."},
};

constexpr bool catalogIsIndexed() {
  for (std::size_t i = 0; i < kCatalog.size(); ++i) {
    if (static_cast<std::size_t>(kCatalog[i].id) != i)
      return false;
  }
  return true;
}
static_assert(catalogIsIndexed(), "kCatalog must list the metrics in MetricId order");

}  // namespace

std::span<const MetricSpec> metricCatalog() noexcept {
  return kCatalog;
}

const MetricSpec& metricSpec(MetricId id) noexcept {
  return kCatalog[static_cast<std::size_t>(id)];
}

std::vector<std::string_view> labelNames(const MetricSpec& spec) {
  std::vector<std::string_view> names;
  std::string_view rest = spec.labels;
  while (!rest.empty()) {
    const auto space = rest.find(' ');
    names.push_back(rest.substr(0, space));
    rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
  }
  return names;
}

std::string markdownTableRow(const MetricSpec& spec) {
  std::string row =
      "| `" + std::string(spec.name) + "` | " + std::string(toString(spec.type)) + " | ";
  const auto labels = labelNames(spec);
  for (std::size_t i = 0; i < labels.size(); ++i) {
    row += i > 0 ? ", `" : "`";
    row += labels[i];
    row += '`';
  }
  if (labels.empty())
    row += "-";
  row += " | " + std::string(spec.help) + " |";
  return row;
}

}  // namespace baton::metrics
