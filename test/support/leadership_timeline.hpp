#pragma once

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "support/elect_process.hpp"

namespace baton::test {

// Who led when, across several `baton elect` processes, from their own logs (one machine, one
// clock): overlaps (two leaders) and leaderless gaps.
//
// A process that was frozen (SIGSTOP) executed nothing while stopped; when its first
// leadership event after SIGCONT is a revoke (its lease ran out: checked before it acts on
// anything), its leadership ended, in effect, when it was stopped: addFreeze() cuts its
// interval there. A process that rode the freeze out and left later (`released`) led through
// it. A SIGKILLed process's open interval ends at
// its kill (addKill()).
class LeadershipTimeline {
 public:
  void addFreeze(const std::string& who, long long stopUs, long long contUs) {
    freezes_.push_back({who, stopUs, contUs});
  }
  void addKill(const std::string& who, long long killUs) { kills_[who].push_back(killUs); }

  // Intervals of one process's log (one incarnation per ElectProcess object).
  void addLog(const std::string& who, const std::vector<ElectEvent>& events, long long openEndUs) {
    long long from = -1;
    for (std::size_t i = 0; i < events.size(); ++i) {
      const auto& e = events[i];
      if (e.event == "granted" && from < 0)
        from = e.tsUs;
      if ((e.event == "revoked" || e.event == "exit") && from >= 0) {
        intervals_.push_back({who, from, cutAtFreeze(who, from, e.tsUs, events, i)});
        from = -1;
      }
    }
    if (from >= 0)
      intervals_.push_back({who, from, endOfOpen(who, from, openEndUs)});
  }
  void add(const ElectProcess& p, long long openEndUs) { addLog(p.name(), p.history(), openEndUs); }

  const std::vector<LeaderInterval>& intervals() const { return intervals_; }
  std::string firstOverlap() const { return baton::test::firstOverlap(intervals_); }

  // The longest time within [fromUs, toUs] when nobody led.
  long long longestGapUs(long long fromUs, long long toUs) const {
    auto sorted = intervals_;
    std::sort(sorted.begin(), sorted.end(),
              [](const auto& a, const auto& b) { return a.fromUs < b.fromUs; });
    long long covered = fromUs;
    long long longest = 0;
    for (const auto& interval : sorted) {
      if (interval.toUs <= covered)
        continue;
      if (interval.fromUs > toUs)
        break;
      longest = std::max(longest, interval.fromUs - covered);
      covered = std::max(covered, interval.toUs);
    }
    return std::max(longest, toUs - covered);
  }

 private:
  struct Freeze {
    std::string who;
    long long stopUs;
    long long contUs;
  };

  // A revoke printed after a resume ends the interval at the stop that preceded it, if the
  // revoke was the first leadership event after that resume. Only the last freeze before the
  // revoke can be its cause: the process rode out any earlier one (it stayed leader, and a
  // leader that keeps its lease prints nothing), so cutting there would invent a gap.
  long long cutAtFreeze(const std::string& who, long long from, long long revokedUs,
                        const std::vector<ElectEvent>& events, std::size_t revokeIndex) const {
    const Freeze* last = nullptr;
    for (const auto& f : freezes_) {
      if (f.who == who && f.stopUs >= from && f.contUs <= revokedUs &&
          (!last || f.stopUs > last->stopUs)) {
        last = &f;
      }
    }
    if (!last || events[revokeIndex].reason == "released")
      return revokedUs;
    for (std::size_t j = 0; j < revokeIndex; ++j) {
      const auto& e = events[j];
      if (e.tsUs >= last->contUs &&
          (e.event == "granted" || e.event == "confirmed" || e.event == "write"))
        return revokedUs;
    }
    return last->stopUs;
  }
  long long endOfOpen(const std::string& who, long long from, long long openEndUs) const {
    auto it = kills_.find(who);
    if (it == kills_.end())
      return openEndUs;
    for (long long killed : it->second) {
      if (killed >= from)
        return std::min(killed, openEndUs);
    }
    return openEndUs;
  }

  std::vector<Freeze> freezes_;
  std::map<std::string, std::vector<long long>> kills_;
  std::vector<LeaderInterval> intervals_;
};

// Waits until predicate() holds, re-checking the processes' logs every 20 ms; false at the
// deadline. For outcomes spread over several processes' logs (ElectProcess::await follows one).
inline bool waitUntil(const std::function<bool()>& predicate, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!predicate()) {
    if (std::chrono::steady_clock::now() >= deadline)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

}  // namespace baton::test
