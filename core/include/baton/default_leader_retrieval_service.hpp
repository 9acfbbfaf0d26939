#pragma once

#include <memory>

#include <spdlog/logger.h>
#include <boost/asio/any_io_executor.hpp>

#include "baton/leader_retrieval_driver.hpp"
#include "baton/leader_retrieval_service.hpp"

namespace baton {

// Turns a retrieval driver's reports into listener notifications, only on an actual change.
// The driver is created at start() and closed at stop().
//
// Thread-safety: as LeaderRetrievalService; callbacks run on the callback executor through a
// SerialCallbackQueue.
class DefaultLeaderRetrievalService : public LeaderRetrievalService {
 public:
  DefaultLeaderRetrievalService(std::unique_ptr<LeaderRetrievalDriverFactory> driverFactory,
                                boost::asio::any_io_executor callbackExecutor,
                                std::shared_ptr<spdlog::logger> logger = nullptr);
  ~DefaultLeaderRetrievalService() override;

  void start(LeaderRetrievalListener& listener) override;
  void stop() noexcept override;

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace baton
