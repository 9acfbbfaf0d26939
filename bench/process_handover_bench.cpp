// Graceful handover as users see it: N `baton elect --json` processes (5, 100, 200 by default,
// --participants), the leader told `release` on its stdin, the next process's printed
// `granted` (its own timestamp); the old leader is told `rejoin` and queues at the back. In the
// same run, on the same ensemble, the raw C-client floor (zk_floor.hpp), and each row's median
// as a multiple of it. Also the watch notifications the servers sent per handover to the
// children's connections (`stat`: sent - recved), split into the leaver's, the successor's and
// everyone else's.
#include <map>
#include <set>
#include <thread>

#include "benchmarks.hpp"
#include "processes.hpp"
#include "zk_counters.hpp"
#include "zk_floor.hpp"

namespace baton::bench {
namespace {

// The sessions of the children: 30 s, as in the 200-process benchmark, so that 200 sessions'
// keepalives stay a small part of the servers' work.
constexpr const char* kSessionTimeout = "30s";

struct Notifications {
  std::vector<double> total, leaver, successor, others;
};

// Watch notifications per child over a window: sent - recved of its connections.
std::map<std::size_t, long long> notificationsByChild(
    const std::map<int, std::size_t>& childOfPort, const std::map<int, ConnectionCounts>& before,
    const std::map<int, ConnectionCounts>& after) {
  std::map<std::size_t, long long> byChild;
  for (const auto& [port, counts] : after) {
    auto was = before.count(port) ? before.at(port) : ConnectionCounts{};
    byChild[childOfPort.at(port)] += (counts.sent - was.sent) - (counts.recved - was.recved);
  }
  return byChild;
}

void measure(int n, int reps, double floorMedian) {
  progress(std::to_string(n) + " `baton elect` processes, " + std::to_string(reps) + " handovers");
  auto cluster = test::uniqueClusterId("process-handover");
  auto latch = std::string(kBenchRoot) + "/" + cluster + "/leader/latch";
  test::AdminClient admin;
  auto t0 = test::nowUs();
  Processes all;
  for (int i = 0; i < n; ++i) {
    all.push_back(std::make_unique<test::ElectProcess>("h" + std::to_string(i),
                                                       electArgs(cluster, kSessionTimeout)));
  }
  admin.awaitChildren(latch, static_cast<std::size_t>(n), test::scaled(std::chrono::seconds(120)));
  auto [leader, grantedUs] = awaitGranted(all, t0);
  (void)grantedUs;

  std::map<int, std::size_t> childOfPort;
  std::set<int> ports;
  for (std::size_t i = 0; i < all.size(); ++i) {
    for (int port : localPortsOf({std::to_string(all[i]->pid())})) {
      childOfPort[port] = i;
      ports.insert(port);
    }
  }

  std::vector<double> latencies;
  Notifications notifications;
  for (int rep = 0; rep < reps; ++rep) {
    auto before = countsByPort(ports);
    auto from = test::nowUs();
    all[leader]->send("release");
    auto [next, at] = awaitGranted(all, from);
    latencies.push_back(msSinceUs(from, at));
    // Replies and notifications still under way (the new leader's publish) land within
    // milliseconds on loopback.
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto byChild = notificationsByChild(childOfPort, before, countsByPort(ports));
    long long total = 0, others = 0;
    for (const auto& [child, count] : byChild) {
      total += count;
      if (child != leader && child != next)
        others += count;
    }
    notifications.total.push_back(static_cast<double>(total));
    notifications.leaver.push_back(static_cast<double>(byChild[leader]));
    notifications.successor.push_back(static_cast<double>(byChild[next]));
    notifications.others.push_back(static_cast<double>(others));
    all[leader]->send("rejoin");
    admin.awaitChildren(latch, static_cast<std::size_t>(n));
    leader = next;
  }
  for (auto& p : all)
    p->send("quit");
  for (auto& p : all)
    p->wait(test::scaled(std::chrono::seconds(30)));
  admin.removeTree(std::string(kBenchRoot) + "/" + cluster);

  auto name = "`baton elect` processes, " + std::to_string(n) + " participants: ";
  auto s = row(name + "graceful handover (release -> next granted)", "ms", latencies, floorMedian);
  row(name + "watch notifications per handover (all)", "notifications", notifications.total);
  row(name + "watch notifications per handover (to the leaver)", "notifications",
      notifications.leaver);
  row(name + "watch notifications per handover (to the successor)", "notifications",
      notifications.successor);
  row(name + "watch notifications per handover (to the others)", "notifications",
      notifications.others);
  double ratio = s.median / floorMedian;
  target("`baton elect` graceful handover, median within 1.2x of the floor (" + std::to_string(n) +
             " participants)",
         fixed(s.median, 3) + " ms = " + fixed(ratio) + "x floor " + fixed(floorMedian, 3) + " ms",
         "<= 1.2x", ratio <= 1.2);
}

}  // namespace

int runProcessHandover(const BenchOptions& options) {
  const int reps = options.repsOr(30);
  progress("handover floor (raw C client), " + std::to_string(reps) + " reps");
  auto floor = measureHandoverFloor(test::zkQuorum(), reps);
  auto floorSummary = row("floor (process-handover run): handover = delete + notification + list",
                          "ms", floor.handovers);
  for (int n : options.participantsOr({5, 100, 200}))
    measure(n, reps, floorSummary.median);
  return 0;
}

}  // namespace baton::bench
