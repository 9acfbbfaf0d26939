#pragma once

#include <memory>
#include <string>
#include <thread>

#include <boost/asio/any_io_executor.hpp>

namespace baton::support {

// An io_context run by one thread it owns: the default home of baton's backend I/O and of the
// callbacks of contenders and listeners when the application hands in no executor.
//
// Thread-safety: executor() and stop() may be called from any thread; stop() is idempotent,
// joins the thread (from the thread itself it only stops the loop), and runs in the destructor.
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
  std::unique_ptr<State> state_;
};

}  // namespace baton::support
