// A white-box rig for the leader store and the retrieval driver against the real ensemble:
// one ZkConnection on its own I/O thread, a ZkLeaderStore leading under a latch-like node of
// its own session (wired to the connection's states as ZkLatchRunner wires it), and a retrieval
// driver. Shared by fault_retrieval_watch_test.cpp and zk_leader_store_test.cpp.
#pragma once

#include <catch2/catch.hpp>

#include <future>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "baton/logging.hpp"
#include "client/zk_connection.hpp"
#include "leader_info/zk_leader_retrieval_driver.hpp"
#include "leader_info/zk_leader_store.hpp"
#include "support/recording_contender.hpp"
#include "support/test_logger.hpp"
#include "support/zk_test_env.hpp"

namespace baton::test {

using namespace std::chrono_literals;
using zookeeper::ZkConnection;
using zookeeper::ZkLeaderStore;
using zookeeper::ZkPaths;
using zookeeper::ZkSessionInfo;
using zookeeper::ZkSettings;
using zookeeper::ZkStat;

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

// One ZkConnection (through a FaultProxy or directly) on its own I/O thread, with a store that
// leads under a latch-like node of its own session and a retrieval driver, wired as ZkLatchRunner
// wires the store to the connection's states.
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
      connection_ = std::make_shared<ZkConnection>(io_.get_executor(), settings, testLogger());
      store_ = std::make_shared<ZkLeaderStore>(connection_, paths_, testLogger(),
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

  // Takes a latch-like ephemeral node of this session as the fence and publishes under it.
  void lead(const LeaderInformation& info) {
    auto fenced = callAsync<std::error_code>([this](auto done) {
      connection_->client().ensurePath(paths_.latchDir(), [this, done](std::error_code ensured) {
        if (ensured)
          return done(ensured);
        connection_->client().createNode(paths_.latchDir() + "/latch-", "", true, true,
                                         [this, done](std::error_code ec, const std::string& path) {
                                           if (!ec)
                                             store_->setFence(path);
                                           done(ec);
                                         });
      });
    });
    REQUIRE_FALSE(fenced);
    publish(info);
  }
  void publish(const LeaderInformation& info) {
    onLoop([&] {
      store_->publish("svc", info);
      return 0;
    });
  }

  std::string infoPath() const { return paths_.connectionInfo("svc"); }
  std::int64_t sessionId() {
    return onLoop([&] { return connection_->client().session().sessionId; });
  }
  // The Stat of path; ZNONODE when it is missing.
  std::pair<std::error_code, ZkStat> stat(const std::string& path) {
    return callAsync<std::pair<std::error_code, ZkStat>>([this, path](auto done) {
      connection_->client().exists(path, nullptr, [done](std::error_code ec, const ZkStat& st) {
        done(std::make_pair(ec, st));
      });
    });
  }
  // Creates path as a persistent node (its parents too), as an older baton wrote it.
  std::error_code createPersistent(const std::string& path, const std::string& data) {
    return callAsync<std::error_code>([this, path, data](auto done) {
      auto parent = path.substr(0, path.rfind('/'));
      connection_->client().ensurePath(parent, [this, path, data, done](std::error_code ensured) {
        if (ensured)
          return done(ensured);
        connection_->client().createNode(
            path, data, false, false, [done](std::error_code ec, const std::string&) { done(ec); });
      });
    });
  }

  // Starts an asynchronous call on the I/O thread; waits for the value it hands to `done`.
  template <typename T, typename F>
  T callAsync(F start) {
    auto promise = std::make_shared<std::promise<T>>();
    auto future = promise->get_future();
    boost::asio::post(io_, [start, promise] {
      start([promise](T value) { promise->set_value(std::move(value)); });
    });
    if (future.wait_for(eventTimeout()) != std::future_status::ready)
      throw std::runtime_error("no answer in time");
    return future.get();
  }

  void startRetrieval() {
    onLoop([&] {
      retrieval_ = makeZkLeaderRetrievalDriver(connection_, paths_.connectionInfo("svc"), listener,
                                               testLogger());
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

}  // namespace baton::test
