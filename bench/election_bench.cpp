// Election latency, uncontended: inside a process (from building the services, and from
// startLeaderElection on a connected session, to the grant), and as a fresh `baton elect`
// process (from fork to the printed `granted`). In the same run, the floor of a start: a raw C
// client session, one ephemeral-sequential create and one list (zk_floor.hpp); each row
// carries its median as a multiple of the matching floor's.
#include <future>

#include "benchmarks.hpp"
#include "processes.hpp"
#include "zk_floor.hpp"

namespace baton::bench {
namespace {

void inProcess(int reps, const BenchOptions& options, const Summary& start,
               const Summary& election) {
  auto cluster = test::uniqueClusterId("election");
  test::EventInbox<Grant> grants;
  support::ExecutorThread callbacks("bench-callbacks");
  std::vector<double> cold, warm;
  for (int rep = 0; rep < reps; ++rep) {
    auto t0 = Clock::now();
    Member member(0, cluster, grants, callbacks.executor(), options.sessionTimeout());
    member.join();
    cold.push_back(msBetween(t0, grants.next().at));
    member.leave();
    // Same session, connected: only the election itself.
    auto t1 = Clock::now();
    member.join();
    warm.push_back(msBetween(t1, grants.next().at));
    member.leave();
    member.services->close();
  }
  row("election, in process: new services -> granted (connect + elect)", "ms", cold, start.median);
  row("election, in process: startLeaderElection -> granted (session up)", "ms", warm,
      election.median);
  test::AdminClient().removeTree(std::string(kBenchRoot) + "/" + cluster);
}

void asProcess(int reps, const BenchOptions& options, const Summary& start) {
  auto cluster = test::uniqueClusterId("election-process");
  std::vector<double> started, granted;
  for (int rep = 0; rep < reps; ++rep) {
    auto t0 = test::nowUs();
    test::ElectProcess process("e" + std::to_string(rep),
                               electArgs(cluster, options.sessionTimeout()));
    auto s = process.await("started");
    auto g = process.await("granted");
    started.push_back(msSinceUs(t0, s.tsUs));
    granted.push_back(msSinceUs(t0, g.tsUs));
    quit(process);
  }
  row("election, `baton elect` process: fork -> started", "ms", started);
  auto s = row("election, `baton elect` process: fork -> granted", "ms", granted, start.median);
  target("`baton elect` from process start to granted, uncontended",
         "median " + fixed(s.median) + " ms, p90 " + fixed(s.p90) + " ms", "< 50 ms",
         s.median < 50.0);
  test::AdminClient().removeTree(std::string(kBenchRoot) + "/" + cluster);
}

}  // namespace

int runElection(const BenchOptions& options) {
  const int reps = options.repsOr(100);
  progress("start floor (raw C client), " + std::to_string(reps) + " reps");
  auto floor = measureStartFloor(test::zkQuorum(), reps);
  auto start = row("floor: start = connect + create (ephemeral-sequential) + list (raw C client)",
                   "ms", floor.starts);
  auto election =
      row("floor: start after connect = create + list (raw C client)", "ms", floor.elections);
  progress("election latency in process, " + std::to_string(reps) + " reps");
  inProcess(reps, options, start, election);
  progress("election latency as a process, " + std::to_string(reps) + " reps");
  asProcess(reps, options, start);
  return 0;
}

}  // namespace baton::bench
