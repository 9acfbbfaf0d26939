// The C client's log reaches baton's logger: its socket errors were hidden in /dev/null below
// debug level.
#include <condition_variable>
#include <future>
#include <mutex>

#include <spdlog/sinks/base_sink.h>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <catch2/catch.hpp>

#include "baton/support/executor_thread.hpp"
#include "client/zk_client.hpp"
#include "client/zk_log_bridge.hpp"
#include "support/deadline.hpp"

using namespace baton;
using namespace baton::zookeeper;
using detail::ZkLogBridge;

namespace {

// Keeps every record; waitFor blocks until one contains a text.
class WaitingSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  bool waitFor(const std::string& text, spdlog::level::level_enum level,
               std::chrono::milliseconds timeout) {
    std::unique_lock lock(seenMutex_);
    return changed_.wait_for(lock, timeout, [&] {
      for (const auto& [l, line] : records_) {
        if (l == level && line.find(text) != std::string::npos)
          return true;
      }
      return false;
    });
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    {
      std::lock_guard lock(seenMutex_);
      records_.emplace_back(msg.level, std::string(msg.payload.data(), msg.payload.size()));
    }
    changed_.notify_all();
  }
  void flush_() override {}

 private:
  std::mutex seenMutex_;
  std::condition_variable changed_;
  std::vector<std::pair<spdlog::level::level_enum, std::string>> records_;
};

// A loopback port nobody listens on: bound, then closed again.
std::uint16_t closedPort() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(
      io, boost::asio::ip::tcp::endpoint(boost::asio::ip::address_v4::loopback(), 0));
  return acceptor.local_endpoint().port();
}

}  // namespace

TEST_CASE("C client lines map to baton's levels and lose their time and pid") {
  auto line = ZkLogBridge::translate(
      "2026-11-29 01:02:03,456:4242:ZOO_ERROR@handle_socket_error_msg@2286: Socket "
      "[127.0.0.1:1] zk retcode=-4, errno=111(Connection refused): server refused\n");
  CHECK(line.level == spdlog::level::warn);
  CHECK(line.text ==
        "handle_socket_error_msg@2286: Socket [127.0.0.1:1] zk retcode=-4, errno=111(Connection "
        "refused): server refused");
  CHECK(ZkLogBridge::translate("t:1:ZOO_WARN@f@1: w").level == spdlog::level::info);
  CHECK(ZkLogBridge::translate("t:1:ZOO_INFO@f@1: i").level == spdlog::level::debug);
  CHECK(ZkLogBridge::translate("t:1:ZOO_DEBUG@f@1: d").level == spdlog::level::trace);
}

TEST_CASE("the C client's level follows the logger's") {
  auto sink = std::make_shared<WaitingSink>();
  spdlog::logger logger("levels", sink);
  logger.set_level(spdlog::level::info);
  CHECK(ZkLogBridge::cLevelFor(logger) == ZOO_LOG_LEVEL_WARN);
  logger.set_level(spdlog::level::trace);
  CHECK(ZkLogBridge::cLevelFor(logger) == ZOO_LOG_LEVEL_DEBUG);
  logger.set_level(spdlog::level::err);
  CHECK(ZkLogBridge::cLevelFor(logger) == 0);
  spdlog::logger quiet("quiet");  // no sinks: nothing to format for
  CHECK(ZkLogBridge::cLevelFor(quiet) == 0);
}

TEST_CASE("a refused connection shows in the application's log at warn level") {
  auto sink = std::make_shared<WaitingSink>();
  auto logger = std::make_shared<spdlog::logger>("zk-log-test", sink);
  logger->set_level(spdlog::level::info);
  support::ExecutorThread io("zk-log-test");
  std::unique_ptr<ZkClient> client;
  ZkSettings settings;
  settings.quorum = "127.0.0.1:" + std::to_string(closedPort());
  boost::asio::post(io.executor(), [&] {
    client = ZkClient::create(io.executor(), settings, logger);
    client->start();
  });
  // zookeeper.c handle_socket_error_msg: "Socket [...] zk retcode=-4, errno=111(Connection
  // refused): ..."
  CHECK(sink->waitFor("Connection refused", spdlog::level::warn, test::eventTimeout()));
  CHECK(sink->waitFor("zookeeper C client: ", spdlog::level::warn, test::eventTimeout()));
  std::promise<void> closed;
  boost::asio::post(io.executor(), [&] {
    client.reset();
    closed.set_value();
  });
  closed.get_future().wait();
  io.stop();
}
