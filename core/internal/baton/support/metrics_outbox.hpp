#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <mutex>

#include "baton/ha_metrics.hpp"

namespace baton::support {

// Reports to an HaMetrics decided under a library lock and delivered after it: the owner
// pushes while it holds its lock (so the order is that of its state changes) and drains once
// it released it. The application's HaMetrics thus never runs under a lock of the library,
// as a contender never does (docs/architecture.md#metrics).
//
// One drainer at a time delivers everything queued, in order; a drain() that finds another
// thread delivering returns at once and leaves its reports to that thread, so two threads'
// reports never overtake each other, at the price that drain() may return before its own
// reports were delivered.
//
// Thread-safety: push() and drain() may be called from any thread; push() may be called with
// the owner's lock held (the outbox's own mutex is a leaf, never held while HaMetrics runs).
// drain() must not be called with any library lock held.
class MetricsOutbox {
 public:
  using Report = std::function<void(HaMetrics&)>;

  // metrics: empty means the shared no-op instance.
  explicit MetricsOutbox(std::shared_ptr<HaMetrics> metrics);

  void push(Report report);
  // Delivers the queued reports; an exception from HaMetrics is swallowed (the interface is
  // no-throw by contract and a report is not worth an election).
  void drain() noexcept;

  // For reports made with no lock held: pushed and drained at once.
  void report(Report report) {
    push(std::move(report));
    drain();
  }

  HaMetrics& metrics() const { return *metrics_; }

  // Drains when it goes out of scope. Declared before the owner's lock guard, it is destroyed
  // after it: the reports pushed under the lock go out once the lock is released, on every
  // path out of the function (returns and exceptions alike).
  class DrainAtExit {
   public:
    explicit DrainAtExit(MetricsOutbox& outbox) : outbox_(outbox) {}
    ~DrainAtExit() { outbox_.drain(); }
    DrainAtExit(const DrainAtExit&) = delete;
    DrainAtExit& operator=(const DrainAtExit&) = delete;

   private:
    MetricsOutbox& outbox_;
  };

 private:
  std::shared_ptr<HaMetrics> metrics_;
  std::mutex mutex_;
  std::deque<Report> queue_;
  bool draining_ = false;
};

}  // namespace baton::support
