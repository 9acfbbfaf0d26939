#include "election/zk_leader_election_driver.hpp"

#include <atomic>

#include <boost/asio/post.hpp>

#include "election/zk_latch_runner.hpp"

namespace baton::zookeeper {
namespace {

// The facade handed to DefaultLeaderElectionService: every call hops onto the connection's
// executor, where ZkLatchRunner owns the state.
class ZkLeaderElectionDriver final : public LeaderElectionDriver {
 public:
  ZkLeaderElectionDriver(std::shared_ptr<ZkConnection> connection, LatchDriverSettings settings,
                         Listener& listener, std::shared_ptr<spdlog::logger> logger)
      : io_(connection->executor()),
        core_(std::make_shared<ZkLatchRunner>(std::move(connection), std::move(settings), listener,
                                              std::move(logger))) {
    boost::asio::post(io_, [core = core_] { core->start(); });
  }
  ~ZkLeaderElectionDriver() override { close(); }

  bool hasLeadership() const noexcept override { return core_->hasLeadership(); }

  void publishLeaderInformation(const std::string& componentId,
                                const LeaderInformation& info) override {
    boost::asio::post(io_, [core = core_, componentId, info] { core->publish(componentId, info); });
  }

  void deleteLeaderInformation(const std::string& componentId) override {
    boost::asio::post(io_, [core = core_, componentId] { core->remove(componentId); });
  }

  void close() noexcept override {
    if (closed_.exchange(true))
      return;
    core_->gate().close();  // no listener call starts after this returns
    boost::asio::post(io_, [core = core_] { core->close(); });
  }

 private:
  boost::asio::any_io_executor io_;
  std::shared_ptr<ZkLatchRunner> core_;
  std::atomic<bool> closed_{false};
};

}  // namespace

std::unique_ptr<LeaderElectionDriver> makeZkLeaderElectionDriver(
    std::shared_ptr<ZkConnection> connection, LatchDriverSettings settings,
    LeaderElectionDriver::Listener& listener, std::shared_ptr<spdlog::logger> logger) {
  return std::make_unique<ZkLeaderElectionDriver>(std::move(connection), std::move(settings),
                                                  listener, std::move(logger));
}

}  // namespace baton::zookeeper
