#pragma once

#include <memory>
#include <mutex>
#include <string>

#include <spdlog/logger.h>
#include <boost/asio/any_io_executor.hpp>

#include "baton/leader_retrieval_service.hpp"
#include "baton/leader_session_id.hpp"

namespace baton::support {
class SerialCallbackQueue;
}  // namespace baton::support

namespace baton::standalone {

// A LeaderRetrievalService for a leader fixed by configuration (Flink's
// StandaloneLeaderRetrievalService): start() notifies the listener once with the fixed address
// and session id, and nothing ever changes after that.
//
// Thread-safety: as LeaderRetrievalService. The notification runs on the callback executor
// (never inside start()); stop() is idempotent and noexcept, and no callback runs after it
// returned. The callback executor must keep running until stop() returned.
class StandaloneLeaderRetrievalService final : public LeaderRetrievalService {
 public:
  StandaloneLeaderRetrievalService(
      std::string leaderAddress, boost::asio::any_io_executor callbackExecutor,
      std::shared_ptr<spdlog::logger> logger = nullptr,
      const LeaderSessionId& leaderSessionId = LeaderSessionId::defaultId());
  ~StandaloneLeaderRetrievalService() override;
  StandaloneLeaderRetrievalService(const StandaloneLeaderRetrievalService&) = delete;
  StandaloneLeaderRetrievalService& operator=(const StandaloneLeaderRetrievalService&) = delete;

  // Throws std::logic_error when called twice or after stop().
  void start(LeaderRetrievalListener& listener) override;
  void stop() noexcept override;

  const std::string& leaderAddress() const noexcept { return leaderAddress_; }

 private:
  const std::string leaderAddress_;
  const LeaderSessionId leaderSessionId_;
  boost::asio::any_io_executor callbackExecutor_;
  std::shared_ptr<spdlog::logger> logger_;

  std::mutex mutex_;
  bool started_ = false;
  bool stopped_ = false;
  std::shared_ptr<support::SerialCallbackQueue> queue_;
};

}  // namespace baton::standalone
