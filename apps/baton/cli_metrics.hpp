#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>

#include "baton/ha_metrics.hpp"
#include "baton/ha_services_options.hpp"
#include "baton/metrics/ha_metrics_registry.hpp"
#include "baton/metrics/metrics_http_server.hpp"
#include "cli_options.hpp"
#include "event_printer.hpp"
#include "print_lane.hpp"

namespace baton::cli {

// What `baton elect` and `baton run` hand to their services as HaServicesOptions::metrics:
// every event goes to the registry (when --metrics serves one), and the participant's place
// in the election is printed for the operator: `joined` (node, position) and `position`.
//
// `position` is printed only when the place differs from the one last printed: the backend
// reports every re-check, and most find the same place.
//
// Printing happens on a PrintLane, not on the library's thread that reports the event (its
// I/O thread): a write to a full stdout pipe would otherwise stall the election.
//
// Thread-safety: every HaMetrics method may be called from any thread (see HaMetrics).
class CliMetrics final : public HaMetrics {
 public:
  CliMetrics(std::shared_ptr<metrics::HaMetricsRegistry> registry, PrintLane& lane);

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
  // Null without --metrics: the events are then only printed.
  const std::shared_ptr<metrics::HaMetricsRegistry> registry_;
  PrintLane& lane_;
  std::mutex mutex_;
  std::optional<std::size_t> printedPosition_;  // none while not joined
};

// A command's metrics: the --metrics endpoint (bound by the constructor, which prints
// `metrics address=ADDR:PORT`, the real port when 0 was asked) and the CliMetrics for its
// services. Create it before the services and destroy it after them: the services hold the
// CliMetrics, which prints through this object's lane.
//
// Thread-safety: construct and destroy on the command's thread.
class CommandMetrics {
 public:
  // Throws std::runtime_error naming the address when --metrics cannot be served.
  CommandMetrics(const CliOptions& options, EventPrinter& printer);
  ~CommandMetrics();
  CommandMetrics(const CommandMetrics&) = delete;
  CommandMetrics& operator=(const CommandMetrics&) = delete;

  // The options to build the services with (metrics set).
  HaServicesOptions servicesOptions() const;

 private:
  PrintLane lane_;
  std::shared_ptr<metrics::HaMetricsRegistry> registry_;
  std::unique_ptr<metrics::MetricsHttpServer> server_;
  std::shared_ptr<CliMetrics> metrics_;
};

}  // namespace baton::cli
