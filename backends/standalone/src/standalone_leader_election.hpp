#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>

#include <spdlog/logger.h>
#include <boost/asio/any_io_executor.hpp>

#include "baton/fencing_token.hpp"
#include "baton/ha_metrics.hpp"
#include "baton/leader_election.hpp"

namespace baton::support {
class SerialCallbackQueue;
}  // namespace baton::support

namespace baton::standalone {

// A LeaderElection without an election (Flink's StandaloneLeaderElection): whoever starts
// leads, under the default (all-zero) leader session id, until it closes. It bypasses every
// LeaderElectionService; nothing is published, so confirmLeadership does nothing.
//
// Unlike Flink's Java class, the grant is not delivered inside startLeaderElection under a
// lock: it is posted to the contender's SerialCallbackQueue on the callback executor, as every
// baton callback is, so a contender may call back into the election from its callbacks.
// hasLeadership(defaultId) is true from startLeaderElection on, as in Flink.
//
// Thread-safety: every method may be called from any thread, including from inside the
// contender's callbacks. close() is idempotent and noexcept; the destructor closes. The
// callback executor must keep running until close() returned.
class StandaloneLeaderElection final : public LeaderElection {
 public:
  // componentId is used for log lines, messages and metrics; metrics hears the grant at start
  // and the revoke ("closed") at close, with no lock held (empty: none).
  StandaloneLeaderElection(boost::asio::any_io_executor callbackExecutor,
                           std::shared_ptr<spdlog::logger> logger = nullptr,
                           std::string componentId = {},
                           std::shared_ptr<HaMetrics> metrics = nullptr);
  ~StandaloneLeaderElection() override;
  StandaloneLeaderElection(const StandaloneLeaderElection&) = delete;
  StandaloneLeaderElection& operator=(const StandaloneLeaderElection&) = delete;

  // Grants the contender LeaderSessionId::defaultId(), asynchronously. Throws
  // std::logic_error when called twice or after close().
  void startLeaderElection(LeaderContender& contender) override;
  // Does nothing: there is nowhere to publish to, the leaders' addresses are configured.
  void confirmLeadership(const LeaderSessionId& leaderSessionId,
                         const std::string& address) override;
  // True for the default id while started and not closed.
  bool hasLeadership(const LeaderSessionId& leaderSessionId) const override;
  // {defaultId, epoch 0} while hasLeadership(leaderSessionId): every standalone leader holds
  // the same token, since nothing orders standalone leaderships; nullopt otherwise.
  std::optional<FencingToken> fencingToken(const LeaderSessionId& leaderSessionId) const override;
  std::error_code runIfLeader(const LeaderSessionId& leaderSessionId,
                              const std::function<void()>& action) override;
  // Queued behind the grant on the contender's queue; runs unless close() came first.
  std::future<std::error_code> runAsyncIfLeader(const LeaderSessionId& leaderSessionId,
                                                std::function<void()> action) override;
  // Never waits: leadership is held from startLeaderElection on, so this returns the default
  // id at once (nullopt after close()); throws as LeaderElection says.
  std::optional<LeaderSessionId> awaitLeadership(std::chrono::milliseconds timeout) override;
  // Revokes exactly once if the grant was delivered, before returning (from inside one of
  // the contender's callbacks: right after it returns).
  void close() noexcept override;

  class Channel;  // the contender as its queue sees it; defined in the .cpp

 private:
  boost::asio::any_io_executor callbackExecutor_;
  std::shared_ptr<spdlog::logger> logger_;
  const std::string componentId_;
  const std::shared_ptr<HaMetrics> metrics_;  // never null

  mutable std::mutex mutex_;
  std::chrono::steady_clock::time_point startedAt_;  // for the tenure
  bool started_ = false;
  bool closed_ = false;
  std::shared_ptr<support::SerialCallbackQueue> queue_;
  std::shared_ptr<Channel> channel_;
};

}  // namespace baton::standalone
