#pragma once

#include <chrono>
#include <functional>
#include <future>
#include <optional>
#include <string>
#include <system_error>

#include "baton/fencing_token.hpp"
#include "baton/leader_contender.hpp"
#include "baton/leader_session_id.hpp"

namespace baton {

// One contender's participation in an election for one component (Flink's LeaderElection):
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

  // Flink's runAsyncIfLeader: queues action on the contender's callback executor, behind the
  // callbacks queued before it and never concurrent with them. When its turn comes, it runs
  // only if this contender still leads under leaderSessionId. The future holds {} once the
  // action ran, Errc::leadership_lost when it did not (leadership had ended by then, or the
  // election was closed or never started), or the exception the action threw. Do not wait
  // for the future on the contender's executor: the action may need that very thread.
  virtual std::future<std::error_code> runAsyncIfLeader(const LeaderSessionId& leaderSessionId,
                                                        std::function<void()> action) = 0;

  // Curator's LeaderLatch.await(timeout): blocks until this contender has been granted
  // leadership and still holds it, and returns that leader session id (its grantLeadership
  // callback may still be on its way). Returns nullopt when timeout passes first, when the
  // election is closed (also while waiting), or when it can no longer be granted (its
  // driver failed). Throws std::logic_error before startLeaderElection, and when called from
  // inside one of this contender's own callbacks (waiting there would hold up the very
  // callbacks that report leadership).
  virtual std::optional<LeaderSessionId> awaitLeadership(std::chrono::milliseconds timeout) = 0;

  // Leaves the election. If the contender was granted leadership, exactly one
  // revokeLeadership is delivered before close() returns, and no callback runs after it;
  // called from inside one of this contender's own callbacks, close() does not wait and the
  // revoke follows when that callback returns.
  virtual void close() noexcept = 0;
};

}  // namespace baton
