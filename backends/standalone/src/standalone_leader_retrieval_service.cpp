#include "standalone_leader_retrieval_service.hpp"

#include <stdexcept>

#include "baton/logging.hpp"
#include "baton/support/serial_callback_queue.hpp"

namespace baton::standalone {

StandaloneLeaderRetrievalService::StandaloneLeaderRetrievalService(
    std::string leaderAddress, boost::asio::any_io_executor callbackExecutor,
    std::shared_ptr<spdlog::logger> logger, const LeaderSessionId& leaderSessionId)
    : leaderAddress_(std::move(leaderAddress)),
      leaderSessionId_(leaderSessionId),
      callbackExecutor_(std::move(callbackExecutor)),
      logger_(loggerOrQuiet(std::move(logger))) {}

StandaloneLeaderRetrievalService::~StandaloneLeaderRetrievalService() {
  stop();
}

void StandaloneLeaderRetrievalService::start(LeaderRetrievalListener& listener) {
  std::lock_guard lock(mutex_);
  if (stopped_)
    throw std::logic_error("LeaderRetrievalService::start after stop");
  if (started_)
    throw std::logic_error("LeaderRetrievalService::start called twice");
  started_ = true;
  queue_ = std::make_shared<support::SerialCallbackQueue>(callbackExecutor_, logger_);
  logger_->debug("standalone: the fixed leader is {}@{}", leaderAddress_,
                 leaderSessionId_.toString());
  queue_->post([&listener, address = leaderAddress_, id = leaderSessionId_] {
    listener.notifyLeaderAddress(address, id);
  });
}

void StandaloneLeaderRetrievalService::stop() noexcept {
  std::shared_ptr<support::SerialCallbackQueue> queue;
  {
    std::lock_guard lock(mutex_);
    if (stopped_)
      return;
    stopped_ = true;
    queue = queue_;
  }
  // Drops the notification if it has not run yet and waits for it if it is running.
  if (queue)
    queue->close(nullptr);
}

}  // namespace baton::standalone
