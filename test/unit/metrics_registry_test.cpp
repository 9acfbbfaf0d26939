// HaMetricsRegistry: the library's events become the catalog's metrics; time-dependent values
// are computed at read time from the pushed instants (a virtual clock, no sleep).
#include <catch2/catch.hpp>

#include <thread>

#include "baton/metrics/ha_metrics_registry.hpp"
#include "baton/metrics/prometheus_text.hpp"

using namespace baton;
using namespace baton::metrics;
using namespace std::chrono_literals;

namespace {

using Clock = HaMetrics::Clock;
const Clock::time_point t0 = Clock::time_point(1000s);

struct VirtualClock {
  Clock::time_point now = t0;
};

const MetricFamily& familyOf(const MetricsSnapshot& snapshot, MetricId id) {
  return snapshot.at(static_cast<std::size_t>(id));
}

// The value of the sample with these label values; fails the test when there is none.
double valueOf(const MetricsSnapshot& snapshot, MetricId id,
               const std::vector<std::string>& labels = {}) {
  for (const auto& sample : familyOf(snapshot, id).samples) {
    if (sample.labelValues == labels)
      return sample.value;
  }
  FAIL("no sample of " << metricSpec(id).name << " with the labels given");
  return 0;
}

const Histogram& histogramOf(const MetricsSnapshot& snapshot, MetricId id,
                             const std::vector<std::string>& labels) {
  for (const auto& sample : familyOf(snapshot, id).samples) {
    if (sample.labelValues == labels)
      return sample.histogram;
  }
  throw std::runtime_error("no histogram sample");
}

}  // namespace

TEST_CASE("a fresh registry lists every family, with only the always-known values") {
  HaMetricsRegistry registry;
  const auto snapshot = registry.snapshot(t0);
  REQUIRE(snapshot.size() == metricCatalog().size());
  CHECK(familyOf(snapshot, MetricId::leaderStatus).samples.empty());
  CHECK(familyOf(snapshot, MetricId::connectionState).samples.empty());
  CHECK(familyOf(snapshot, MetricId::leaseRemaining).samples.empty());
  CHECK(familyOf(snapshot, MetricId::queuePosition).samples.empty());
  CHECK(valueOf(snapshot, MetricId::backendFailures) == 0);
  CHECK(valueOf(snapshot, MetricId::participantJoined) == 0);
  CHECK(valueOf(snapshot, MetricId::healthy) == 1);
}

TEST_CASE("leader status, transitions by reason and tenure per component") {
  HaMetricsRegistry registry;
  registry.onLeaderStatus("svc", true);
  registry.onLeadershipTransition("svc", HaMetrics::Transition::granted, "");
  registry.onLeaderStatus("other", false);
  auto snapshot = registry.snapshot(t0);
  CHECK(valueOf(snapshot, MetricId::leaderStatus, {"svc"}) == 1);
  CHECK(valueOf(snapshot, MetricId::leaderStatus, {"other"}) == 0);
  CHECK(valueOf(snapshot, MetricId::transitions, {"svc", "granted", ""}) == 1);

  registry.onLeaderStatus("svc", false);
  registry.onLeadershipTransition("svc", HaMetrics::Transition::revoked, "connection_lost");
  registry.onLeadershipTenure("svc", 90s);
  registry.onLeadershipTransition("svc", HaMetrics::Transition::granted, "");
  registry.onLeadershipTransition("svc", HaMetrics::Transition::revoked, "connection_lost");
  registry.onLeadershipTenure("svc", 500ms);
  snapshot = registry.snapshot(t0);
  CHECK(valueOf(snapshot, MetricId::leaderStatus, {"svc"}) == 0);
  CHECK(valueOf(snapshot, MetricId::transitions, {"svc", "granted", ""}) == 2);
  CHECK(valueOf(snapshot, MetricId::transitions, {"svc", "revoked", "connection_lost"}) == 2);
  const auto& tenure = histogramOf(snapshot, MetricId::tenure, {"svc"});
  CHECK(tenure.count == 2);
  CHECK(tenure.sum == Approx(90.5));
  CHECK(tenure.counts.front() == 1);  // 0.5 s <= 1 s
  CHECK(tenure.counts.size() == metricSpec(MetricId::tenure).buckets.size() + 1);
}

TEST_CASE("connection state is one-hot and remembers when it changed") {
  VirtualClock clock;
  HaMetricsRegistry registry([&clock] { return clock.now; });
  registry.onSessionTimeout(4000ms);
  registry.onConnectionState(ConnectionState::connected);
  auto snapshot = registry.snapshot(t0);
  CHECK(valueOf(snapshot, MetricId::connectionState, {"connected"}) == 1);
  CHECK(valueOf(snapshot, MetricId::connectionState, {"suspended"}) == 0);
  CHECK(valueOf(snapshot, MetricId::connectionState, {"reconnected"}) == 0);
  CHECK(valueOf(snapshot, MetricId::connectionState, {"lost"}) == 0);
  CHECK(valueOf(snapshot, MetricId::sessionTimeout) == 4.0);

  clock.now = t0 + 1s;
  registry.onConnectionState(ConnectionState::suspended);
  clock.now = t0 + 3s;
  registry.onConnectionState(ConnectionState::suspended);  // a repeat keeps the first instant
  clock.now = t0 + 4s;
  registry.onConnectionState(ConnectionState::lost);  // and so does the loss that follows
  snapshot = registry.snapshot(t0 + 4s);
  CHECK(valueOf(snapshot, MetricId::connectionState, {"connected"}) == 0);
  CHECK(valueOf(snapshot, MetricId::connectionState, {"suspended"}) == 0);
  CHECK(valueOf(snapshot, MetricId::connectionState, {"lost"}) == 1);
  CHECK(registry.health(t0 + 5s).healthy);
  CHECK_FALSE(registry.health(t0 + 5001ms).healthy);
  CHECK(valueOf(registry.snapshot(t0 + 5001ms), MetricId::healthy) == 0);
  clock.now = t0 + 6s;
  registry.onConnectionState(ConnectionState::connected);
  clock.now = t0 + 7s;
  registry.onConnectionState(ConnectionState::suspended);  // a new outage counts afresh
  CHECK(registry.health(t0 + 11s).healthy);
  CHECK_FALSE(registry.health(t0 + 11001ms).healthy);
}

