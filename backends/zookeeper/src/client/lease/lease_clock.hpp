#pragma once

#include <time.h>

#include <chrono>
#include <cstdint>

namespace baton::zookeeper {

// The clock of the lease: Linux's CLOCK_BOOTTIME, which keeps counting while the machine is
// suspended (std::chrono::steady_clock is CLOCK_MONOTONIC, which stops). A leader whose laptop
// or VM was suspended past its deadline therefore sees the deadline passed at its first
// reading after the resume. What it cannot see is a hypervisor that stops the guest's clocks
// too (a paused VM whose clock is not advanced on resume): docs/reliability.md.
//
// Thread-safety: stateless; now() may be called from any thread.
struct LeaseClock {
  using rep = std::int64_t;
  using period = std::nano;
  using duration = std::chrono::nanoseconds;
  using time_point = std::chrono::time_point<LeaseClock>;
  static constexpr bool is_steady = true;

  static time_point now() noexcept {
    timespec ts{};
    clock_gettime(CLOCK_BOOTTIME, &ts);
    return time_point(duration(static_cast<rep>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec));
  }
};

}  // namespace baton::zookeeper
