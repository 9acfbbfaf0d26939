#pragma once

#include <string_view>

namespace baton::detail {

// The short, stable word HaMetrics::onLeadershipTransition reports for a revoke, from the
// reason a driver gave (prose for people, LeaderElectionDriver::Listener::onRevokeLeadership).
// A metrics label must take few values, and the prose may change: known causes map to
//   connection_suspended  the connection to the backend is suspended (ZooKeeper)
//   session_lost          the backend session ended or was replaced
//   lease_expired         the local lease ran out before a renewal was proven
//   latch_deleted         our place in the election (latch node or its path) was deleted
//   latch_lost            another participant is ahead of us, or our node is not ours
//   failed                the driver's election failed (it leaves it)
//   transferred, deposed  an operator moved leadership (embedded cluster)
//   closed                this process left the election
// and anything else to "other" (never the prose itself). Pure function: no state.
std::string_view revokeReasonWord(std::string_view reason) noexcept;

}  // namespace baton::detail
