// Watches do not pile up across reconnects: a retriever and a publishing store on one session
// through a FaultProxy, the connection reset a few hundred times. Each reconnect re-reads the
// stored information; the watch the retriever and the store set before still stands (the C
// client re-sends it), so no new one may be registered while it does.
#include <catch2/catch.hpp>

#include <future>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "baton/logging.hpp"
#include "baton/zookeeper/zk_leader_retrieval_driver.hpp"
#include "support/fault_proxy.hpp"
#include "support/recording_contender.hpp"
#include "support/zk_test_env.hpp"
#include "zk_connection.hpp"
#include "zk_leader_store.hpp"

using namespace baton;
using namespace baton::test;
using namespace baton::zookeeper;
using namespace std::chrono_literals;

namespace {

class InfoListener : public LeaderRetrievalDriver::Listener {
 public:
  void onLeaderInformationChange(const LeaderInformation& info) override { seen.push(info); }
  void onError(const std::system_error& error) override { errors.push(error.code()); }
  // Waits until the driver reports this address (skipping other values).
  void awaitAddress(const std::string& address) {
    auto deadline = std::chrono::steady_clock::now() + eventTimeout();
    for (int i = 0; i < 10000; ++i) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      auto info = seen.next(std::max(left, 1ms));
      if (!info.isEmpty() && info.address() == address)
        return;
    }
    throw std::runtime_error("address " + address + " not reported");
  }
  EventInbox<LeaderInformation> seen;
  EventInbox<std::error_code> errors;
};

// One ZkConnection (through the proxy) on its own I/O thread, with a store that leads under a
// latch-like node of its own session and a retrieval driver, wired as ZkLatchCore wires the
// store to the connection's states.
class Rig {
 public:
  Rig(const std::string& quorum, const std::string& cluster)
      : guard_(boost::asio::make_work_guard(io_)), thread_([this] { io_.run(); }) {
    paths_ = ZkPaths{"/baton-test", cluster};
    ZkSettings settings;
    settings.quorum = quorum;
    settings.sessionTimeout = 30s;  // the resets must never expire the session
    settings.connectionTimeout = scaled(20s);
    settings.operationTimeout = scaled(20s);
    onLoop([&] {
      connection_ = std::make_shared<ZkConnection>(io_.get_executor(), settings, quietLogger());
      store_ = std::make_shared<ZkLeaderStore>(connection_, paths_, quietLogger(),
                                               [](const std::string&, const LeaderInformation&) {});
      connection_->subscribe([this](ConnectionState state, const ZkSessionInfo&) {
        if (state == ConnectionState::connected)
          store_->onNewSession();
        if (state == ConnectionState::reconnected)
          store_->onResumed();
        states.push(state);
      });
      connection_->start();
      return 0;
    });
  }
  ~Rig() {
    onLoop([&] {
      if (retrieval_)
        retrieval_->close();
      store_->close();
      connection_->close();
      return 0;
    });
    retrieval_.reset();
    guard_.reset();
    io_.stop();
    thread_.join();
  }

  template <typename F>
  auto onLoop(F f) -> decltype(f()) {
    std::packaged_task<decltype(f())()> task(std::move(f));
    auto future = task.get_future();
    boost::asio::post(io_, [&task] { task(); });
    if (future.wait_for(eventTimeout()) != std::future_status::ready)
      throw std::runtime_error("the I/O thread did not run the task in time");
    return future.get();
  }

  // Takes a latch-like ephemeral node as the fence and publishes under it.
  void lead(const LeaderInformation& info) {
    auto fenced = std::make_shared<std::promise<std::error_code>>();
    auto future = fenced->get_future();
    boost::asio::post(io_, [this, fenced, info] {
      auto& client = connection_->client();
      client.ensurePath(paths_.latchDir(), [this, fenced, info](std::error_code ec) {
        if (ec)
          return fenced->set_value(ec);
        connection_->client().createNode(
            paths_.latchDir() + "/latch-", "", true, true,
            [this, fenced, info](std::error_code ec, const std::string& path) {
              if (!ec) {
                store_->setFence(path);
                store_->publish("svc", info);
              }
              fenced->set_value(ec);
            });
      });
    });
    REQUIRE(future.wait_for(eventTimeout()) == std::future_status::ready);
    REQUIRE_FALSE(future.get());
  }

  void startRetrieval() {
    onLoop([&] {
      retrieval_ = makeZkLeaderRetrievalDriver(connection_, paths_.connectionInfo("svc"), listener,
                                               quietLogger());
      return 0;
    });
  }

  std::size_t watchCount() {
    return onLoop([&] { return connection_->client().watchCount(); });
  }

  ConnectionState awaitState(ConnectionState wanted) {
    for (int i = 0; i < 100; ++i) {
      auto state = states.next(scaled(20s));
      if (state == wanted)
        return state;
    }
    throw std::runtime_error("state not reached");
  }

  EventInbox<ConnectionState> states;
  InfoListener listener;

 private:
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
  std::thread thread_;
  ZkPaths paths_;
  std::shared_ptr<ZkConnection> connection_;
  std::shared_ptr<ZkLeaderStore> store_;
  std::unique_ptr<LeaderRetrievalDriver> retrieval_;
};

}  // namespace

TEST_CASE("watch registrations stay bounded across hundreds of connection resets") {
  constexpr int resets = 250;
  // The store's watch and the retriever's: one each on the one watched node.
  constexpr std::size_t watchedNodes = 2;
  auto cluster = uniqueClusterId("watch-resets");
  FaultProxy proxy(zkQuorum());
  {
    Rig rig(proxy.quorum(), cluster);
    rig.awaitState(ConnectionState::connected);
    rig.lead(LeaderInformation(LeaderSessionId::random(), "leader:1"));
    rig.startRetrieval();
    rig.listener.awaitAddress("leader:1");
    CHECK(rig.watchCount() <= watchedNodes);

    std::size_t most = 0;
    for (int i = 0; i < resets; ++i) {
      proxy.setMode(FaultProxy::Mode::reset);
      rig.awaitState(ConnectionState::suspended);
      proxy.setMode(FaultProxy::Mode::pass);
      rig.awaitState(ConnectionState::reconnected);  // the same session: no new handle
      rig.listener.awaitAddress("leader:1");         // the re-read after the reconnect
      auto count = rig.watchCount();
      most = std::max(most, count);
      INFO("after reset " << i + 1);
      REQUIRE(count <= watchedNodes);
    }
    WARN("most watch handlers registered after a reconnect: " << most);
    CHECK(rig.listener.errors.empty());
  }
  AdminClient().removeTree("/baton-test/" + cluster);
}
