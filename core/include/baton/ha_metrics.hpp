#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <system_error>

#include "baton/connection_state.hpp"

namespace baton {

// What one HighAvailabilityServices instance reports about itself, for metrics, health checks
// and operator events (as client-go's leader-election MetricsProvider or librdkafka's
// statistics callback). An application derives from it and overrides what it wants; every
// method is a no-op here, so that the default (HaServicesOptions::metrics empty) costs nothing
// and a new event never breaks an existing implementation.
//
// Events are facts as the library saw them, pushed when they happen; values that change with
// time (lease time left, age of the newest answer) are pushed as instants on the steady clock,
// and the implementation computes them when it is read (a scrape).
//
// Thread-safety: methods are called from the library's threads (the backend's I/O thread, the
// callback threads, the caller of close()), possibly concurrently with each other; an
// implementation synchronises its own state. The library never calls it under a lock of its
// own, so it may take its own locks, but it must not block for long (it delays elections)
// and must not call back into baton.
class HaMetrics {
 public:
  using Clock = std::chrono::steady_clock;

  enum class Transition { granted, revoked };
  enum class PublishResult { written, unchanged, fenced, failed };
  enum class StoreWriteResult { committed, fenced, outcome_unknown, failed };

  virtual ~HaMetrics() = default;

  // --- election, per component (DefaultLeaderElectionService) ---
  // The component's contender was granted (leading = true) or revoked (false).
  virtual void onLeaderStatus(std::string_view /*component*/, bool /*leading*/) {}
  // One grant or revoke; reason is a short, stable word for revokes, empty for grants:
  // connection_suspended, session_lost, lease_expired, latch_deleted, latch_lost, failed,
  // transferred, deposed (embedded), closed (this process left), other
  // (docs/architecture.md#metrics).
  virtual void onLeadershipTransition(std::string_view /*component*/, Transition /*transition*/,
                                      std::string_view /*reason*/) {}
  // How long the component led, reported when its leadership ends.
  virtual void onLeadershipTenure(std::string_view /*component*/,
                                  std::chrono::nanoseconds /*tenure*/) {}
  // What came of publishing the component's leader information.
  virtual void onPublish(std::string_view /*component*/, PublishResult /*result*/) {}

  // --- participation in the backend's election (one per process) ---
  // This process's place in the election exists (e.g. its latch node was created); position
  // 0 leads, 1 is next in line, ...
  virtual void onParticipantJoined(std::string_view /*node*/, std::size_t /*position*/) {}
  // The position last observed while waiting (the backend sees it when it re-checks; a place
  // further back may have moved up meanwhile without a report).
  virtual void onQueuePosition(std::size_t /*position*/) {}
  // The process's place in the election is gone (left, or lost with its session).
  virtual void onParticipantLeft() {}

  // --- the backend connection ---
  virtual void onConnectionState(ConnectionState /*state*/) {}
  // The session timeout the server granted (it may differ from the one asked for).
  virtual void onSessionTimeout(std::chrono::milliseconds /*negotiated*/) {}
  // The server answered a request (any answer, heartbeats included) at this instant.
  virtual void onAnswer(Clock::time_point /*at*/) {}
  // Until when this process may act as leader without hearing from the server again;
  // Clock::time_point::max() when no lease runs (not leading, or a backend without one).
  virtual void onLeaseDeadline(Clock::time_point /*deadline*/) {}
  // One request to the backend completed: operation is the backend's name for it
  // ("create", "multi", "get_children", ...), result empty on success.
  virtual void onRequest(std::string_view /*operation*/, std::error_code /*result*/,
                         std::chrono::nanoseconds /*latency*/) {}
  // The backend failed for good (the driver left the election, or the services cannot work).
  virtual void onBackendFailure(const std::system_error& /*error*/) {}

  // --- retrieval and the leader's state ---
  // A retrieval service told its listeners of a new leader (or of none) for the component.
  virtual void onRetrievalChange(std::string_view /*component*/) {}
  // One fenced write to the leader's state store.
  virtual void onStoreWrite(StoreWriteResult /*result*/) {}
};

}  // namespace baton
