// Herd: ZooKeeper requests per graceful handover at 10, 50 and 200 participants. A latch
// whose waiters all watch the leader (a herd) costs one request per participant; baton's
// waiters each watch their predecessor, so the count must not grow with the participants.
// Counted two ways around each handover: the servers' mntr zk_packets_received (all clients of
// the ensemble, so other traffic on a shared ensemble shows up), and the `recved` counts of
// this process's own connections from the servers' `stat` (exact for this benchmark).
#include <thread>

#include "benchmarks.hpp"
#include "members.hpp"
#include "zk_counters.hpp"

namespace baton::bench {
namespace {

struct HerdCounts {
  std::vector<double> server, own;
};

HerdCounts countHandovers(int n, int reps) {
  // A long session timeout keeps keepalive pings (every timeout/3 per session) out of the
  // windows as far as possible: 200 sessions at 60 s still ping 10 times a second.
  MemberGroup group("herd" + std::to_string(n), n, "60s");
  int leader = group.grants.next(test::scaled(std::chrono::seconds(30))).member;
  HerdCounts counts;
  for (int rep = 0; rep < reps; ++rep) {
    auto ownBefore = ownRequests();
    auto serverBefore = serverRequests();
    group[leader].leave();
    auto next = group.grants.next();
    // A herd's requests would arrive within milliseconds of the notification; leave them time.
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto serverAfter = serverRequests();
    auto ownAfter = ownRequests();
    // The window holds one mntr read per server (the "after" one) besides the handover.
    counts.server.push_back(static_cast<double>(serverAfter - serverBefore - 3));
    counts.own.push_back(static_cast<double>(ownAfter - ownBefore));
    group[leader].join();
    group.admin().awaitChildren(group.latchPath(), static_cast<std::size_t>(n));
    leader = next.member;
  }
  return counts;
}

}  // namespace

int runHerd(const BenchOptions& options) {
  const int reps = options.repsOr(30);
  std::vector<double> medians;
  for (int n : {10, 50, 200}) {
    progress("herd, " + std::to_string(n) + " participants, " + std::to_string(reps) + " reps");
    auto counts = countHandovers(n, reps);
    auto own = row("herd, " + std::to_string(n) +
                       " participants: requests per handover (own connections, stat)",
                   "requests", counts.own);
    row("herd, " + std::to_string(n) +
            " participants: requests per handover (mntr, whole ensemble)",
        "requests", counts.server);
    medians.push_back(own.median);
  }
  bool same = medians[0] == medians[1] && medians[1] == medians[2];
  target("requests per handover the same at 10, 50 and 200 participants",
         fixed(medians[0], 0) + " / " + fixed(medians[1], 0) + " / " + fixed(medians[2], 0) +
             " (median, own connections)",
         "equal", same);
  return 0;
}

}  // namespace baton::bench
