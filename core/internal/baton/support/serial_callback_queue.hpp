#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include <spdlog/logger.h>
#include <boost/asio/any_io_executor.hpp>

namespace baton::support {

// Runs the callbacks of one contender or listener one at a time, in order, on an executor,
// and lets close() end them synchronously: after close() returns no callback of the queue
// runs, except the final one close() hands in. This is what lets the library promise "no
// callback after close" without ever blocking an executor thread: a drain that finds the
// queue busy returns and is rescheduled by whoever releases it.
//
// Thread-safety: all methods may be called from any thread, including from inside a callback
// of the same queue (then nothing waits). Create through std::make_shared.
class SerialCallbackQueue : public std::enable_shared_from_this<SerialCallbackQueue> {
 public:
  SerialCallbackQueue(boost::asio::any_io_executor executor,
                      std::shared_ptr<spdlog::logger> logger);

  // Queues fn behind every earlier callback. Returns false (and drops fn) after close().
  bool post(std::function<void()> fn);

  // Runs fn on the calling thread while no queued callback runs: waits for a running one to
  // return first, unless the calling thread is inside a callback of this queue.
  void runExclusive(const std::function<void()>& fn);

  // Stops the queue: callbacks not yet started are dropped; then `last` (may be empty) runs
  // exclusively on the calling thread; from inside a callback of this queue it runs right
  // after that callback instead, and close() does not wait. Idempotent: a second call does
  // nothing, not even its `last`.
  void close(std::function<void()> last) noexcept;

  // The calling thread is running a callback of this queue.
  bool inCallback() const;

 private:
  void scheduleDrainLocked();
  void drain();
  void acquireLocked(std::unique_lock<std::mutex>& lock);
  void releaseLocked();
  void invokeGuarded(const std::function<void()>& fn) noexcept;

  boost::asio::any_io_executor executor_;
  std::shared_ptr<spdlog::logger> logger_;
  mutable std::mutex mutex_;
  std::condition_variable idle_;
  std::deque<std::function<void()>> pending_;
  bool busy_ = false;
  std::thread::id busyThread_;
  bool drainScheduled_ = false;
  bool closed_ = false;
};

}  // namespace baton::support
