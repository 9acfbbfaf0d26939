#include "shutdown_signals.hpp"

#include <csignal>

namespace baton::cli {

ShutdownSignals::ShutdownSignals(boost::asio::io_context& io) : set_(io, SIGINT, SIGTERM) {}

void ShutdownSignals::asyncWait(std::function<void(int)> onSignal) {
  set_.async_wait([this, onSignal = std::move(onSignal)](const boost::system::error_code& ec,
                                                         int signalNumber) {
    if (ec || cancelled_)
      return;
    onSignal(signalNumber);
  });
}

void ShutdownSignals::cancel() noexcept {
  cancelled_ = true;
  boost::system::error_code ignored;
  set_.cancel(ignored);
}

const char* signalName(int signalNumber) {
  switch (signalNumber) {
    case SIGINT:
      return "SIGINT";
    case SIGTERM:
      return "SIGTERM";
    default:
      return "signal";
  }
}

}  // namespace baton::cli
