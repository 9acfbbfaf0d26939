#include "baton/standalone/standalone_leader_election.hpp"

#include <stdexcept>

#include "baton/error.hpp"
#include "baton/logging.hpp"
#include "baton/support/serial_callback_queue.hpp"

namespace baton::standalone {

// The contender as seen from its SerialCallbackQueue: it remembers whether the grant was
// delivered, so that close() revokes exactly once if it was and never if the grant was dropped
// before delivery (the approach of core's ContenderChannel).
//
// Thread-safety: used only from callbacks of one SerialCallbackQueue, which serializes them.
class StandaloneLeaderElection::Channel {
 public:
  explicit Channel(LeaderContender& contender) : contender_(contender) {}

  void deliverGrant() {
    leading_ = true;
    contender_.grantLeadership(LeaderSessionId::defaultId());
  }
  void deliverRevoke() {
    if (!leading_)
      return;
    leading_ = false;
    contender_.revokeLeadership();
  }

 private:
  LeaderContender& contender_;
  bool leading_ = false;
};

StandaloneLeaderElection::StandaloneLeaderElection(boost::asio::any_io_executor callbackExecutor,
                                                   std::shared_ptr<spdlog::logger> logger,
                                                   std::string componentId)
    : callbackExecutor_(std::move(callbackExecutor)),
      logger_(loggerOrQuiet(std::move(logger))),
      componentId_(std::move(componentId)) {}

StandaloneLeaderElection::~StandaloneLeaderElection() {
  close();
}

void StandaloneLeaderElection::startLeaderElection(LeaderContender& contender) {
  std::lock_guard lock(mutex_);
  if (closed_)
    throw std::logic_error("startLeaderElection after close: '" + componentId_ + "'");
  if (started_) {
    throw std::logic_error("startLeaderElection called twice: '" + componentId_ + "'");
  }
  queue_ = std::make_shared<support::SerialCallbackQueue>(callbackExecutor_, logger_);
  channel_ = std::make_shared<Channel>(contender);
  started_ = true;
  logger_->info("standalone: '{}' leads under the default session id", componentId_);
  // Posting only queues the call: the contender runs later, on the executor, without our lock.
  queue_->post([channel = channel_] { channel->deliverGrant(); });
}

void StandaloneLeaderElection::confirmLeadership(const LeaderSessionId& leaderSessionId,
                                                 const std::string& address) {
  logger_->debug("standalone: '{}' confirmed {}@{}; nothing to publish", componentId_, address,
                 leaderSessionId.toString());
}

bool StandaloneLeaderElection::hasLeadership(const LeaderSessionId& leaderSessionId) const {
  std::lock_guard lock(mutex_);
  return started_ && !closed_ && leaderSessionId.isDefault();
}

std::optional<FencingToken> StandaloneLeaderElection::fencingToken(
    const LeaderSessionId& leaderSessionId) const {
  if (!hasLeadership(leaderSessionId))
    return std::nullopt;
  return FencingToken{LeaderSessionId::defaultId(), 0};
}

std::error_code StandaloneLeaderElection::runIfLeader(const LeaderSessionId& leaderSessionId,
                                                      const std::function<void()>& action) {
  std::shared_ptr<support::SerialCallbackQueue> queue;
  {
    std::lock_guard lock(mutex_);
    if (!started_ || closed_ || !leaderSessionId.isDefault()) {
      return make_error_code(Errc::leadership_lost);
    }
    queue = queue_;
  }
  // Exclusive with the contender's callbacks: close() waits for the action before revoking.
  std::error_code result = make_error_code(Errc::leadership_lost);
  queue->runExclusive([&] {
    if (!hasLeadership(leaderSessionId))
      return;
    result = {};
    action();
  });
  return result;
}

void StandaloneLeaderElection::close() noexcept {
  std::shared_ptr<support::SerialCallbackQueue> queue;
  std::shared_ptr<Channel> channel;
  {
    std::lock_guard lock(mutex_);
    if (closed_)
      return;
    closed_ = true;
    queue = queue_;
    channel = channel_;
  }
  if (!queue)
    return;  // never started: nobody to revoke
  logger_->info("standalone: '{}' leaves", componentId_);
  queue->close([channel] { channel->deliverRevoke(); });
}

}  // namespace baton::standalone
