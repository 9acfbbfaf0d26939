#pragma once

// An HaMetrics double that records every report as a typed event, for the metrics unit and
// integration tests, and that can check, on every report, that no lock of the library is held
// (a probe run on another thread must get through within a deadline).

#include <chrono>
#include <condition_variable>
#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <variant>
#include <vector>

#include "baton/ha_metrics.hpp"
#include "support/deadline.hpp"

namespace baton::test::metrics {

using Clock = HaMetrics::Clock;

struct Status {
  std::string component;
  bool leading;
};
struct Transition {
  std::string component;
  HaMetrics::Transition transition;
  std::string reason;
};
struct Tenure {
  std::string component;
  std::chrono::nanoseconds tenure;
};
struct Publish {
  std::string component;
  HaMetrics::PublishResult result;
};
struct Joined {
  std::string node;
  std::size_t position;
};
struct Position {
  std::size_t position;
};
struct Left {};
struct Connection {
  ConnectionState state;
};
struct SessionTimeout {
  std::chrono::milliseconds negotiated;
};
struct Answer {
  Clock::time_point at;
};
struct Lease {
  Clock::time_point deadline;
};
struct Request {
  std::string operation;
  std::error_code result;
  std::chrono::nanoseconds latency;
};
struct Failure {
  std::string what;
};
struct Retrieval {
  std::string component;
};
struct StoreWrite {
  HaMetrics::StoreWriteResult result;
};
using Event = std::variant<Status, Transition, Tenure, Publish, Joined, Position, Left, Connection,
                           SessionTimeout, Answer, Lease, Request, Failure, Retrieval, StoreWrite>;

// Thread-safety: every method may be called from any thread.
class RecordingMetrics final : public HaMetrics {
 public:
  ~RecordingMetrics() override { setProbe(nullptr); }

  // probe is run on a thread of its own on every report, before it is recorded; it should take
  // the library's locks (e.g. call a const method of the services). If it does not return
  // within a generous deadline, the report was made under a lock: a violation is recorded
  // (the probe finishes once the lock is released; it is waited for by setProbe(nullptr)).
  // Unset the probe before destroying what it calls.
  void setProbe(std::function<void()> probe) {
    std::vector<std::future<void>> late;
    {
      std::unique_lock lock(mutex_);
      probe_ = probe ? std::make_shared<std::function<void()>>(std::move(probe)) : nullptr;
      if (!probe_) {
        idle_.wait(lock, [&] { return probing_ == 0; });
        late.swap(late_);
      }
    }
    for (auto& f : late)
      f.wait();
  }

  std::vector<std::string> violations() const {
    std::lock_guard lock(mutex_);
    return violations_;
  }
  std::vector<Event> events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }

  // The next event of kind T after the last one returned by next() (other kinds are skipped
  // over) that satisfies match; waits for it up to timeout, throws naming T's index if none.
  template <typename T>
  T next(std::function<bool(const T&)> match = nullptr,
         std::chrono::milliseconds timeout = eventTimeout()) {
    std::unique_lock lock(mutex_);
    std::optional<T> found;
    const bool ok = changed_.wait_for(lock, timeout, [&] {
      for (; cursor_ < events_.size(); ++cursor_) {
        const auto* e = std::get_if<T>(&events_[cursor_]);
        if (e && (!match || match(*e))) {
          found = *e;
          ++cursor_;
          return true;
        }
      }
      return false;
    });
    if (!ok) {
      throw std::runtime_error("no metrics event of kind " + std::to_string(Event(T{}).index()) +
                               " arrived in time");
    }
    return *found;
  }

  // Waits until at least n events of kind T that satisfy match were recorded; false after
  // timeout. Leaves next()'s place unchanged.
  template <typename T>
  bool awaitCount(std::size_t n, std::function<bool(const T&)> match = nullptr,
                  std::chrono::milliseconds timeout = eventTimeout()) {
    return waitUntil(
        [&](const std::vector<Event>& events) {
          std::size_t count = 0;
          for (const auto& e : events) {
            const auto* t = std::get_if<T>(&e);
            count += t && (!match || match(*t)) ? 1 : 0;
          }
          return count >= n;
        },
        timeout);
  }

  // Waits until done(events so far) holds; false after timeout.
  bool waitUntil(const std::function<bool(const std::vector<Event>&)>& done,
                 std::chrono::milliseconds timeout = eventTimeout()) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return done(events_); });
  }

  // --- HaMetrics ----------------------------------------------------------------------------
  void onLeaderStatus(std::string_view component, bool leading) override {
    record(Status{std::string(component), leading});
  }
  void onLeadershipTransition(std::string_view component, HaMetrics::Transition transition,
                              std::string_view reason) override {
    record(metrics::Transition{std::string(component), transition, std::string(reason)});
  }
  void onLeadershipTenure(std::string_view component, std::chrono::nanoseconds tenure) override {
    record(Tenure{std::string(component), tenure});
  }
  void onPublish(std::string_view component, PublishResult result) override {
    record(Publish{std::string(component), result});
  }
  void onParticipantJoined(std::string_view node, std::size_t position) override {
    record(Joined{std::string(node), position});
  }
  void onQueuePosition(std::size_t position) override { record(Position{position}); }
  void onParticipantLeft() override { record(Left{}); }
  void onConnectionState(ConnectionState state) override { record(Connection{state}); }
  void onSessionTimeout(std::chrono::milliseconds negotiated) override {
    record(SessionTimeout{negotiated});
  }
  void onAnswer(Clock::time_point at) override { record(Answer{at}); }
  void onLeaseDeadline(Clock::time_point deadline) override { record(Lease{deadline}); }
  void onRequest(std::string_view operation, std::error_code result,
                 std::chrono::nanoseconds latency) override {
    record(Request{std::string(operation), result, latency});
  }
  void onBackendFailure(const std::system_error& error) override { record(Failure{error.what()}); }
  void onRetrievalChange(std::string_view component) override {
    record(Retrieval{std::string(component)});
  }
  void onStoreWrite(StoreWriteResult result) override { record(StoreWrite{result}); }

 private:
  void record(Event event) {
    probe(event);
    std::lock_guard lock(mutex_);
    events_.push_back(std::move(event));
    changed_.notify_all();
  }

  void probe(const Event& event) {
    std::shared_ptr<std::function<void()>> probe;
    {
      std::lock_guard lock(mutex_);
      probe = probe_;
      if (!probe)
        return;
      ++probing_;
    }
    auto done = std::async(std::launch::async, [probe] {
      try {
        (*probe)();
      } catch (...) {  // a closed service may refuse: it answered, so no lock was held
      }
    });
    const bool answered =
        done.wait_for(scaled(std::chrono::seconds(5))) == std::future_status::ready;
    std::lock_guard lock(mutex_);
    if (!answered) {
      violations_.push_back("report of kind " + std::to_string(event.index()) +
                            " made while a library lock was held");
      // Not waited for here: it needs the lock our caller holds.
      late_.push_back(std::move(done));
    }
    --probing_;
    idle_.notify_all();
  }

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::condition_variable idle_;
  std::vector<Event> events_;
  std::size_t cursor_ = 0;
  std::shared_ptr<std::function<void()>> probe_;
  int probing_ = 0;
  std::vector<std::future<void>> late_;
  std::vector<std::string> violations_;
};

}  // namespace baton::test::metrics