TEST_CASE("answer age and lease time left are computed when read") {
  HaMetricsRegistry registry;
  registry.onAnswer(t0);
  registry.onAnswer(t0 - 1s);  // an older report arriving late changes nothing
  registry.onLeaseDeadline(t0 + 3s);
  auto snapshot = registry.snapshot(t0 + 500ms);
  CHECK(valueOf(snapshot, MetricId::lastAnswerAge) == Approx(0.5));
  CHECK(valueOf(snapshot, MetricId::leaseRemaining) == Approx(2.5));
  snapshot = registry.snapshot(t0 + 4s);
  CHECK(valueOf(snapshot, MetricId::lastAnswerAge) == Approx(4.0));
  CHECK(valueOf(snapshot, MetricId::leaseRemaining) == 0);  // passed: 0, never negative
  registry.onLeaseDeadline(Clock::time_point::max());
  CHECK(familyOf(registry.snapshot(t0), MetricId::leaseRemaining).samples.empty());
}

TEST_CASE("a leader with a low lease is unhealthy; the registry feeds the rule") {
  HaMetricsRegistry registry;
  registry.onSessionTimeout(6000ms);
  registry.onConnectionState(ConnectionState::connected);
  registry.onLeaderStatus("svc", true);
  registry.onLeaseDeadline(t0 + 4s);
  CHECK(registry.health(t0).healthy);
  CHECK_FALSE(registry.health(t0 + 3500ms).healthy);
  registry.onLeaderStatus("svc", false);  // revoked: no longer a leader's problem
  CHECK(registry.health(t0 + 3500ms).healthy);
}

TEST_CASE("requests by operation and result, with their latency") {
  HaMetricsRegistry registry;
  registry.onRequest("create", {}, 2ms);
  registry.onRequest("create", {}, 20ms);
  registry.onRequest("create", std::make_error_code(std::errc::timed_out), 3s);
  const auto snapshot = registry.snapshot(t0);
  const std::string timedOut = std::make_error_code(std::errc::timed_out).message();
  CHECK(valueOf(snapshot, MetricId::requests, {"create", "ok"}) == 2);
  CHECK(valueOf(snapshot, MetricId::requests, {"create", timedOut}) == 1);
  const auto& ok = histogramOf(snapshot, MetricId::requestDuration, {"create", "ok"});
  CHECK(ok.count == 2);
  CHECK(ok.sum == Approx(0.022));
}

TEST_CASE("publishes, retrieval changes, store writes, failures and the queue place") {
  HaMetricsRegistry registry;
  registry.onPublish("svc", HaMetrics::PublishResult::written);
  registry.onPublish("svc", HaMetrics::PublishResult::fenced);
  registry.onRetrievalChange("svc");
  registry.onRetrievalChange("svc");
  registry.onStoreWrite(HaMetrics::StoreWriteResult::outcome_unknown);
  registry.onParticipantJoined("/baton/latch/_c_x-latch-0000000003", 2);
  registry.onQueuePosition(1);
  auto snapshot = registry.snapshot(t0);
  CHECK(valueOf(snapshot, MetricId::publishes, {"svc", "written"}) == 1);
  CHECK(valueOf(snapshot, MetricId::publishes, {"svc", "fenced"}) == 1);
  CHECK(valueOf(snapshot, MetricId::retrievalChanges, {"svc"}) == 2);
  CHECK(valueOf(snapshot, MetricId::storeWrites, {"outcome_unknown"}) == 1);
  CHECK(valueOf(snapshot, MetricId::participantJoined) == 1);
  CHECK(valueOf(snapshot, MetricId::queuePosition) == 1);

  registry.onParticipantLeft();
  registry.onBackendFailure(std::system_error(std::make_error_code(std::errc::io_error), "boom"));
  snapshot = registry.snapshot(t0);
  CHECK(valueOf(snapshot, MetricId::participantJoined) == 0);
  CHECK(familyOf(snapshot, MetricId::queuePosition).samples.empty());
  CHECK(valueOf(snapshot, MetricId::backendFailures) == 1);
  CHECK(valueOf(snapshot, MetricId::healthy) == 0);
  CHECK_THAT(registry.health(t0).reason, Catch::Contains("boom"));
}

TEST_CASE("events from several threads while scraping lose no count") {
  HaMetricsRegistry registry;
  constexpr int kPerThread = 2000;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&registry] {
      for (int i = 0; i < kPerThread; ++i)
        registry.onRequest("sync", {}, 1ms);
    });
  }
  for (int i = 0; i < 50; ++i)
    CHECK_FALSE(renderPrometheusText(registry.snapshot(Clock::now())).empty());
  for (auto& thread : threads)
    thread.join();
  CHECK(valueOf(registry.snapshot(t0), MetricId::requests, {"sync", "ok"}) == 4 * kPerThread);
}
