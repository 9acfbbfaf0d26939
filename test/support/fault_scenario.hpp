#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "support/elect_process.hpp"
#include "support/leadership_timeline.hpp"
#include "support/zk_test_env.hpp"

namespace baton::test {

// Shared pieces of the fault scenarios (test/integration/fault_*_test.cpp): `baton elect`
// arguments for a quorum (the ensemble's, or a FaultProxy's), log queries, clean exit.
struct ElectSetup {
  std::string cluster;
  std::string policy = "lease";
  std::string sessionTimeout = "4s";
  std::string margin = "1000ms";
  // The servers' tickTime (ha.zookeeper.tick-time); "" leaves the key out (a CLI without it).
  std::string tickTime = kTestTickTime;

  std::vector<std::string> args(const std::string& quorum) const {
    std::vector<std::string> out{"--component", "svc",
                                 "--address",   "127.0.0.1:1",
                                 "--zk",        quorum,
                                 "--set",       "ha.zookeeper.root=/baton-test",
                                 "--set",       "ha.cluster-id=" + cluster,
                                 "--set",       "ha.zookeeper.session-timeout=" + sessionTimeout,
                                 "--set",       "ha.connection-policy=" + policy,
                                 "--set",       "ha.lease.safety-margin=" + margin};
    if (!tickTime.empty())
      out.insert(out.end(), {"--set", "ha.zookeeper.tick-time=" + tickTime});
    return out;
  }
  std::string latch() const { return "/baton-test/" + cluster + "/leader/latch"; }
};

inline bool isLeading(const ElectProcess& p) {
  bool leading = false;
  for (const auto& e : p.history()) {
    if (e.event == "granted")
      leading = true;
    if (e.event == "revoked" || e.event == "exit")
      leading = false;
  }
  return leading;
}

inline int countEvents(const ElectProcess& p, const std::string& event, long long sinceUs = 0) {
  int n = 0;
  for (const auto& e : p.history())
    n += e.event == event && e.tsUs >= sinceUs ? 1 : 0;
  return n;
}

// The first event named `event` at or after sinceUs; tsUs == 0 if none.
inline ElectEvent firstEvent(const ElectProcess& p, const std::string& event, long long sinceUs) {
  for (const auto& e : p.history()) {
    if (e.event == event && e.tsUs >= sinceUs)
      return e;
  }
  return {};
}

// The processes leading now, by their logs.
inline std::vector<const ElectProcess*> leaders(const std::vector<const ElectProcess*>& all) {
  std::vector<const ElectProcess*> out;
  for (const auto* p : all) {
    if (isLeading(*p))
      out.push_back(p);
  }
  return out;
}

// Waits until exactly one of the processes leads; returns it (nullptr at the deadline).
inline const ElectProcess* awaitSingleLeader(const std::vector<const ElectProcess*>& all,
                                             std::chrono::milliseconds timeout) {
  const ElectProcess* leader = nullptr;
  waitUntil(
      [&] {
        auto now = leaders(all);
        leader = now.size() == 1 ? now.front() : nullptr;
        return leader != nullptr;
      },
      timeout);
  return leader;
}

// Quits every process gracefully and checks each exits 0.
inline bool quitAll(const std::vector<ElectProcess*>& all) {
  bool ok = true;
  for (auto* p : all)
    p->send("quit");
  for (auto* p : all)
    ok = p->wait() == 0 && ok;
  return ok;
}

// The queue most client-side fault scenarios start from: "a" reaches the ensemble through
// leaderQuorum (a FaultProxy's) and is granted first; then each follower joins through
// followerQuorum, and the call returns once every node is in the latch. [0] is "a", followers
// are named "b", "c", ...
inline std::vector<std::unique_ptr<ElectProcess>> startQueue(const ElectSetup& setup,
                                                             const std::string& leaderQuorum,
                                                             const std::string& followerQuorum,
                                                             AdminClient& admin,
                                                             std::size_t followers) {
  using namespace std::chrono_literals;
  std::vector<std::unique_ptr<ElectProcess>> queue;
  queue.push_back(std::make_unique<ElectProcess>("a", setup.args(leaderQuorum)));
  queue.front()->await("granted", scaled(20s));
  for (std::size_t i = 0; i < followers; ++i) {
    queue.push_back(std::make_unique<ElectProcess>(std::string(1, static_cast<char>('b' + i)),
                                                   setup.args(followerQuorum)));
  }
  admin.awaitChildren(setup.latch(), followers + 1);
  return queue;
}

inline double seconds(long long us) {
  return static_cast<double>(us) / 1e6;
}

}  // namespace baton::test
