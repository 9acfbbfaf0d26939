#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <variant>

#include "baton/leader_contender.hpp"
#include "baton/leader_retrieval_service.hpp"
#include "support/deadline.hpp"

namespace baton::test {

struct Granted {
  LeaderSessionId id;
};
struct Revoked {};
struct ErrorSeen {
  std::error_code code;
  std::string what;
};
using ContenderEvent = std::variant<Granted, Revoked, ErrorSeen>;

// A generic thread-safe event inbox with deadline-bounded waits.
template <typename Event>
class EventInbox {
 public:
  void push(Event event) {
    // Notified under the lock: the waiter may destroy the inbox as soon as it sees the event,
    // and must not do so while this call still touches the condition variable.
    std::lock_guard lock(mutex_);
    events_.push_back(std::move(event));
    ++total_;
    changed_.notify_all();
  }

  // Pops the next event, waiting up to timeout; throws when none arrives.
  Event next(std::chrono::milliseconds timeout = eventTimeout()) {
    std::unique_lock lock(mutex_);
    if (!changed_.wait_for(lock, timeout, [&] { return !events_.empty(); })) {
      throw std::runtime_error("no event within " + std::to_string(timeout.count()) + " ms");
    }
    Event e = std::move(events_.front());
    events_.pop_front();
    return e;
  }

  // Pops the next event and requires it to be a T.
  template <typename T>
  T expectNext(std::chrono::milliseconds timeout = eventTimeout()) {
    Event e = next(timeout);
    if (!std::holds_alternative<T>(e)) {
      throw std::runtime_error("unexpected event kind (index " + std::to_string(e.index()) + ")");
    }
    return std::get<T>(std::move(e));
  }

  // Skips events until a T arrives.
  template <typename T>
  T await(std::chrono::milliseconds timeout = eventTimeout()) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0)
        throw std::runtime_error("awaited event did not arrive");
      Event e = next(left);
      if (std::holds_alternative<T>(e))
        return std::get<T>(std::move(e));
    }
  }

  // True if no event is queued now (use after something that is known to have happened, e.g.
  // a later event on the same queue, to show that an earlier one did not).
  bool empty() const {
    std::lock_guard lock(mutex_);
    return events_.empty();
  }
  // Drops what is queued now; returns how many events that was.
  std::size_t drain() {
    std::lock_guard lock(mutex_);
    return std::exchange(events_, {}).size();
  }
  std::size_t total() const {
    std::lock_guard lock(mutex_);
    return total_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Event> events_;
  std::size_t total_ = 0;
};

// Records every callback as a typed event and checks the library's promises as it goes:
// never two callbacks at once, never a grant while leading, never a revoke while not leading.
class RecordingContender : public LeaderContender {
 public:
  std::function<void(const LeaderSessionId&)> onGrant;  // optional hook, runs in the callback
  std::function<void()> onRevoke;

  // Each callback pushes its event last, after its checks are done with this object: a test
  // may destroy the contender as soon as it has seen the event.
  void grantLeadership(const LeaderSessionId& id) override {
    {
      Enter enter(*this);
      if (leading_.exchange(true))
        violation("grant while already leading");
      ++grants_;
      if (onGrant)
        onGrant(id);
    }
    inbox.push(Granted{id});
  }
  void revokeLeadership() override {
    {
      Enter enter(*this);
      if (!leading_.exchange(false))
        violation("revoke while not leading");
      ++revokes_;
      if (onRevoke)
        onRevoke();
    }
    inbox.push(Revoked{});
  }
  void handleError(const std::system_error& error) override {
    { Enter enter(*this); }
    inbox.push(ErrorSeen{error.code(), error.what()});
  }

  bool isLeading() const { return leading_; }
  int grants() const { return grants_; }
  int revokes() const { return revokes_; }
  // Every broken promise seen, empty when none.
  std::string violations() const {
    std::lock_guard lock(violationMutex_);
    return violations_;
  }

  EventInbox<ContenderEvent> inbox;

 private:
  struct Enter {
    explicit Enter(RecordingContender& c) : c_(c) {
      if (c_.inCallback_.exchange(true))
        c_.violation("callbacks ran concurrently");
    }
    ~Enter() { c_.inCallback_ = false; }
    RecordingContender& c_;
  };
  void violation(const std::string& what) {
    std::lock_guard lock(violationMutex_);
    violations_ += what + "; ";
  }

  std::atomic<bool> inCallback_{false};
  std::atomic<bool> leading_{false};
  std::atomic<int> grants_{0};
  std::atomic<int> revokes_{0};
  mutable std::mutex violationMutex_;
  std::string violations_;
};

struct LeaderSeen {
  std::string address;  // empty: no leader
  LeaderSessionId id;
};
struct RetrievalError {
  std::error_code code;
};
using RetrievalEvent = std::variant<LeaderSeen, RetrievalError>;

class RecordingRetrievalListener : public LeaderRetrievalListener {
 public:
  void notifyLeaderAddress(const std::string& address, const LeaderSessionId& id) override {
    inbox.push(LeaderSeen{address, id});
  }
  void handleError(const std::system_error& error) override {
    inbox.push(RetrievalError{error.code()});
  }
  // Waits until the listener reports exactly this address (skipping intermediate values).
  LeaderSeen awaitAddress(const std::string& address,
                          std::chrono::milliseconds timeout = eventTimeout()) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      auto seen = inbox.await<LeaderSeen>(std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now()));
      if (seen.address == address)
        return seen;
    }
  }

  EventInbox<RetrievalEvent> inbox;
};

}  // namespace baton::test
