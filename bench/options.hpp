#pragma once

#include <sstream>
#include <string>
#include <vector>

namespace baton::bench {

// What bench/run.sh passes to every benchmark: how many repetitions, how long an idle window
// lasts, and the session timeouts. Each benchmark picks its own default when a value is 0.
struct BenchOptions {
  int reps = 0;                  // --reps
  int idleSeconds = 60;          // --idle-seconds (footprint)
  int sessionTimeoutMs = 6000;   // --session-timeout-ms (latency, handover, retrieval)
  int failoverTimeoutMs = 2000;  // --failover-timeout-ms (crash failover)
  int processes = 200;           // --processes (scale)
  int components = 1000;         // --components (scale)
  std::string participants;      // --participants 5,100,200 (handover, process-handover)

  // The participant counts of --participants, or `fallback` without it.
  std::vector<int> participantsOr(std::vector<int> fallback) const {
    if (participants.empty())
      return fallback;
    std::vector<int> counts;
    std::stringstream list(participants);
    std::string item;
    while (std::getline(list, item, ','))
      counts.push_back(std::stoi(item));
    return counts;
  }

  int repsOr(int fallback) const { return reps > 0 ? reps : fallback; }
  std::string sessionTimeout() const { return std::to_string(sessionTimeoutMs) + "ms"; }
};

}  // namespace baton::bench
