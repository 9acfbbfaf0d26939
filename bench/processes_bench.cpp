// Scale across processes: P `baton elect` processes (default 200) join one election at once.
// Measured: spawn of the first -> the election settled (a leader granted and every process
// queued), and then graceful handovers among all P: the leader's `release` -> the next
// process granted, with the requests the servers received (mntr) for each.
#include <thread>

#include "benchmarks.hpp"
#include "processes.hpp"
#include "zk_counters.hpp"

namespace baton::bench {

int runProcesses(const BenchOptions& options) {
  const int count = options.processes;
  const int reps = options.repsOr(10);
  progress(std::to_string(count) + " `baton elect` processes, " + std::to_string(reps) +
           " handovers");
  auto cluster = test::uniqueClusterId("processes");
  auto latch = std::string(kBenchRoot) + "/" + cluster + "/leader/latch";
  test::AdminClient admin;
  auto t0 = test::nowUs();
  Processes all;
  for (int i = 0; i < count; ++i) {
    all.push_back(
        std::make_unique<test::ElectProcess>("p" + std::to_string(i), electArgs(cluster, "30s")));
  }
  auto spawnedUs = test::nowUs();
  admin.awaitChildren(latch, static_cast<std::size_t>(count),
                      test::scaled(std::chrono::seconds(120)));
  auto queuedUs = test::nowUs();
  auto [leader, grantedUs] = awaitGranted(all, t0);
  std::vector<double> latencies, requests;
  for (int rep = 0; rep < reps; ++rep) {
    auto before = serverRequests();
    auto from = test::nowUs();
    all[leader]->send("release");
    auto [next, at] = awaitGranted(all, from);
    latencies.push_back(msSinceUs(from, at));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    requests.push_back(static_cast<double>(serverRequests() - before - 3));
    all[leader]->send("rejoin");
    admin.awaitChildren(latch, static_cast<std::size_t>(count));
    leader = next;
  }
  for (auto& p : all)
    p->send("quit");
  for (auto& p : all)
    p->wait(test::scaled(std::chrono::seconds(30)));
  admin.removeTree(std::string(kBenchRoot) + "/" + cluster);

  auto n = std::to_string(count);
  note(n + " processes spawned in " + fixed(msSinceUs(t0, spawnedUs), 0) + " ms");
  row(n + " processes: first spawn -> leader granted", "ms", {msSinceUs(t0, grantedUs)});
  row(n + " processes: first spawn -> election settled (leader granted, all queued)", "ms",
      {msSinceUs(t0, std::max(queuedUs, grantedUs))});
  row(n + " processes: graceful handover (release -> next granted)", "ms", latencies);
  row(n + " processes: requests per handover (mntr, whole ensemble)", "requests", requests);
  return 0;
}

}  // namespace baton::bench
