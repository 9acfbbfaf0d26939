#pragma once

#include <cstdint>

#include "baton/leader_session_id.hpp"

namespace baton {

// Identifies one leadership for systems the leader writes to: the leader session id of the
// grant and the backend's epoch, which only grows from one leadership to the next across all
// participants (on ZooKeeper: the creation zxid of the leader's latch node). A store that
// remembers the highest epoch it accepted can reject a deposed leader's late writes.
struct FencingToken {
  LeaderSessionId sessionId;
  std::uint64_t epoch = 0;
  friend bool operator==(const FencingToken&, const FencingToken&) = default;
};

}  // namespace baton
