#pragma once

#include <system_error>

#include "baton/leader_session_id.hpp"

namespace baton {

// Implemented by a component that wants to lead (Flink's LeaderContender).
//
// The library calls these on the election's callback executor, never on a backend thread,
// never while holding a lock, and never concurrently for one contender. Every
// grantLeadership is followed by exactly one revokeLeadership before the next grant, on every
// path (loss, error, close). A contender may call back into its LeaderElection from inside
// these callbacks.
class LeaderContender {
 public:
  virtual ~LeaderContender() = default;

  // This contender now leads under leaderSessionId. Confirm it through
  // LeaderElection::confirmLeadership(leaderSessionId, address) to publish the address.
  virtual void grantLeadership(const LeaderSessionId& leaderSessionId) = 0;

  // The leadership granted last is gone; stop acting as leader.
  virtual void revokeLeadership() = 0;

  // The election backend failed; error.code() says how (see baton::Errc and the backends'
  // categories). A revoke, if due, is delivered separately.
  virtual void handleError(const std::system_error& error) = 0;
};

}  // namespace baton
