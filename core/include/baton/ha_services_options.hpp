#pragma once

#include <memory>
#include <optional>

#include <spdlog/logger.h>
#include <boost/asio/any_io_executor.hpp>

#include "baton/ha_metrics.hpp"

namespace baton {

// What an application may hand to HighAvailabilityServices besides configuration.
struct HaServicesOptions {
  // Receives baton's log lines; none are written when empty (quiet by default).
  std::shared_ptr<spdlog::logger> logger;
  // Where contender and listener callbacks run (docs/architecture.md#threads).
  //
  // Empty (the default): the services own the threads. Each started contender gets one of its
  // own, started by startLeaderElection and joined when its election closes, so a contender's
  // revoke waits only for that contender's own earlier callbacks, never for another
  // component's. Listeners and the connection-state callback share one more thread.
  // (Standalone grants once at start and revokes only inside close(), on the caller's thread:
  // its contenders share the one thread, which never carries a revoke.)
  //
  // Set: every callback runs on this executor, each contender and listener still through its
  // own serial queue (never concurrent with itself, in order). A callback that blocks
  // holds one of the executor's threads: on a single-threaded executor it delays every other
  // callback, revokes included. That is the application's choice (e.g. one io_context thread
  // for everything, so that its own state needs no locks); give a multi-threaded executor, or
  // none, when a contender's callbacks may block.
  std::optional<boost::asio::any_io_executor> callbackExecutor;
  // Receives the services' metrics and operator events (baton/ha_metrics.hpp); none are
  // reported when empty. One per services instance: two instances may share one only if it
  // tells them apart itself.
  std::shared_ptr<HaMetrics> metrics;
};

}  // namespace baton
