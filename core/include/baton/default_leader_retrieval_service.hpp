#pragma once

#include <memory>
#include <string>

#include <spdlog/logger.h>
#include <boost/asio/any_io_executor.hpp>

#include "baton/ha_metrics.hpp"
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
  // metrics: told of every change notified to the listener (HaMetrics::onRetrievalChange with
  // componentId), never under the service's lock; empty: none are reported.
  DefaultLeaderRetrievalService(std::unique_ptr<LeaderRetrievalDriverFactory> driverFactory,
                                boost::asio::any_io_executor callbackExecutor,
                                std::shared_ptr<spdlog::logger> logger = nullptr,
                                std::shared_ptr<HaMetrics> metrics = nullptr,
                                std::string componentId = {});
  ~DefaultLeaderRetrievalService() override;

  void start(LeaderRetrievalListener& listener) override;
  void stop() noexcept override;

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace baton
