#include "baton/zookeeper/flink_leader_retrieval.hpp"

#include <atomic>
#include <cctype>
#include <chrono>
#include <future>
#include <stdexcept>

#include <boost/asio/post.hpp>

#include "baton/default_leader_retrieval_service.hpp"
#include "baton/error.hpp"
#include "baton/ha_options.hpp"
#include "baton/logging.hpp"
#include "baton/support/executor_thread.hpp"
#include "client/zk_connection.hpp"
#include "flink/flink_leader_codec.hpp"
#include "ha/zk_ha_options.hpp"
#include "ha/zookeeper_ha_services.hpp"
#include "leader_info/zk_leader_retrieval_driver.hpp"

namespace baton::zookeeper {
namespace {

using namespace std::chrono_literals;

class FlinkDriverFactory final : public LeaderRetrievalDriverFactory {
 public:
  FlinkDriverFactory(std::shared_ptr<ZkConnection> connection, std::string path,
                     std::shared_ptr<spdlog::logger> logger)
      : connection_(std::move(connection)), path_(std::move(path)), logger_(std::move(logger)) {}
  std::unique_ptr<LeaderRetrievalDriver> createDriver(
      LeaderRetrievalDriver::Listener& listener) override {
    return makeZkLeaderRetrievalDriver(connection_, path_, listener, logger_,
                                       [](std::string_view bytes, std::string* whyNot) {
                                         return flink::decodeConnectionInfo(bytes, whyNot);
                                       });
  }

 private:
  std::shared_ptr<ZkConnection> connection_;
  std::string path_;
  std::shared_ptr<spdlog::logger> logger_;
};

// One session of its own: it shares nothing with baton's services, and its driver only reads
// and watches (zk_leader_retrieval_driver.hpp), so nothing in Flink's tree ever changes.
class FlinkLeaderRetrievalService final : public LeaderRetrievalService {
 public:
  FlinkLeaderRetrievalService(const ZkSettings& client, std::string path,
                              const HaServicesOptions& options)
      : logger_(loggerOrQuiet(options.logger)), io_("baton-flink-zk") {
    if (options.callbackExecutor) {
      callbacks_ = *options.callbackExecutor;
    } else {
      ownedCallbacks_ = std::make_unique<support::ExecutorThread>("baton-flink-cb");
      callbacks_ = ownedCallbacks_->executor();
    }
    connection_ = startConnection(client);
    logger_->info("watching Flink's leader information at {}", path);
    inner_ = std::make_unique<DefaultLeaderRetrievalService>(
        std::make_unique<FlinkDriverFactory>(connection_, std::move(path), logger_), callbacks_,
        logger_);
  }
  ~FlinkLeaderRetrievalService() override { stop(); }

  void start(LeaderRetrievalListener& listener) override { inner_->start(listener); }

  void stop() noexcept override {
    if (stopped_.exchange(true))
      return;
    inner_->stop();
    boost::asio::post(io_.executor(), [connection = connection_] { connection->close(); });
    io_.stop();  // runs the close queued above first
    if (ownedCallbacks_)
      ownedCallbacks_->stop();
  }

 private:
  // ZkConnection lives on its I/O thread: built and started there.
  std::shared_ptr<ZkConnection> startConnection(const ZkSettings& client) {
    // Shared: after a timed-out wait the handler may still run, and must not touch this frame.
    auto promise = std::make_shared<std::promise<std::shared_ptr<ZkConnection>>>();
    auto future = promise->get_future();
    boost::asio::post(io_.executor(), [promise, io = io_.executor(), client, logger = logger_] {
      try {
        auto connection = std::make_shared<ZkConnection>(io, client, logger);
        connection->start();
        promise->set_value(std::move(connection));
      } catch (...) {
        promise->set_exception(std::current_exception());
      }
    });
    if (future.wait_for(5s) != std::future_status::ready)
      throw std::system_error(make_error_code(Errc::timed_out), "ZooKeeper client did not start");
    try {
      return future.get();
    } catch (const std::invalid_argument& e) {
      throw ConfigurationError("ha.zookeeper.quorum", e.what());
    }
  }

  std::shared_ptr<spdlog::logger> logger_;
  support::ExecutorThread io_;
  std::unique_ptr<support::ExecutorThread> ownedCallbacks_;
  boost::asio::any_io_executor callbacks_;
  std::shared_ptr<ZkConnection> connection_;
  std::unique_ptr<DefaultLeaderRetrievalService> inner_;
  std::atomic<bool> stopped_{false};
};

bool isJobId(std::string_view text) {
  if (text.size() != 32)
    return false;
  for (char c : text) {
    if (std::isxdigit(static_cast<unsigned char>(c)) == 0)
      return false;
  }
  return true;
}

}  // namespace

std::string flinkComponent(std::string_view componentOrJobId) {
  if (componentOrJobId == kFlinkResourceManager || componentOrJobId == kFlinkDispatcher ||
      componentOrJobId == kFlinkRestServer) {
    return std::string(componentOrJobId);
  }
  if (!isJobId(componentOrJobId)) {
    throw std::invalid_argument("'" + std::string(componentOrJobId) +
                                "' is not a Flink component: expected resource_manager, "
                                "dispatcher, rest_server or a job id (32 hex digits)");
  }
  std::string jobId(componentOrJobId);
  for (char& c : jobId)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return jobId;
}

std::unique_ptr<LeaderRetrievalService> makeFlinkLeaderRetrievalService(
    const Configuration& configuration, std::string_view component,
    const HaServicesOptions& options) {
  const std::string name = flinkComponent(component);
  Configuration flink = configuration;
  const std::string rootKey(kRootOption.key);
  if (!flink.contains(rootKey))
    flink.set(rootKey, "/flink");
  // Flink writes its cluster id with a leading '/' ("/default") and joins the paths itself.
  const std::string clusterKey(kClusterIdOption.key);
  if (auto id = flink.get(clusterKey); id && id->starts_with('/'))
    flink.set(clusterKey, id->substr(1));
  const ZkHaSettings settings = parseZkHaSettings(flink);
  return std::make_unique<FlinkLeaderRetrievalService>(
      settings.client, settings.election.paths.connectionInfo(name), options);
}

}  // namespace baton::zookeeper
