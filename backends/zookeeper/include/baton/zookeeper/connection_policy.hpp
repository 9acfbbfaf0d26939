#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace baton::zookeeper {

// What a leader does while its ZooKeeper connection is down (docs/reliability.md):
//   standard  revoke at once on suspension (safe; every blip costs a leadership change)
//   session   keep leadership until the session is known lost (UNSAFE under partitions: the
//             server may expire the session and elect another leader long before)
//   lease     keep leadership until a local deadline the server cannot beat: the send time
//             of the newest request the server answered + negotiated timeout - safety margin
enum class ConnectionPolicy { standard, session, lease };

std::string_view toString(ConnectionPolicy policy) noexcept;
std::optional<ConnectionPolicy> parseConnectionPolicy(std::string_view text) noexcept;

// The lease arithmetic, kept apart so it can be tested without a clock or a server.
// All times are steady-clock; 64-bit nanosecond arithmetic.
struct LeaseDeadline {
  using Clock = std::chrono::steady_clock;
  // lastAnsweredSend + negotiatedTimeout - margin; the server's expiry clock for the session
  // starts no earlier than the send time of a request it answered.
  static Clock::time_point compute(Clock::time_point lastAnsweredSend,
                                   std::chrono::milliseconds negotiatedTimeout,
                                   std::chrono::milliseconds margin) {
    return lastAnsweredSend + negotiatedTimeout - margin;
  }
};

}  // namespace baton::zookeeper
