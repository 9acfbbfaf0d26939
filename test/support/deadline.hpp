#pragma once

#include <chrono>
#include <cstdlib>
#include <string>

namespace baton::test {

// Waits in tests are generous deadlines for an event, never sleeps; slow machines and
// sanitizer builds stretch every one of them through BATON_TEST_TIMEOUT_SCALE (default 1).
inline double timeoutScale() {
  const char* value = std::getenv("BATON_TEST_TIMEOUT_SCALE");
  if (!value)
    return 1.0;
  try {
    double scale = std::stod(value);
    return scale > 0 ? scale : 1.0;
  } catch (...) {
    return 1.0;
  }
}

inline std::chrono::milliseconds scaled(std::chrono::milliseconds base) {
  return std::chrono::milliseconds(static_cast<long long>(base.count() * timeoutScale()));
}

// The default wait for an event that should follow promptly.
inline std::chrono::milliseconds eventTimeout() {
  return scaled(std::chrono::seconds(10));
}

}  // namespace baton::test
