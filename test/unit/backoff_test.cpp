#include <cstdint>
#include <limits>

#include <catch2/catch.hpp>

#include "baton/gateway/retry_strategy.hpp"

using namespace std::chrono_literals;
using baton::cappedExponentialDelay;

TEST_CASE("the one backoff doubles from the initial delay up to the cap") {
  CHECK(cappedExponentialDelay(50ms, 2000ms, 1) == 50ms);
  CHECK(cappedExponentialDelay(50ms, 2000ms, 2) == 100ms);
  CHECK(cappedExponentialDelay(50ms, 2000ms, 6) == 1600ms);
  CHECK(cappedExponentialDelay(50ms, 2000ms, 7) == 2000ms);
  CHECK(cappedExponentialDelay(50ms, 2000ms, 1'000'000) == 2000ms);
}

TEST_CASE("the one backoff takes a multiplier and treats a step below 1 as the first") {
  CHECK(cappedExponentialDelay(10ms, 70ms, 3, 2.0) == 40ms);
  CHECK(cappedExponentialDelay(10ms, 1000ms, 3, 1.5) == 22ms);  // 10, 15, 22.5
  CHECK(cappedExponentialDelay(10ms, 1000ms, 50, 1.0) == 10ms);
  CHECK(cappedExponentialDelay(10ms, 1000ms, 0) == 10ms);
  CHECK(cappedExponentialDelay(10ms, 1000ms, -5) == 10ms);
}

TEST_CASE("the one backoff never overflows and never goes negative") {
  const std::chrono::milliseconds huge(std::numeric_limits<std::int64_t>::max());
  CHECK(cappedExponentialDelay(std::chrono::milliseconds(std::int64_t{1} << 40), huge, 100) ==
        huge);
  CHECK(cappedExponentialDelay(std::chrono::milliseconds(std::int64_t{1} << 40),
                               std::chrono::milliseconds(std::int64_t{1} << 62),
                               100) == std::chrono::milliseconds(std::int64_t{1} << 62));
  CHECK(cappedExponentialDelay(-5ms, 100ms, 3) == 0ms);
  CHECK(cappedExponentialDelay(500ms, -1ms, 3) == 0ms);
  CHECK(cappedExponentialDelay(500ms, 100ms, 1) == 100ms);  // the cap wins over the initial
}
