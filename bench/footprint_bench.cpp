// Footprint of an idle `baton elect` process (the leader, connected, nothing happening):
// resident memory, threads and CPU over a window (default a minute), sampled from
// /proc/<pid>/status and /proc/<pid>/stat once a second; wake-ups from the voluntary context
// switches of all its threads.
#include <dirent.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "benchmarks.hpp"
#include "proc_stats.hpp"
#include "processes.hpp"

namespace baton::bench {
namespace {

// Voluntary context switches summed over every thread of pid: each is one wake-up.
long long wakeups(pid_t pid) {
  long long sum = 0;
  auto taskDir = "/proc/" + std::to_string(pid) + "/task";
  DIR* dir = ::opendir(taskDir.c_str());
  if (!dir)
    return 0;
  while (dirent* entry = ::readdir(dir)) {
    if (entry->d_name[0] == '.')
      continue;
    std::ifstream status(taskDir + "/" + entry->d_name + "/status");
    std::string line;
    while (std::getline(status, line)) {
      if (line.rfind("voluntary_ctxt_switches:", 0) == 0)
        sum += std::stoll(line.substr(24));
    }
  }
  ::closedir(dir);
  return sum;
}

}  // namespace

int runFootprint(const BenchOptions& options) {
  const int seconds = options.idleSeconds;
  // The lease keepalive's rate follows the tick the processes assume (docs/reliability.md).
  const char* tickEnv = std::getenv("BATON_HA_ZOOKEEPER_TICK_TIME");
  const std::string tick = std::string(", tick ") + (tickEnv ? tickEnv : "2s (default)");
  progress("footprint of an idle `baton elect` over " + std::to_string(seconds) + " s");
  auto cluster = test::uniqueClusterId("footprint");
  test::ElectProcess process("idle", electArgs(cluster, options.sessionTimeout()));
  process.await("granted", test::scaled(std::chrono::seconds(30)));
  process.await("confirmed");
  // Two more participants: the one next in line, and one behind it whose only traffic is the
  // C client's pings (issue 12): what any idle ZooKeeper session costs on this machine.
  test::ElectProcess next("next", electArgs(cluster, options.sessionTimeout()));
  test::ElectProcess waiting("waiting", electArgs(cluster, options.sessionTimeout()));
  next.await("joined", test::scaled(std::chrono::seconds(30)));
  waiting.await("joined", test::scaled(std::chrono::seconds(30)));
  std::this_thread::sleep_for(std::chrono::seconds(1));  // let the start-up settle
  auto first = sampleProcess(process.pid());
  auto firstWakeups = wakeups(process.pid());
  auto firstOnCpu = onCpuSeconds(process.pid());
  auto waitingWakeups = wakeups(waiting.pid());
  auto waitingOnCpu = onCpuSeconds(waiting.pid());
  std::vector<double> rss, threads;
  ProcSample last = first;
  for (int s = 0; s < seconds; ++s) {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    last = sampleProcess(process.pid());
    rss.push_back(static_cast<double>(last.rssKiB) / 1024.0);
    threads.push_back(last.threads);
  }
  double cpuPercent = (last.cpuSeconds - first.cpuSeconds) / seconds * 100.0;
  double cpuMsPer10s = (onCpuSeconds(process.pid()) - firstOnCpu) * 1000.0 * 10.0 / seconds;
  double wakeupsPerSecond =
      static_cast<double>(wakeups(process.pid()) - firstWakeups) / static_cast<double>(seconds);
  double waitingCpuMsPer10s =
      (onCpuSeconds(waiting.pid()) - waitingOnCpu) * 1000.0 * 10.0 / seconds;
  double waitingWakeupsPerSecond =
      static_cast<double>(wakeups(waiting.pid()) - waitingWakeups) / static_cast<double>(seconds);
  quit(waiting);
  quit(next);
  quit(process);
  test::AdminClient().removeTree(std::string(kBenchRoot) + "/" + cluster);

  auto r = row("footprint, idle `baton elect`: resident memory (VmRSS, 1 s samples)", "MiB", rss);
  auto t = row("footprint, idle `baton elect`: threads", "threads", threads);
  row("footprint, idle `baton elect`: CPU over " + std::to_string(seconds) + " s", "%",
      {cpuPercent});
  row("footprint, idle `baton elect`: time on CPU (schedstat, all threads)" + tick, "ms per 10 s",
      {cpuMsPer10s});
  row("footprint, idle `baton elect`: wake-ups (voluntary context switches, all threads)" + tick,
      "per s", {wakeupsPerSecond});
  target("idle `baton elect`: resident memory", "max " + fixed(r.max) + " MiB", "<= 10 MiB",
         r.max <= 10.0);
  row("footprint, idle `baton elect` waiting behind the next in line (C client pings only): time "
      "on CPU" +
          tick,
      "ms per 10 s", {waitingCpuMsPer10s});
  row("footprint, idle `baton elect` waiting behind the next in line: wake-ups" + tick, "per s",
      {waitingWakeupsPerSecond});
  // Issue 12: an idle leader costs under 1 ms of CPU per 10 s and under 10 wake-ups a second.
  // Its lease keepalive sends a sync every min(tick/2, T/6) (docs/reliability.md): the
  // servers' tick (ha.zookeeper.tick-time) sets the rate.
  target("idle `baton elect` leader: CPU and wake-ups (issue 12)" + tick,
         fixed(cpuMsPer10s, 2) + " ms CPU per 10 s, " + fixed(wakeupsPerSecond, 1) + " wake-ups/s",
         "< 1 ms per 10 s, < 10 wake-ups/s", cpuMsPer10s < 1.0 && wakeupsPerSecond < 10.0);
  // main, stdin reader, baton-zk, baton-callbacks (retrieval, connection state), the CLI's
  // print lane (joined and position events, which the library reports on its I/O thread), and
  // one callback thread per started contender (docs/architecture.md): `baton elect` starts one.
  constexpr int kThreads = 5 + 1;
  target("idle `baton elect`: a small fixed number of threads",
         fixed(t.median, 0) + " (min " +
             fixed(*std::min_element(threads.begin(), threads.end()), 0) + ", max " +
             fixed(t.max, 0) + ")",
         "fixed, <= 5 + 1 per contender", t.max <= kThreads && t.max == t.median);
  return 0;
}

}  // namespace baton::bench
