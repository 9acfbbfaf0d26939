#include "baton/support/serial_callback_queue.hpp"

#include <exception>

#include <boost/asio/post.hpp>

namespace baton::support {
namespace {
// Callbacks run per drain before the queue yields its executor thread to other work.
constexpr int kBatchLimit = 16;
}  // namespace

SerialCallbackQueue::SerialCallbackQueue(boost::asio::any_io_executor executor,
                                         std::shared_ptr<spdlog::logger> logger)
    : executor_(std::move(executor)), logger_(std::move(logger)) {}

bool SerialCallbackQueue::post(std::function<void()> fn) {
  std::lock_guard lock(mutex_);
  if (closed_)
    return false;
  pending_.push_back(std::move(fn));
  scheduleDrainLocked();
  return true;
}

void SerialCallbackQueue::runExclusive(const std::function<void()>& fn) {
  std::unique_lock lock(mutex_);
  if (busy_ && busyThread_ == std::this_thread::get_id()) {
    lock.unlock();
    fn();  // already exclusive: we are inside one of this queue's callbacks
    return;
  }
  acquireLocked(lock);
  lock.unlock();
  try {
    fn();
  } catch (...) {
    lock.lock();
    releaseLocked();
    throw;
  }
  lock.lock();
  releaseLocked();
}

void SerialCallbackQueue::close(std::function<void()> last) noexcept {
  // Declared before the lock, so destroyed after it is released: for the same reason as in
  // drain(), dropped callbacks must not be destroyed under the lock.
  std::deque<std::function<void()>> dropped;
  std::unique_lock lock(mutex_);
  if (closed_)
    return;
  closed_ = true;
  dropped.swap(pending_);
  if (!last)
    return;
  if (busy_ && busyThread_ == std::this_thread::get_id()) {
    // Inside our own callback: waiting would deadlock, so `last` runs right after it.
    pending_.push_back(std::move(last));
    return;
  }
  acquireLocked(lock);
  lock.unlock();
  invokeGuarded(last);
  lock.lock();
  releaseLocked();
}

bool SerialCallbackQueue::inCallback() const {
  std::lock_guard lock(mutex_);
  return busy_ && busyThread_ == std::this_thread::get_id();
}

void SerialCallbackQueue::scheduleDrainLocked() {
  if (busy_ || drainScheduled_ || pending_.empty())
    return;
  drainScheduled_ = true;
  boost::asio::post(executor_, [self = shared_from_this()] { self->drain(); });
}

void SerialCallbackQueue::drain() {
  std::unique_lock lock(mutex_);
  drainScheduled_ = false;
  // Busy means runExclusive or close holds the queue on another thread; never block an
  // executor thread on it: whoever releases the queue schedules the next drain.
  if (busy_ || pending_.empty())
    return;
  busy_ = true;
  busyThread_ = std::this_thread::get_id();
  // Once closed, only close()'s final callback can be pending: it runs in this drain, after
  // the callback that called close(), even past the batch limit, so that an executor thread
  // stopped by that same callback cannot lose it.
  for (int n = 0; (n < kBatchLimit || closed_) && !pending_.empty(); ++n) {
    auto fn = std::move(pending_.front());
    pending_.pop_front();
    lock.unlock();
    invokeGuarded(fn);
    // Released before the lock is taken again: a callback may hold the last reference to
    // this queue's owner, whose destructor closes the queue.
    fn = nullptr;
    lock.lock();
  }
  releaseLocked();
}

void SerialCallbackQueue::acquireLocked(std::unique_lock<std::mutex>& lock) {
  idle_.wait(lock, [this] { return !busy_; });
  busy_ = true;
  busyThread_ = std::this_thread::get_id();
}

void SerialCallbackQueue::releaseLocked() {
  busy_ = false;
  busyThread_ = {};
  idle_.notify_all();
  scheduleDrainLocked();
}

void SerialCallbackQueue::invokeGuarded(const std::function<void()>& fn) noexcept {
  // A throwing callback must not take the executor thread (or the host) down with it.
  try {
    fn();
  } catch (const std::exception& e) {
    logger_->error("a callback threw and the exception was dropped: {}", e.what());
  } catch (...) {
    logger_->error("a callback threw a non-standard exception; dropped");
  }
}

}  // namespace baton::support
