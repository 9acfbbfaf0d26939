#pragma once

#include <functional>

// GCC 12 reports a false "potential null pointer dereference" inside Asio's scheduler
// (compensating_work_started, reached from signal_set) at -O2 with -Wnull-dereference; the
// pointer is the current thread's scheduler context, never null there.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#pragma GCC diagnostic pop

namespace baton::cli {

// SIGINT and SIGTERM as events on an io_context (Boost.Asio signal_set), so that the tool
// leaves the election and closes its services before exiting instead of dying with leadership
// still held until the backend notices.
//
// The handlers are installed by the constructor: a signal that arrives before anyone waits is
// kept and delivered to the first wait. While the object lives, further signals are absorbed,
// so a second SIGTERM cannot cut a graceful shutdown short.
//
// Thread-safety: use from the io_context's thread only.
class ShutdownSignals {
 public:
  explicit ShutdownSignals(boost::asio::io_context& io);

  // Calls onSignal(signal number) on the io_context's thread when SIGINT or SIGTERM arrives.
  void asyncWait(std::function<void(int signalNumber)> onSignal);
  // Drops a pending wait (its handler is not called).
  void cancel() noexcept;

 private:
  boost::asio::signal_set set_;
  bool cancelled_ = false;
};

// "SIGINT", "SIGTERM", or "signal" for any other.
const char* signalName(int signalNumber);

}  // namespace baton::cli
