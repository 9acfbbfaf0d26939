#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <utility>

#include "baton/ha_metrics.hpp"
#include "baton/metrics/health_rule.hpp"
#include "baton/metrics/metrics_snapshot.hpp"

namespace baton::metrics {

// Aggregates one HighAvailabilityServices instance's HaMetrics events into the catalog's
// metrics (metric_catalog.hpp): counters, gauges and histograms by label, plus the instants
// from which lease time left and answer age are computed when read.
//
// Hand it to HaServicesOptions::metrics (it is one services instance's; two instances need
// two registries), then read snapshot() and health() from anywhere, e.g. an HTTP scrape.
//
// Thread-safety: every method may be called from any thread, concurrently; one mutex guards
// the state, held only to copy or bump values (never while calling out), so an event costs
// the library's thread a map update.
class HaMetricsRegistry final : public HaMetrics {
 public:
  using NowFunction = std::function<Clock::time_point()>;

  // now stamps the events that carry no instant (a connection state change); tests pass a
  // virtual clock.
  explicit HaMetricsRegistry(NowFunction now = [] { return Clock::now(); });

  MetricsSnapshot snapshot(Clock::time_point now) const;
  HealthFacts healthFacts() const;
  HealthVerdict health(Clock::time_point now) const { return evaluateHealth(healthFacts(), now); }

  void onLeaderStatus(std::string_view component, bool leading) override;
  void onLeadershipTransition(std::string_view component, Transition transition,
                              std::string_view reason) override;
  void onLeadershipTenure(std::string_view component, std::chrono::nanoseconds tenure) override;
  void onPublish(std::string_view component, PublishResult result) override;
  void onParticipantJoined(std::string_view node, std::size_t position) override;
  void onQueuePosition(std::size_t position) override;
  void onParticipantLeft() override;
  void onConnectionState(ConnectionState state) override;
  void onSessionTimeout(std::chrono::milliseconds negotiated) override;
  void onAnswer(Clock::time_point at) override;
  void onLeaseDeadline(Clock::time_point deadline) override;
  void onRequest(std::string_view operation, std::error_code result,
                 std::chrono::nanoseconds latency) override;
  void onBackendFailure(const std::system_error& error) override;
  void onRetrievalChange(std::string_view component) override;
  void onStoreWrite(StoreWriteResult result) override;

 private:
  using Key1 = std::string;
  using Key2 = std::pair<std::string, std::string>;
  using Key3 = std::tuple<std::string, std::string, std::string>;

  HealthFacts factsLocked() const;

  const NowFunction now_;
  mutable std::mutex mutex_;
  std::map<Key1, bool> leaderStatus_;
  std::map<Key3, std::uint64_t> transitions_;
  std::map<Key1, Histogram> tenure_;
  std::map<Key2, std::uint64_t> publishes_;
  std::optional<ConnectionState> connection_;
  Clock::time_point downSince_{};
  std::optional<std::chrono::milliseconds> sessionTimeout_;
  std::optional<Clock::time_point> lastAnswer_;
  Clock::time_point leaseDeadline_ = Clock::time_point::max();
  std::map<Key2, std::uint64_t> requests_;
  std::map<Key2, Histogram> requestDuration_;
  std::map<Key1, std::uint64_t> retrievalChanges_;
  std::map<Key1, std::uint64_t> storeWrites_;
  std::uint64_t backendFailures_ = 0;
  std::optional<std::string> firstFailure_;
  bool joined_ = false;
  std::optional<std::size_t> position_;
};

// The words the metrics use for the library's enums (stable label values).
std::string_view toString(HaMetrics::Transition transition) noexcept;
std::string_view toString(HaMetrics::PublishResult result) noexcept;
std::string_view toString(HaMetrics::StoreWriteResult result) noexcept;

}  // namespace baton::metrics
