#pragma once

#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

namespace counter {

// One thread running an io_context until stop() (or destruction), which waits for the handler
// in progress and drops the queued ones. The example's own: baton's threads are its internals.
// Thread-safety: executor() from any thread; stop() from any thread but the worker itself.
class WorkerThread {
 public:
  WorkerThread() : work_(io_.get_executor()), thread_([this] { io_.run(); }) {}
  ~WorkerThread() { stop(); }
  WorkerThread(const WorkerThread&) = delete;
  WorkerThread& operator=(const WorkerThread&) = delete;

  boost::asio::io_context::executor_type executor() { return io_.get_executor(); }

  void stop() noexcept {
    work_.reset();
    io_.stop();
    if (thread_.joinable())
      thread_.join();
  }

 private:
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::thread thread_;
};

}  // namespace counter
