#pragma once

#include <memory>

#include <spdlog/logger.h>

namespace baton {

// A logger with no sinks: baton is quiet unless the application hands in its own logger.
std::shared_ptr<spdlog::logger> quietLogger();

// logger if set, quietLogger() otherwise.
std::shared_ptr<spdlog::logger> loggerOrQuiet(std::shared_ptr<spdlog::logger> logger);

}  // namespace baton
