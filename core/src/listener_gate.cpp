#include "baton/support/listener_gate.hpp"

namespace baton::support {

bool ListenerGate::invoke(const std::function<void()>& fn) {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return !inCall_ || closed_; });
  if (closed_)
    return false;
  inCall_ = true;
  callThread_ = std::this_thread::get_id();
  lock.unlock();
  try {
    fn();
  } catch (...) {
    lock.lock();
    inCall_ = false;
    idle_.notify_all();
    throw;
  }
  lock.lock();
  inCall_ = false;
  idle_.notify_all();
  return true;
}

void ListenerGate::close() noexcept {
  std::unique_lock lock(mutex_);
  closed_ = true;
  idle_.notify_all();
  if (inCall_ && callThread_ == std::this_thread::get_id())
    return;
  idle_.wait(lock, [this] { return !inCall_; });
}

bool ListenerGate::isClosed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

}  // namespace baton::support
