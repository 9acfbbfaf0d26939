#pragma once

// CPU use of whole processes and of their busiest thread over a window, from /proc, for the
// tests that check nothing busy-waits (docs/reliability.md). The window is a measurement, not
// a wait for an event.
#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <thread>
#include <vector>

// The benchmarks' reader of /proc/<pid>/stat and /proc/<pid>/task/*/stat.
#include "../../bench/proc_stats.hpp"

namespace baton::test {

// A spinning thread uses ~1.0 of a core; an idle one well under 0.01. Asserted bounds sit far
// above idle so that a slow or sanitized build never trips them; the figures are printed.
inline constexpr double kSpinningShare = 0.25;

// The share of one core `pid` used over `window`.
inline double coreShare(pid_t pid, std::chrono::milliseconds window) {
  double before = bench::sampleProcess(pid).cpuSeconds;
  auto start = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(window);
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return (bench::sampleProcess(pid).cpuSeconds - before) / elapsed;
}

struct BusiestThread {
  double share = 0;  // of one core, over the window
  std::string who;   // "<pid>/<thread name>"
};

// The single busiest thread of any of pids over `window` (threads born during it count from 0).
inline BusiestThread busiestThread(const std::vector<pid_t>& pids,
                                   std::chrono::milliseconds window) {
  std::map<pid_t, std::map<pid_t, bench::ThreadSample>> before;
  for (auto pid : pids)
    before[pid] = bench::sampleThreads(pid);
  auto start = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(window);
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  BusiestThread busiest;
  for (auto pid : pids) {
    for (const auto& [tid, after] : bench::sampleThreads(pid)) {
      auto old = before[pid].find(tid);
      double used = after.cpuSeconds - (old == before[pid].end() ? 0 : old->second.cpuSeconds);
      if (used / elapsed >= busiest.share)
        busiest = {used / elapsed, std::to_string(pid) + "/" + after.name};
    }
  }
  return busiest;
}

}  // namespace baton::test
