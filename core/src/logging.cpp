#include "baton/logging.hpp"

namespace baton {

std::shared_ptr<spdlog::logger> quietLogger() {
  static const auto logger = [] {
    auto l = std::make_shared<spdlog::logger>("baton");  // no sinks: writes nowhere
    l->set_level(spdlog::level::off);
    return l;
  }();
  return logger;
}

std::shared_ptr<spdlog::logger> loggerOrQuiet(std::shared_ptr<spdlog::logger> logger) {
  return logger ? std::move(logger) : quietLogger();
}

}  // namespace baton
