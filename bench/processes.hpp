#pragma once

// Child `baton elect --json` processes for the benchmarks where processes matter (start-up,
// crash failover, footprint, scale). Events carry the child's wall-clock ts_us; the
// benchmarks compare them with test::nowUs() taken here (one machine, one clock).
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "members.hpp"
#include "support/elect_process.hpp"

namespace baton::bench {

inline std::vector<std::string> electArgs(const std::string& cluster,
                                          const std::string& sessionTimeout) {
  return {"--component", "rm",
          "--address",   "127.0.0.1:9000",
          "--zk",        test::zkQuorum(),
          "--set",       "ha.cluster-id=" + cluster,
          "--set",       std::string("ha.zookeeper.root=") + kBenchRoot,
          "--set",       "ha.zookeeper.session-timeout=" + sessionTimeout};
}

inline double msSinceUs(long long fromUs, long long toUs) {
  return static_cast<double>(toUs - fromUs) / 1000.0;
}

// The negotiated session timeout (ms) from a `connected` event's detail, 0 if absent.
inline long negotiatedTimeoutMs(const test::ElectEvent& connected) {
  const std::string key = "negotiated timeout ";
  auto at = connected.raw.find(key);
  return at == std::string::npos ? 0 : std::stol(connected.raw.substr(at + key.size()));
}

// Asks a child to leave (quit on stdin) and waits for it to exit.
inline void quit(test::ElectProcess& process) {
  process.send("quit");
  process.wait();
}

using Processes = std::vector<std::unique_ptr<test::ElectProcess>>;

// The process whose latest event is a `granted` after fromUs: polls the children's logs
// (the latency itself comes from the child's own timestamp, not from this loop).
inline std::pair<std::size_t, long long> awaitGranted(const Processes& all, long long fromUs) {
  auto deadline = Clock::now() + test::scaled(std::chrono::seconds(60));
  while (Clock::now() < deadline) {
    for (std::size_t i = 0; i < all.size(); ++i) {
      for (const auto& e : all[i]->history()) {
        if (e.event == "granted" && e.tsUs >= fromUs)
          return {i, e.tsUs};
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  throw std::runtime_error("no process was granted within 60 s");
}

}  // namespace baton::bench
