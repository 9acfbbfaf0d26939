#pragma once

#include <functional>
#include <memory>

#include <spdlog/logger.h>
#include <boost/asio/any_io_executor.hpp>

#include "baton/support/listener_gate.hpp"

namespace baton::embedded::detail {

// One driver's listener calls, run asynchronously on the cluster's delivery strand and through
// a ListenerGate, so that a driver can promise "no listener call after close() returned".
// Calls run in the order they were posted; the cluster posts under its lock, so the order is
// that of the cluster's state changes.
//
// Thread-safety: post() and close() may be called from any thread; close() is idempotent and
// waits for an in-flight call unless called from inside it. Create through std::make_shared.
class ListenerMailbox : public std::enable_shared_from_this<ListenerMailbox> {
 public:
  ListenerMailbox(boost::asio::any_io_executor strand, std::shared_ptr<spdlog::logger> logger)
      : strand_(std::move(strand)), logger_(std::move(logger)) {}

  // Queues call; it is dropped if the mailbox is closed before its turn.
  void post(std::function<void()> call);
  void close() noexcept { gate_.close(); }

 private:
  void run(const std::function<void()>& call) noexcept;

  boost::asio::any_io_executor strand_;
  std::shared_ptr<spdlog::logger> logger_;
  support::ListenerGate gate_;
};

}  // namespace baton::embedded::detail
