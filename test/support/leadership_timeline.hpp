#pragma once

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
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
// anything) and another process was granted before that revoke, its leadership ended, in
// effect, when it was stopped: addFreeze() lets intervals() cut it there. A process that rode
// the freeze out and left later (`released`) led through it. A SIGKILLed process's open
// interval ends at its kill (addKill()).
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
        if (auto stop = freezeBefore(who, from, e.tsUs, events, i))
          frozenAt_[intervals_.size()] = *stop;
        intervals_.push_back({who, from, e.tsUs});
        from = -1;
      }
    }
    if (from >= 0)
      intervals_.push_back({who, from, endOfOpen(who, from, openEndUs)});
  }
  void add(const ElectProcess& p, long long openEndUs) { addLog(p.name(), p.history(), openEndUs); }

  // A frozen leader's interval ends at its freeze when (see above) its revoke came first after
  // the resume and another process was granted between that freeze and the revoke: the lease
  // had run out while it could not act. With no such grant it was the only one who could lead,
  // and it led until it said otherwise (a later fault may have ended it).
  std::vector<LeaderInterval> intervals() const {
    auto out = intervals_;
    for (const auto& [index, stopUs] : frozenAt_) {
      auto& frozen = out[index];
      for (const auto& other : intervals_) {
        if (other.who != frozen.who && other.fromUs >= stopUs && other.fromUs < frozen.toUs) {
          frozen.toUs = stopUs;
          break;
        }
      }
    }
    return out;
  }
  std::string firstOverlap() const { return baton::test::firstOverlap(intervals()); }

  // The longest time within [fromUs, toUs] when nobody led.
  long long longestGapUs(long long fromUs, long long toUs) const {
    auto sorted = intervals();
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

  // The stop of the last freeze before a revoke that was the first leadership event after that
  // freeze's resume; nullopt otherwise. Only the last freeze can be the cause: the process rode
  // out any earlier one (a leader that keeps its lease prints nothing).
  std::optional<long long> freezeBefore(const std::string& who, long long from, long long revokedUs,
                                        const std::vector<ElectEvent>& events,
                                        std::size_t revokeIndex) const {
    const Freeze* last = nullptr;
    for (const auto& f : freezes_) {
      if (f.who == who && f.stopUs >= from && f.contUs <= revokedUs &&
          (!last || f.stopUs > last->stopUs)) {
        last = &f;
      }
    }
    if (!last || events[revokeIndex].reason == "released")
      return std::nullopt;
    for (std::size_t j = 0; j < revokeIndex; ++j) {
      const auto& e = events[j];
      if (e.tsUs >= last->contUs &&
          (e.event == "granted" || e.event == "confirmed" || e.event == "write"))
        return std::nullopt;
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
  std::vector<LeaderInterval> intervals_;      // as logged
  std::map<std::size_t, long long> frozenAt_;  // index in intervals_ -> freezeBefore()
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
