// Footprint of an idle `baton elect` process (the leader, connected, nothing happening):
// resident memory, threads and CPU over a window (default a minute), sampled from
// /proc/<pid>/status and /proc/<pid>/stat once a second; wake-ups from the voluntary context
// switches of all its threads.
#include <dirent.h>

#include <algorithm>
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
  progress("footprint of an idle `baton elect` over " + std::to_string(seconds) + " s");
  auto cluster = test::uniqueClusterId("footprint");
  test::ElectProcess process("idle", electArgs(cluster, options.sessionTimeout()));
  process.await("granted", test::scaled(std::chrono::seconds(30)));
  process.await("confirmed");
  std::this_thread::sleep_for(std::chrono::seconds(1));  // let the start-up settle
  auto first = sampleProcess(process.pid());
  auto firstWakeups = wakeups(process.pid());
  std::vector<double> rss, threads;
  ProcSample last = first;
  for (int s = 0; s < seconds; ++s) {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    last = sampleProcess(process.pid());
    rss.push_back(static_cast<double>(last.rssKiB) / 1024.0);
    threads.push_back(last.threads);
  }
  double cpuPercent = (last.cpuSeconds - first.cpuSeconds) / seconds * 100.0;
  double wakeupsPerSecond =
      static_cast<double>(wakeups(process.pid()) - firstWakeups) / static_cast<double>(seconds);
  quit(process);
  test::AdminClient().removeTree(std::string(kBenchRoot) + "/" + cluster);

  auto r = row("footprint, idle `baton elect`: resident memory (VmRSS, 1 s samples)", "MiB", rss);
  auto t = row("footprint, idle `baton elect`: threads", "threads", threads);
  row("footprint, idle `baton elect`: CPU over " + std::to_string(seconds) + " s", "%",
      {cpuPercent});
  row("footprint, idle `baton elect`: wake-ups (voluntary context switches, all threads)", "per s",
      {wakeupsPerSecond});
  target("idle `baton elect`: resident memory", "max " + fixed(r.max) + " MiB", "<= 10 MiB",
         r.max <= 10.0);
  target("idle `baton elect`: no busy polling",
         fixed(cpuPercent, 3) + " % CPU, " + fixed(wakeupsPerSecond, 1) + " wake-ups/s",
         "< 0.1 % CPU", cpuPercent < 0.1);
  // main, stdin reader, baton-zk, baton-callbacks (retrieval, connection state), and one
  // callback thread per started contender (docs/architecture.md): `baton elect` starts one.
  constexpr int kThreads = 4 + 1;
  target("idle `baton elect`: a small fixed number of threads",
         fixed(t.median, 0) + " (min " +
             fixed(*std::min_element(threads.begin(), threads.end()), 0) + ", max " +
             fixed(t.max, 0) + ")",
         "fixed, <= 4 + 1 per contender", t.max <= kThreads && t.max == t.median);
  return 0;
}

}  // namespace baton::bench
