// A logger for white-box test rigs: silent unless BATON_TEST_LOG is set, then every level to
// stderr with thread ids and millisecond stamps, so that a rare failure can be replayed with
// the library's and the C client's own account of it.
#pragma once

#include <cstdlib>
#include <memory>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "baton/logging.hpp"

namespace baton::test {

inline std::shared_ptr<spdlog::logger> testLogger() {
  if (!std::getenv("BATON_TEST_LOG"))
    return quietLogger();
  static const auto logger = [] {
    auto made =
        std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    made->set_level(spdlog::level::trace);
    made->set_pattern("%H:%M:%S.%e %t %l %v");
    return made;
  }();
  return logger;
}

}  // namespace baton::test
