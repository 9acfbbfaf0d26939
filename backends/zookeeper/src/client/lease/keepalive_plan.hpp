#pragma once

#include <chrono>

#include "client/zk_client.hpp"

namespace baton::zookeeper::detail {

// What the client's keepalive sends next, and when it looks again. No I/O, no clock.
//
//   none      nothing: the C client's own pings keep the session (retrieval-only processes)
//   follower  a sync every T/4 (the participant next in line). It replaces the C client's ping
//             (sent only after T/3 without any request), so a waiting participant costs the
//             servers as many requests as before, and keeps RenewalProof current: three
//             consecutive syncs, each sent T/4 after the one before was answered, are its i, j
//             and k. A successor that knew it was next in line thus holds a valid lease the
//             moment its list shows it lowest (renewal at most ~3T/4 old), and its grant waits
//             for no round trip beyond that list
//   leader    a sync every min(relayBound/2, T/6); one more at once while the proof waits for
//             its confirmation (RenewalProof::awaitingConfirmation)
struct KeepaliveStep {
  enum class Send { nothing, sync };
  Send send = Send::nothing;
  std::chrono::nanoseconds lookAgainAfter{0};  // zero: do not look again
};

struct KeepaliveInput {
  KeepaliveMode mode = KeepaliveMode::none;
  std::chrono::nanoseconds sessionTimeout{0};  // negotiated
  std::chrono::nanoseconds relayBound{0};
  std::chrono::nanoseconds sinceLastSend{0};  // since this keepalive last sent (large: never)
  bool syncOutstanding = false;
  bool awaitingConfirmation = false;
};

KeepaliveStep planKeepalive(const KeepaliveInput& in) noexcept;

// The leader's period, min(relayBound/2, T/6), at least 1 ms: also what RenewalProof's proven
// renewal lags behind now while connected (at most 2 periods + relayBound + a round trip).
std::chrono::nanoseconds leaderKeepalivePeriod(std::chrono::nanoseconds sessionTimeout,
                                               std::chrono::nanoseconds relayBound) noexcept;

}  // namespace baton::zookeeper::detail
