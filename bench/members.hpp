#pragma once

// In-process participants for the benchmarks: each Member is one ZooKeeper session (its own
// ZooKeeperHaServices) with one election, and reports its grants with a steady-clock stamp
// taken inside the contender callback. All members of a benchmark share one callback thread,
// as the processes they stand for would each have one.
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include "baton/leader_contender.hpp"
#include "baton/leader_election.hpp"

#include "ha/zookeeper_ha_services.hpp"
#include "report.hpp"
#include "support/recording_contender.hpp"
#include "support/zk_test_env.hpp"
#include "zk_counters.hpp"

namespace baton::bench {

inline constexpr const char* kBenchRoot = "/baton-bench";

// BATON_BENCH_LOG=debug|info: the members log to stderr with microsecond stamps and thread
// ids, to see where a handover spends its time (docs/performance.md, profiles).
inline std::shared_ptr<spdlog::logger> benchLogger() {
  static const auto logger = []() -> std::shared_ptr<spdlog::logger> {
    const char* level = std::getenv("BATON_BENCH_LOG");
    if (!level || !*level)
      return nullptr;
    auto l = spdlog::stderr_logger_mt("bench");
    l->set_pattern("%H:%M:%S.%f [%t] %v");
    l->set_level(spdlog::level::from_str(level));
    return l;
  }();
  return logger;
}

struct Grant {
  int member = -1;
  Clock::time_point at;
  LeaderSessionId id;
};

class TimedContender final : public LeaderContender {
 public:
  TimedContender(int member, test::EventInbox<Grant>& grants) : member_(member), grants_(grants) {}
  void grantLeadership(const LeaderSessionId& id) override {
    if (auto logger = benchLogger())
      logger->debug("contender {} granted", member_);
    grants_.push(Grant{member_, Clock::now(), id});
  }
  void revokeLeadership() override {}
  void handleError(const std::system_error& error) override {
    std::fprintf(stderr, "bench: member %d: %s\n", member_, error.what());
  }

 private:
  int member_;
  test::EventInbox<Grant>& grants_;
};

inline std::map<std::string, std::string> benchSettings(const std::string& sessionTimeout) {
  return {{"ha.zookeeper.root", kBenchRoot}, {"ha.zookeeper.session-timeout", sessionTimeout}};
}

inline std::unique_ptr<zookeeper::ZooKeeperHaServices> makeServices(
    const std::string& cluster, const std::string& participant,
    boost::asio::any_io_executor callbacks, const std::string& sessionTimeout) {
  auto settings = zookeeper::parseZkHaSettings(
      test::zkConfiguration(cluster, participant, benchSettings(sessionTimeout)));
  HaServicesOptions options;
  options.callbackExecutor = std::move(callbacks);
  options.logger = benchLogger();
  return std::make_unique<zookeeper::ZooKeeperHaServices>(settings, options);
}

// append(), not "p" + to_string(i): GCC 12 reports a false -Wrestrict on the latter at -O3.
inline std::string participantName(int index) {
  std::string name = "p";
  name.append(std::to_string(index));
  return name;
}

struct Member {
  Member(int index, const std::string& cluster, test::EventInbox<Grant>& grants,
         boost::asio::any_io_executor callbacks, const std::string& sessionTimeout)
      : services(
            makeServices(cluster, participantName(index), std::move(callbacks), sessionTimeout)),
        contender(index, grants) {}

  void join(const std::string& component = "rm") {
    election = services->getLeaderElection(component);
    election->startLeaderElection(contender);
  }
  void leave() {
    if (election)
      election->close();
    election.reset();
  }

  std::unique_ptr<zookeeper::ZooKeeperHaServices> services;
  TimedContender contender;
  std::unique_ptr<LeaderElection> election;
};

// A group of members in one cluster that joins in index order (member 0 leads first) and
// removes its znodes when it goes.
class MemberGroup {
 public:
  MemberGroup(const std::string& name, int count, const std::string& sessionTimeout)
      : cluster_(test::uniqueClusterId(name)), callbacks_("bench-callbacks") {
    // The admin session (connected by its constructor) is not a member: its child watch on
    // the latch directory fires on every handover.
    notMembers_ = ownLocalPorts();
    for (int i = 0; i < count; ++i) {
      members_.push_back(
          std::make_unique<Member>(i, cluster_, grants, callbacks_.executor(), sessionTimeout));
      members_.back()->join();
      // Joining in order keeps the queue in index order: wait for each node before the next.
      admin_.awaitChildren(latchPath(), static_cast<std::size_t>(i + 1));
    }
  }
  ~MemberGroup() {
    for (auto& m : members_)
      m->leave();
    for (auto& m : members_)
      m->services->close();
    members_.clear();
    try {
      admin_.removeTree(std::string(kBenchRoot) + "/" + cluster_);
    } catch (const std::exception& e) {
      progress(std::string("cleanup: ") + e.what());
    }
  }

  Member& operator[](int i) { return *members_.at(static_cast<std::size_t>(i)); }
  int size() const { return static_cast<int>(members_.size()); }
  std::string latchPath() const {
    return std::string(kBenchRoot) + "/" + cluster_ + "/leader/latch";
  }
  const std::string& cluster() const { return cluster_; }
  test::AdminClient& admin() { return admin_; }
  // Local ports of the members' ZooKeeper connections (zk_counters.hpp).
  std::set<int> memberPorts() const {
    std::set<int> ports;
    for (int port : ownLocalPorts())
      if (!notMembers_.count(port))
        ports.insert(port);
    return ports;
  }

  test::EventInbox<Grant> grants;

 private:
  std::string cluster_;
  test::AdminClient admin_;
  support::ExecutorThread callbacks_;
  std::vector<std::unique_ptr<Member>> members_;
  std::set<int> notMembers_;
};

}  // namespace baton::bench
