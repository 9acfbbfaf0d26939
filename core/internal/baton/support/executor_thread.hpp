#pragma once

#include <memory>
#include <string>
#include <thread>

#include <boost/asio/any_io_executor.hpp>

namespace baton::support {

// An io_context run by one thread it owns: the default home of baton's backend I/O and of the
// callbacks of contenders and listeners when the application hands in no executor.
//
// Thread-safety: executor() and stop() may be called from any thread; stop() is idempotent and
// runs in the destructor. Handlers queued before stop() still run. It joins the thread; called
// from the thread itself (where joining would deadlock) it detaches it instead, and the thread
// ends, freeing what it owns, right after the handlers queued before stop() have run.
class ExecutorThread {
 public:
  explicit ExecutorThread(std::string name);
  ~ExecutorThread();
  ExecutorThread(const ExecutorThread&) = delete;
  ExecutorThread& operator=(const ExecutorThread&) = delete;

  boost::asio::any_io_executor executor() const;
  std::thread::id threadId() const noexcept;
  void stop() noexcept;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace baton::support
