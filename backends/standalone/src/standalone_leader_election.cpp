#include "standalone_leader_election.hpp"

#include <stdexcept>

#include "baton/error.hpp"
#include "baton/logging.hpp"
#include "baton/support/async_leader_action.hpp"
#include "baton/support/metrics_or_no_op.hpp"
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
  // The grant was delivered and not yet revoked; read on the queue only.
  bool leading() const { return leading_; }
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
                                                   std::string componentId,
                                                   std::shared_ptr<HaMetrics> metrics)
    : callbackExecutor_(std::move(callbackExecutor)),
      logger_(loggerOrQuiet(std::move(logger))),
      componentId_(std::move(componentId)),
      metrics_(support::metricsOrNoOp(std::move(metrics))) {}

StandaloneLeaderElection::~StandaloneLeaderElection() {
  close();
}

void StandaloneLeaderElection::startLeaderElection(LeaderContender& contender) {
  {
    std::lock_guard lock(mutex_);
    if (closed_)
      throw std::logic_error("startLeaderElection after close: '" + componentId_ + "'");
    if (started_) {
      throw std::logic_error("startLeaderElection called twice: '" + componentId_ + "'");
    }
    queue_ = std::make_shared<support::SerialCallbackQueue>(callbackExecutor_, logger_);
    channel_ = std::make_shared<Channel>(contender);
    started_ = true;
    startedAt_ = std::chrono::steady_clock::now();
    logger_->info("standalone: '{}' leads under the default session id", componentId_);
    // Posting only queues the call: the contender runs later, on the executor, without our
    // lock.
    queue_->post([channel = channel_] { channel->deliverGrant(); });
  }
  metrics_->onLeaderStatus(componentId_, true);
  metrics_->onLeadershipTransition(componentId_, HaMetrics::Transition::granted, {});
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

std::future<std::error_code> StandaloneLeaderElection::runAsyncIfLeader(
    const LeaderSessionId& leaderSessionId, std::function<void()> action) {
  std::shared_ptr<support::SerialCallbackQueue> queue;
  std::shared_ptr<Channel> channel;
  {
    std::lock_guard lock(mutex_);
    if (!started_ || closed_ || !leaderSessionId.isDefault())
      return support::leadershipLostFuture();
    queue = queue_;
    channel = channel_;
  }
  // Asked on the queue, after the grant (queued first) and before close()'s revoke, so the
  // channel alone knows: it needs no access to this object, which may be gone by then.
  auto request =
      support::makeAsyncLeaderAction(std::move(action), [channel] { return channel->leading(); });
  // Refused after close(): the task dies unrun and the future says leadership_lost.
  queue->post(std::move(request.task));
  return std::move(request.result);
}

std::optional<LeaderSessionId> StandaloneLeaderElection::awaitLeadership(
    std::chrono::milliseconds /*timeout*/) {
  std::shared_ptr<support::SerialCallbackQueue> queue;
  {
    std::lock_guard lock(mutex_);
    if (closed_)
      return std::nullopt;
    if (!started_) {
      throw std::logic_error("awaitLeadership before startLeaderElection: '" + componentId_ + "'");
    }
    queue = queue_;
  }
  if (queue->inCallback()) {
    throw std::logic_error("awaitLeadership called from inside a callback of the contender of '" +
                           componentId_ + "'");
  }
  return LeaderSessionId::defaultId();
}

void StandaloneLeaderElection::close() noexcept {
  std::shared_ptr<support::SerialCallbackQueue> queue;
  std::shared_ptr<Channel> channel;
  std::chrono::steady_clock::time_point startedAt;
  {
    std::lock_guard lock(mutex_);
    if (closed_)
      return;
    closed_ = true;
    queue = queue_;
    channel = channel_;
    startedAt = startedAt_;
  }
  if (!queue)
    return;  // never started: nobody to revoke
  logger_->info("standalone: '{}' leaves", componentId_);
  queue->close([channel] { channel->deliverRevoke(); });
  try {
    metrics_->onLeaderStatus(componentId_, false);
    metrics_->onLeadershipTransition(componentId_, HaMetrics::Transition::revoked, "closed");
    metrics_->onLeadershipTenure(componentId_, std::chrono::steady_clock::now() - startedAt);
  } catch (...) {  // NOLINT(bugprone-empty-catch): close() is noexcept; a report is not worth it
  }
}

}  // namespace baton::standalone
