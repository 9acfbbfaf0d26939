#pragma once

#include <functional>
#include <string>
#include <system_error>

#include <optional>

#include "baton/fencing_token.hpp"
#include "baton/leader_contender.hpp"
#include "baton/leader_session_id.hpp"

namespace baton {

// One contender's participation in an election for one component (the seeds' LeaderElection):
// a proxy between a LeaderContender and the service that runs the election.
//
// Thread-safety: all methods may be called from any thread, including from inside the
// contender's own callbacks. close() is idempotent and noexcept; the destructor closes.
class LeaderElection {
 public:
  virtual ~LeaderElection() = default;

  // Registers the contender; it must outlive close(). Throws std::logic_error when called
  // twice or after close().
  virtual void startLeaderElection(LeaderContender& contender) = 0;

  // The contender accepted leadership under leaderSessionId and serves at address; publish it
  // for retrieval. A stale or unknown session id is ignored (and logged).
  virtual void confirmLeadership(const LeaderSessionId& leaderSessionId,
                                 const std::string& address) = 0;

  // True while this contender leads under exactly this session id.
  virtual bool hasLeadership(const LeaderSessionId& leaderSessionId) const = 0;

  // The fencing token of the leadership granted under leaderSessionId, while it is current;
  // nullopt otherwise.
  virtual std::optional<FencingToken> fencingToken(
      const LeaderSessionId& leaderSessionId) const = 0;

  // Runs action on the calling thread if, and only if, this contender leads under
  // leaderSessionId, ordered with the contender's callbacks (no revoke callback runs while the
  // action does). Returns Errc::leadership_lost without running it otherwise. Leadership can
  // still end while the action runs: writes to shared systems need a fencing token as well.
  virtual std::error_code runIfLeader(const LeaderSessionId& leaderSessionId,
                                      const std::function<void()>& action) = 0;

  // Leaves the election. If the contender was granted leadership, exactly one
  // revokeLeadership is delivered before close() returns, and no callback runs after it;
  // called from inside one of this contender's own callbacks, close() does not wait and the
  // revoke follows when that callback returns.
  virtual void close() noexcept = 0;
};

}  // namespace baton
