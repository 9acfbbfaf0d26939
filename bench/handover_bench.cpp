// Graceful handover: the leader closes its election, the next participant is granted; with 5
// and with 100 participants, each its own ZooKeeper session. In the same run, the floor: the
// raw ZooKeeper round trips a handover needs at minimum, with the C client alone.
#include "benchmarks.hpp"
#include "members.hpp"
#include "zk_floor.hpp"

namespace baton::bench {
namespace {

// Handover latencies (ms) among n participants: the leader closes, the successor is granted,
// the old leader rejoins at the back of the queue so that every handover sees n participants.
std::vector<double> handovers(int n, int reps, const BenchOptions& options) {
  MemberGroup group("handover" + std::to_string(n), n, options.sessionTimeout());
  int leader = group.grants.next(test::scaled(std::chrono::seconds(30))).member;
  std::vector<double> samples;
  for (int rep = 0; rep < reps; ++rep) {
    if (auto logger = benchLogger())
      logger->debug("handover {}: closing the leader's election", rep);
    auto t0 = Clock::now();
    group[leader].leave();
    auto next = group.grants.next();
    samples.push_back(msBetween(t0, next.at));
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
  auto roundTrip = row("floor: one read round trip (raw C client, exists)", "ms", floor.roundTrips);
  auto floorSummary =
      row("floor: handover = delete + notification + list (raw C client)", "ms", floor.handovers);
  (void)roundTrip;
  for (int n : {5, 100}) {
    progress("graceful handover, " + std::to_string(n) + " participants, " + std::to_string(reps) +
             " reps");
    auto s =
        row("graceful handover, " + std::to_string(n) + " participants (close -> next granted)",
            "ms", handovers(n, reps, options));
    double ratio = s.median / floorSummary.median;
    target(
        "graceful handover median within 2x of the floor (" + std::to_string(n) + " participants)",
        fixed(s.median, 3) + " ms = " + fixed(ratio) + "x floor " + fixed(floorSummary.median, 3) +
            " ms",
        "<= 2x", ratio <= 2.0);
  }
  return 0;
}

}  // namespace baton::bench
