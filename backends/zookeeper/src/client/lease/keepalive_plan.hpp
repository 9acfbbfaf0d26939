#pragma once

#include <chrono>

#include "client/zk_client.hpp"

namespace baton::zookeeper::detail {

// What the client's keepalive sends next, and when it looks again. No I/O, no clock.
//
//   none      nothing: the C client's own pings keep the session (retrieval-only processes)
//   follower  a read every T/4. It replaces the C client's ping (sent only after T/3 without
//             any request), so a waiting participant costs the servers what it did before,
//             and holds a recent answer that a successor's first two syncs turn into a proof
//             of renewal at once (RenewalProof's i)
//   leader    a sync every min(relayBound/2, T/6); one more at once while the proof waits for
//             its confirmation (RenewalProof::awaitingConfirmation)
struct KeepaliveStep {
  enum class Send { nothing, read, sync };
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
