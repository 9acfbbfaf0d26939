// Graceful handover in one process: the leader closes its election, the next participant is
// granted; with 5 and 100 participants (--participants), each its own ZooKeeper session. In
// the same run, the floor: the raw ZooKeeper round trips a handover needs at minimum, with the
// C client alone; every handover row carries its median as a multiple of the floor's. Also
// the watch notifications the servers sent per handover to this process's connections.
#include <thread>

#include "benchmarks.hpp"
#include "members.hpp"
#include "zk_counters.hpp"
#include "zk_floor.hpp"

namespace baton::bench {
namespace {

// The handovers whose notifications are counted: each costs two `stat` rounds and a pause.
constexpr int kCountedHandovers = 30;

struct HandoverSamples {
  std::vector<double> latencies;      // ms
  std::vector<double> notifications;  // per handover, this process's connections
};

// Handover latencies among n participants: the leader closes, the successor is granted, the
// old leader rejoins at the back of the queue so that every handover sees n participants.
HandoverSamples handovers(int n, int reps, const BenchOptions& options) {
  MemberGroup group("handover" + std::to_string(n), n, options.sessionTimeout());
  int leader = group.grants.next(test::scaled(std::chrono::seconds(30))).member;
  auto ports = group.memberPorts();
  HandoverSamples samples;
  for (int rep = 0; rep < reps; ++rep) {
    bool counted = rep < kCountedHandovers;
    auto before = counted ? connectionCounts(ports) : ConnectionCounts{};
    if (auto logger = benchLogger())
      logger->debug("handover {}: closing the leader's election", rep);
    auto t0 = Clock::now();
    group[leader].leave();
    auto next = group.grants.next();
    samples.latencies.push_back(msBetween(t0, next.at));
    if (counted) {
      // Replies and notifications still under way land within milliseconds on loopback.
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      auto after = connectionCounts(ports);
      samples.notifications.push_back(
          static_cast<double>((after.sent - before.sent) - (after.recved - before.recved)));
    }
    group[leader].join();
    group.admin().awaitChildren(group.latchPath(), static_cast<std::size_t>(n));
    leader = next.member;
  }
  return samples;
}

}  // namespace

int runHandover(const BenchOptions& options) {
  const int reps = options.repsOr(200);
  progress("handover floor (raw C client), " + std::to_string(reps) + " reps");
  auto floor = measureHandoverFloor(test::zkQuorum(), reps);
  row("floor: one read round trip (raw C client, exists)", "ms", floor.roundTrips);
  auto floorSummary =
      row("floor: handover = delete + notification + list (raw C client)", "ms", floor.handovers);
  row("floor: of which delete -> notification (raw C client)", "ms", floor.notified);
  for (int n : options.participantsOr({5, 100})) {
    progress("graceful handover, " + std::to_string(n) + " participants, " + std::to_string(reps) +
             " reps");
    auto samples = handovers(n, reps, options);
    auto s =
        row("graceful handover, " + std::to_string(n) + " participants (close -> next granted)",
            "ms", samples.latencies, floorSummary.median);
    row("graceful handover, " + std::to_string(n) +
            " participants: watch notifications per handover (the members' connections, stat)",
        "notifications", samples.notifications);
    double ratio = s.median / floorSummary.median;
    target("graceful handover in one process, median within 1.1x of the floor (" +
               std::to_string(n) + " participants)",
           fixed(s.median, 3) + " ms = " + fixed(ratio) + "x floor " +
               fixed(floorSummary.median, 3) + " ms",
           "<= 1.1x", ratio <= 1.1);
  }
  return 0;
}

}  // namespace baton::bench
