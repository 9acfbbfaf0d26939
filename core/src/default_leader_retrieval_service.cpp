#include "baton/default_leader_retrieval_service.hpp"

#include <mutex>
#include <stdexcept>

#include "baton/logging.hpp"
#include "baton/support/metrics_outbox.hpp"
#include "baton/support/serial_callback_queue.hpp"
#include "owned_system_error.hpp"

namespace baton {

// Receives the driver's reports and forwards actual changes to the listener's queue.
class DefaultLeaderRetrievalService::Impl final : public LeaderRetrievalDriver::Listener {
 public:
  Impl(std::unique_ptr<LeaderRetrievalDriverFactory> factory, boost::asio::any_io_executor executor,
       std::shared_ptr<spdlog::logger> logger, std::shared_ptr<HaMetrics> metrics,
       std::string componentId)
      : factory_(std::move(factory)),
        executor_(std::move(executor)),
        logger_(loggerOrQuiet(std::move(logger))),
        metrics_(std::move(metrics)),
        componentId_(std::move(componentId)) {}

  void start(LeaderRetrievalListener& listener) {
    std::lock_guard lock(mutex_);
    if (stopped_)
      throw std::logic_error("LeaderRetrievalService::start after stop");
    if (driver_)
      throw std::logic_error("LeaderRetrievalService::start called twice");
    listener_ = &listener;
    queue_ = std::make_shared<support::SerialCallbackQueue>(executor_, logger_);
    driver_ = factory_->createDriver(*this);
  }

  void stop() noexcept {
    std::unique_ptr<LeaderRetrievalDriver> driver;
    std::shared_ptr<support::SerialCallbackQueue> queue;
    {
      std::lock_guard lock(mutex_);
      if (stopped_)
        return;
      stopped_ = true;
      driver = std::move(driver_);
      queue = queue_;
    }
    if (driver)
      driver->close();
    if (queue)
      queue->close(nullptr);
  }

  void onLeaderInformationChange(const LeaderInformation& info) override {
    support::MetricsOutbox::DrainAtExit drain(metrics_);
    std::lock_guard lock(mutex_);
    if (stopped_ || (notifiedOnce_ && info == lastNotified_))
      return;
    notifiedOnce_ = true;
    lastNotified_ = info;
    logger_->debug("leader changed to {}", info.toString());
    metrics_.push([this](HaMetrics& metrics) { metrics.onRetrievalChange(componentId_); });
    std::string address = info.isEmpty() ? std::string() : info.address();
    LeaderSessionId id = info.isEmpty() ? LeaderSessionId::defaultId() : info.sessionId();
    queue_->post([listener = listener_, address = std::move(address), id] {
      listener->notifyLeaderAddress(address, id);
    });
  }

  void onError(const std::system_error& error) override {
    std::lock_guard lock(mutex_);
    if (stopped_)
      return;
    logger_->error("leader retrieval failed: {}", error.what());
    queue_->post([listener = listener_, copy = detail::ErrorCopy(error)] {
      listener->handleError(copy.rebuild());
    });
  }

 private:
  std::unique_ptr<LeaderRetrievalDriverFactory> factory_;
  boost::asio::any_io_executor executor_;
  std::shared_ptr<spdlog::logger> logger_;
  support::MetricsOutbox metrics_;
  const std::string componentId_;

  std::mutex mutex_;
  bool stopped_ = false;
  LeaderRetrievalListener* listener_ = nullptr;
  std::shared_ptr<support::SerialCallbackQueue> queue_;
  std::unique_ptr<LeaderRetrievalDriver> driver_;
  // The first report is always delivered, even "no leader", so a listener learns the state.
  bool notifiedOnce_ = false;
  LeaderInformation lastNotified_;
};

DefaultLeaderRetrievalService::DefaultLeaderRetrievalService(
    std::unique_ptr<LeaderRetrievalDriverFactory> driverFactory,
    boost::asio::any_io_executor callbackExecutor, std::shared_ptr<spdlog::logger> logger,
    std::shared_ptr<HaMetrics> metrics, std::string componentId)
    : impl_(std::make_shared<Impl>(std::move(driverFactory), std::move(callbackExecutor),
                                   std::move(logger), std::move(metrics), std::move(componentId))) {
}

DefaultLeaderRetrievalService::~DefaultLeaderRetrievalService() {
  stop();
}

void DefaultLeaderRetrievalService::start(LeaderRetrievalListener& listener) {
  impl_->start(listener);
}

void DefaultLeaderRetrievalService::stop() noexcept {
  impl_->stop();
}

}  // namespace baton
