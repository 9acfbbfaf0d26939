#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace baton::support {

// Lets a driver promise "no listener call starts after close() returned": every call into the
// listener goes through invoke(), and close() waits for an in-flight one (unless close() is
// called from inside it, where waiting would deadlock).
//
// Thread-safety: callable from any thread; invoke() calls are serialized by the gate.
class ListenerGate {
 public:
  // Runs fn unless the gate is closed; returns whether it ran.
  bool invoke(const std::function<void()>& fn);
  // Idempotent.
  void close() noexcept;
  bool isClosed() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable idle_;
  bool closed_ = false;
  bool inCall_ = false;
  std::thread::id callThread_;
};

}  // namespace baton::support
