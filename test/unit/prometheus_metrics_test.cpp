// The optional Prometheus adapter (baton_prometheus; this test is built only with it): the
// registry's snapshot as prometheus-cpp's metric families, the catalog's names and types, and
// the same text through prometheus-cpp's own serializer.
#include <catch2/catch.hpp>

#include <prometheus/text_serializer.h>

#include "baton/metrics/prometheus_collectable.hpp"

using namespace baton;
using namespace baton::metrics;
using namespace std::chrono_literals;

namespace {

const prometheus::MetricFamily& familyNamed(const std::vector<prometheus::MetricFamily>& all,
                                            const std::string& name) {
  for (const auto& family : all) {
    if (family.name == name)
      return family;
  }
  throw std::runtime_error("no family " + name);
}

}  // namespace

TEST_CASE("Collect() returns every catalog family with the registry's values") {
  auto registry = std::make_shared<HaMetricsRegistry>();
  registry->onLeaderStatus("svc", true);
  registry->onLeadershipTransition("svc", HaMetrics::Transition::revoked, "lease_expired");
  registry->onRequest("multi", {}, 3ms);
  registry->onConnectionState(ConnectionState::suspended);
  PrometheusCollectable collectable(registry);
  const auto families = collectable.Collect();
  REQUIRE(families.size() == metricCatalog().size());
  for (std::size_t i = 0; i < families.size(); ++i)
    CHECK(families[i].name == metricCatalog()[i].name);

  const auto& status = familyNamed(families, "baton_leader_status");
  CHECK(status.type == prometheus::MetricType::Gauge);
  REQUIRE(status.metric.size() == 1);
  CHECK(status.metric[0].label[0].name == "component");
  CHECK(status.metric[0].label[0].value == "svc");
  CHECK(status.metric[0].gauge.value == 1);

  const auto& transitions = familyNamed(families, "baton_leadership_transitions_total");
  CHECK(transitions.type == prometheus::MetricType::Counter);
  REQUIRE(transitions.metric.size() == 1);
  CHECK(transitions.metric[0].label.size() == 3);
  CHECK(transitions.metric[0].label[2].value == "lease_expired");
  CHECK(transitions.metric[0].counter.value == 1);

  const auto& latency = familyNamed(families, "baton_request_duration_seconds");
  CHECK(latency.type == prometheus::MetricType::Histogram);
  REQUIRE(latency.metric.size() == 1);
  const auto& histogram = latency.metric[0].histogram;
  CHECK(histogram.sample_count == 1);
  CHECK(histogram.sample_sum == Approx(0.003));
  CHECK(histogram.bucket.size() == metricSpec(MetricId::requestDuration).buckets.size() + 1);
  CHECK(histogram.bucket.back().cumulative_count == 1);
  CHECK(std::isinf(histogram.bucket.back().upper_bound));

  const auto& state = familyNamed(families, "baton_connection_state");
  CHECK(state.metric.size() == 4);

  const std::string text = prometheus::TextSerializer().Serialize(families);
  CHECK_THAT(text, Catch::Contains("baton_leader_status{component=\"svc\"} 1"));
  CHECK_THAT(text, Catch::Contains("baton_connection_state{state=\"suspended\"} 1"));
}
