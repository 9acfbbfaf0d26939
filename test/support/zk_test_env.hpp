#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/asio/post.hpp>

#include "baton/configuration.hpp"
#include "baton/support/executor_thread.hpp"
#include "client/zk_client.hpp"
#include "ha/zookeeper_ha_services.hpp"
#include "support/deadline.hpp"
#include "support/four_letter_word.hpp"

namespace baton::test {

// The ensemble under test: BATON_TEST_ZK (test/zk/ensemble.sh env). Integration tests fail
// clearly without it: the README test command always provides one.
inline std::string zkQuorum() {
  const char* quorum = std::getenv("BATON_TEST_ZK");
  if (!quorum || !*quorum) {
    throw std::runtime_error(
        "BATON_TEST_ZK is not set: start an ensemble with test/zk/ensemble.sh start and "
        "eval \"$(test/zk/ensemble.sh env)\", or run scripts/test.sh");
  }
  return quorum;
}

// A fresh cluster id per test, so tests never see each other's znodes.
inline std::string uniqueClusterId(const std::string& prefix) {
  static std::atomic<int> counter{0};
  std::random_device device;
  return prefix + "-" + std::to_string(getpid()) + "-" + std::to_string(++counter) + "-" +
         std::to_string(device() % 100000);
}

// The test ensemble's tickTime (test/zk/ensemble.sh), which the lease's relay bound must know.
inline constexpr const char* kTestTickTime = "100ms";

inline Configuration zkConfiguration(const std::string& clusterId, const std::string& participant,
                                     std::map<std::string, std::string> extra = {}) {
  auto config = Configuration::fromMap({{"ha.type", "zookeeper"},
                                        {"ha.zookeeper.quorum", zkQuorum()},
                                        {"ha.zookeeper.root", "/baton-test"},
                                        {"ha.cluster-id", clusterId},
                                        {"ha.participant-id", participant},
                                        {"ha.zookeeper.session-timeout", "6s"},
                                        {"ha.zookeeper.tick-time", kTestTickTime}});
  for (auto& [k, v] : extra)
    config.set(k, v);
  return config;
}

inline std::unique_ptr<zookeeper::ZooKeeperHaServices> makeZkServices(
    const std::string& clusterId, const std::string& participant,
    std::map<std::string, std::string> extra = {}) {
  auto settings = zookeeper::parseZkHaSettings(zkConfiguration(clusterId, participant, extra));
  return std::make_unique<zookeeper::ZooKeeperHaServices>(settings, HaServicesOptions{});
}

// Runs an ensemble.sh command (kill N, start-node N, ...); throws if it fails.
inline void ensemble(const std::string& args) {
  const char* script = std::getenv("BATON_ZK_ENSEMBLE_SCRIPT");
  if (!script)
    throw std::runtime_error("BATON_ZK_ENSEMBLE_SCRIPT is not set");
  std::string command = std::string(script) + " " + args + " >&2";
  if (std::system(command.c_str()) != 0)
    throw std::runtime_error("ensemble.sh " + args + " failed");
}

// Sum of one `mntr` counter over the servers of the quorum that answer.
inline long long mntrSum(const std::string& key) {
  long long sum = 0;
  std::stringstream servers(zkQuorum());
  std::string server;
  while (std::getline(servers, server, ',')) {
    int port = std::stoi(server.substr(server.rfind(':') + 1));
    std::stringstream lines(fourLetterWord(static_cast<std::uint16_t>(port), "mntr"));
    std::string line;
    while (std::getline(lines, line)) {
      if (line.rfind(key + "\t", 0) == 0)
        sum += std::stoll(line.substr(key.size() + 1));
    }
  }
  return sum;
}

// A synchronous ZooKeeper client for tests to inspect and tamper with the store.
class AdminClient {
 public:
  template <typename T>
  using Promise = std::shared_ptr<std::promise<T>>;

  AdminClient() : thread_("zk-admin") {
    call<int>([this, quorum = zkQuorum()](Promise<int> p) {
      zookeeper::ZkSettings settings;
      settings.quorum = quorum;
      client_ = zookeeper::ZkClient::create(thread_.executor(), settings);
      auto done = std::make_shared<bool>(false);
      client_->setStateListener([p, done](ConnectionState s, const zookeeper::ZkSessionInfo&) {
        if (!*done && s == ConnectionState::connected) {
          *done = true;
          p->set_value(0);
        }
      });
      client_->start();
    });
  }
  ~AdminClient() {
    boost::asio::post(thread_.executor(), [this] {
      client_->close();
      client_.reset();
    });
    thread_.stop();
  }

