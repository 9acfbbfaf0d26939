// Crash failover: SIGKILL of the leading `baton elect` process until the next process is
// granted, in ms and as a ratio of the negotiated session timeout. Nothing tells the servers
// that the leader died: its session must expire first, so the floor is the session timeout
// (plus the servers' expiry granularity, one tickTime).
#include <signal.h>

#include <random>
#include <thread>

#include "benchmarks.hpp"
#include "processes.hpp"

namespace baton::bench {

int runFailover(const BenchOptions& options) {
  const int reps = options.repsOr(30);
  const std::string timeout = std::to_string(options.failoverTimeoutMs) + "ms";
  progress("crash failover, session timeout " + timeout + ", " + std::to_string(reps) + " reps");
  auto cluster = test::uniqueClusterId("failover");
  auto latch = std::string(kBenchRoot) + "/" + cluster + "/leader/latch";
  test::AdminClient admin;
  std::mt19937 random(std::random_device{}());
  int spawned = 0;
  auto spawn = [&] {
    return std::make_unique<test::ElectProcess>("f" + std::to_string(spawned++),
                                                electArgs(cluster, timeout));
  };
  auto leader = spawn();
  leader->await("granted", test::scaled(std::chrono::seconds(30)));
  std::vector<double> failovers, ratios;
  long negotiated = 0;
  for (int rep = 0; rep < reps; ++rep) {
    auto follower = spawn();
    negotiated = negotiatedTimeoutMs(follower->await("connected"));
    admin.awaitChildren(latch, 2);
    // Kill at a random moment relative to the leader's keepalive (sent every timeout/3), as a
    // real crash would be.
    std::uniform_int_distribution<int> phase(0, options.failoverTimeoutMs / 3);
    std::this_thread::sleep_for(std::chrono::milliseconds(phase(random)));
    auto t0 = test::nowUs();
    leader->signal(SIGKILL);
    auto granted = follower->await("granted", std::chrono::milliseconds(negotiated * 3 + 10000));
    double ms = msSinceUs(t0, granted.tsUs);
    failovers.push_back(ms);
    ratios.push_back(ms / static_cast<double>(negotiated));
    leader->wait();
    leader = std::move(follower);
  }
  quit(*leader);
  note("crash failover: requested session timeout " + timeout + ", negotiated " +
       std::to_string(negotiated) + " ms");
  auto s = row("crash failover: SIGKILL leader -> next granted (session timeout " +
                   std::to_string(negotiated) + " ms)",
               "ms", failovers);
  row("crash failover as a ratio of the negotiated session timeout", "x", ratios);
  target("crash failover p90 at most the negotiated session timeout + 100 ms",
         "p90 " + fixed(s.p90, 1) + " ms", std::to_string(negotiated + 100) + " ms",
         s.p90 <= static_cast<double>(negotiated + 100));
  admin.removeTree(std::string(kBenchRoot) + "/" + cluster);
  return 0;
}

}  // namespace baton::bench
