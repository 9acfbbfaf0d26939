#pragma once

#include <atomic>
#include <future>

#include <catch2/catch.hpp>

#include "support/deadline.hpp"

namespace baton::test {

// Holds a callback until the test lets it go: the first block() waits for release(), later
// ones pass at once. A test declares the gate before what calls it and takes a releaseOnExit()
// guard after it, so that a failing check never leaves a callback (and with it a close())
// hanging.
//
// Thread-safety: block() from any one callback thread, the rest from any thread.
class CallbackGate {
 public:
  void block() {
    if (entered_.exchange(true))
      return;
    enteredPromise_.set_value();
    released_.wait();
  }
  // Requires the first block() to have started within the event deadline.
  void awaitEntered() {
    REQUIRE(enteredFuture_.wait_for(eventTimeout()) == std::future_status::ready);
  }
  void release() {
    if (!releasedOnce_.exchange(true))
      release_.set_value();
  }

  struct Releaser {
    CallbackGate& gate;
    ~Releaser() { gate.release(); }
  };
  [[nodiscard]] Releaser releaseOnExit() { return Releaser{*this}; }

 private:
  std::atomic<bool> entered_{false};
  std::atomic<bool> releasedOnce_{false};
  std::promise<void> enteredPromise_;
  std::future<void> enteredFuture_ = enteredPromise_.get_future();
  std::promise<void> release_;
  std::shared_future<void> released_ = release_.get_future().share();
};

}  // namespace baton::test