  // Every read first catches up (catchUp): this session may sit on a follower that has not
  // yet applied what another session just wrote.
  std::vector<std::string> children(const std::string& path) {
    catchUp();
    return call<std::vector<std::string>>([&](auto p) {
      client_->getChildren(path, nullptr,
                           [p](std::error_code ec, const std::vector<std::string>& c) {
                             p->set_value(ec ? std::vector<std::string>{} : c);
                           });
    });
  }
  bool exists(const std::string& path) {
    catchUp();
    return call<bool>([&](auto p) {
      client_->exists(path, nullptr,
                      [p](std::error_code ec, const zookeeper::ZkStat&) { p->set_value(!ec); });
    });
  }
  // Catches this session's server up with the ZooKeeper leader: a check-only multi is a
  // transaction, so once it is answered every write committed before it is visible here
  // (ZooKeeper promises read-your-writes per session only).
  void catchUp() {
    call<int>([&](auto p) {
      client_->multi(
          {zookeeper::ZkOp::check("/")},
          [p](std::error_code, const std::vector<zookeeper::ZkOpResult>&) { p->set_value(0); });
    });
  }
  // The data at path as of now: written by another session before this call, it is seen.
  std::string data(const std::string& path) {
    catchUp();
    return call<std::string>([&](auto p) {
      client_->getData(path, nullptr,
                       [p](std::error_code, const std::string& d, const zookeeper::ZkStat&) {
                         p->set_value(d);
                       });
    });
  }
  std::error_code setData(const std::string& path, const std::string& bytes) {
    return call<std::error_code>([&](auto p) {
      client_->setData(path, bytes, -1,
                       [p](std::error_code ec, const zookeeper::ZkStat&) { p->set_value(ec); });
    });
  }
  std::error_code remove(const std::string& path) {
    return call<std::error_code>([&](auto p) {
      client_->removeNode(path, -1, [p](std::error_code ec) { p->set_value(ec); });
    });
  }
  // Deletes path and its subtree, children first (ephemeral nodes of others included).
  void removeTree(const std::string& path) {
    for (const auto& child : children(path))
      removeTree(path + "/" + child);
    remove(path);
  }
  // Waits (event-driven: a child watch) until path has exactly `count` children.
  std::vector<std::string> awaitChildren(const std::string& path, std::size_t count,
                                         std::chrono::milliseconds timeout = eventTimeout()) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    catchUp();
    for (int round = 0; round < 10000; ++round) {
      auto fired = std::make_shared<std::promise<void>>();
      auto firedFuture = fired->get_future();
      auto listed = call<std::vector<std::string>>([&, fired](auto p) {
        auto once = std::make_shared<std::once_flag>();
        auto fire = [fired, once] { std::call_once(*once, [&] { fired->set_value(); }); };
        client_->getChildren(
            path, [fire](const zookeeper::WatchEvent&) { fire(); },
            [this, p, fire, path](std::error_code ec, const std::vector<std::string>& c) {
              p->set_value(ec ? std::vector<std::string>{} : c);
              if (!ec)
                return;
              // No child watch on a missing node: wait for its creation instead.
              client_->exists(
                  path, [fire](const zookeeper::WatchEvent&) { fire(); },
                  [fire](std::error_code e, const zookeeper::ZkStat&) {
                    if (!e)
                      fire();
                  });
            });
      });
      if (listed.size() == count)
        return listed;
      if (firedFuture.wait_until(deadline) != std::future_status::ready)
        break;
    }
    throw std::runtime_error(path + " did not reach " + std::to_string(count) + " children");
  }

  // Counts the ephemeral nodes at and below path (owned by any session).
  int ephemeralBelow(const std::string& path) {
    catchUp();
    auto owner = call<std::int64_t>([&](auto p) {
      client_->exists(path, nullptr, [p](std::error_code ec, const zookeeper::ZkStat& stat) {
        p->set_value(ec ? 0 : stat.ephemeralOwner);
      });
    });
    int n = owner != 0 ? 1 : 0;
    for (const auto& child : children(path))
      n += ephemeralBelow(path + "/" + child);
    return n;
  }

  // Counts every node below path (path itself excluded).
  int countBelow(const std::string& path) {
    int n = 0;
    for (const auto& child : children(path))
      n += 1 + countBelow(path + "/" + child);
    return n;
  }

 private:
  template <typename T, typename F>
  T call(F fn) {
    auto promise = std::make_shared<std::promise<T>>();
    auto future = promise->get_future();
    // fn runs on the client's thread; it is copied there so a timed-out wait leaves nothing
    // dangling (the promise is shared).
    boost::asio::post(thread_.executor(), [fn, promise] { fn(promise); });
    if (future.wait_for(eventTimeout()) != std::future_status::ready) {
      throw std::runtime_error("the admin ZooKeeper client did not answer in time");
    }
    return future.get();
  }

  support::ExecutorThread thread_;
  std::unique_ptr<zookeeper::ZkClient> client_;
};

}  // namespace baton::test
