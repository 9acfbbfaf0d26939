#include "cli_metrics.hpp"

#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>

#include "baton/metrics/metrics_routes.hpp"

namespace baton::cli {

CliMetrics::CliMetrics(std::shared_ptr<metrics::HaMetricsRegistry> registry, PrintLane& lane)
    : registry_(std::move(registry)), lane_(lane) {}

void CliMetrics::onLeaderStatus(std::string_view component, bool leading) {
  if (registry_)
    registry_->onLeaderStatus(component, leading);
}
void CliMetrics::onLeadershipTransition(std::string_view component, Transition transition,
                                        std::string_view reason) {
  if (registry_)
    registry_->onLeadershipTransition(component, transition, reason);
}
void CliMetrics::onLeadershipTenure(std::string_view component, std::chrono::nanoseconds tenure) {
  if (registry_)
    registry_->onLeadershipTenure(component, tenure);
}
void CliMetrics::onPublish(std::string_view component, PublishResult result) {
  if (registry_)
    registry_->onPublish(component, result);
}

void CliMetrics::onParticipantJoined(std::string_view node, std::size_t position) {
  if (registry_)
    registry_->onParticipantJoined(node, position);
  {
    const std::lock_guard lock(mutex_);
    printedPosition_ = position;
  }
  lane_.post(
      Event{.name = "joined",
            .fields = {{"node", std::string(node)}, {"position", std::to_string(position)}}});
}

void CliMetrics::onQueuePosition(std::size_t position) {
  if (registry_)
    registry_->onQueuePosition(position);
  {
    const std::lock_guard lock(mutex_);
    if (printedPosition_ == position)
      return;
    printedPosition_ = position;
  }
  lane_.post(Event{.name = "position", .fields = {{"position", std::to_string(position)}}});
}

void CliMetrics::onParticipantLeft() {
  if (registry_)
    registry_->onParticipantLeft();
  const std::lock_guard lock(mutex_);
  printedPosition_.reset();
}
void CliMetrics::onConnectionState(ConnectionState state) {
  if (registry_)
    registry_->onConnectionState(state);
}
void CliMetrics::onSessionTimeout(std::chrono::milliseconds negotiated) {
  if (registry_)
    registry_->onSessionTimeout(negotiated);
}
void CliMetrics::onAnswer(Clock::time_point at) {
  if (registry_)
    registry_->onAnswer(at);
}
void CliMetrics::onLeaseDeadline(Clock::time_point deadline) {
  if (registry_)
    registry_->onLeaseDeadline(deadline);
}
void CliMetrics::onRequest(std::string_view operation, std::error_code result,
                           std::chrono::nanoseconds latency) {
  if (registry_)
    registry_->onRequest(operation, result, latency);
}
void CliMetrics::onBackendFailure(const std::system_error& error) {
  if (registry_)
    registry_->onBackendFailure(error);
}
void CliMetrics::onRetrievalChange(std::string_view component) {
  if (registry_)
    registry_->onRetrievalChange(component);
}
void CliMetrics::onStoreWrite(StoreWriteResult result) {
  if (registry_)
    registry_->onStoreWrite(result);
}

CommandMetrics::CommandMetrics(const CliOptions& options, EventPrinter& printer) : lane_(printer) {
  if (options.metrics) {
    registry_ = std::make_shared<metrics::HaMetricsRegistry>();
    try {
      server_ = std::make_unique<metrics::MetricsHttpServer>(
          metrics::parseListenAddress(*options.metrics),
          [registry = registry_](const metrics::HttpRequestHead& request) {
            return metrics::respondToMetricsRequest(*registry, request,
                                                    std::chrono::steady_clock::now());
          });
    } catch (const std::system_error& e) {
      // Before the services exist: a refused address leaves nothing behind (no latch node).
      throw std::runtime_error(std::string("--metrics: ") + e.what());
    }
    printer.print(Event{.name = "metrics", .fields = {{"address", server_->address()}}});
  }
  metrics_ = std::make_shared<CliMetrics>(registry_, lane_);
}

CommandMetrics::~CommandMetrics() {
  if (server_)
    server_->stop();
}

HaServicesOptions CommandMetrics::servicesOptions() const {
  HaServicesOptions services;
  services.metrics = metrics_;
  return services;
}

}  // namespace baton::cli
