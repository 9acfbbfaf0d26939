#pragma once

#include <memory>
#include <optional>

#include <spdlog/logger.h>
#include <boost/asio/any_io_executor.hpp>

namespace baton {

// What an application may hand to HighAvailabilityServices besides configuration.
struct HaServicesOptions {
  // Receives baton's log lines; none are written when empty (quiet by default).
  std::shared_ptr<spdlog::logger> logger;
  // Where contender and listener callbacks run. Each contender and listener gets its own
  // serial queue on it, so a multi-threaded executor never runs one contender concurrently.
  // When empty, the services own one callback thread.
  std::optional<boost::asio::any_io_executor> callbackExecutor;
};

}  // namespace baton
