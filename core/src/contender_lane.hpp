#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>

#include <spdlog/logger.h>
#include <boost/asio/any_io_executor.hpp>

#include "baton/leader_contender.hpp"
#include "baton/support/executor_thread.hpp"
#include "baton/support/serial_callback_queue.hpp"
#include "contender_channel.hpp"
#include "contender_mailbox.hpp"

namespace baton::detail {

// One contender's way to its callbacks: a ContenderMailbox (so what waits stays short), a
// SerialCallbackQueue (one at a time, in order, synchronous close), and, unless the
// application supplied an executor, a thread of its own. With its own thread, nothing but this
// contender's earlier callbacks can delay its revoke: another contender blocking in a callback
// holds another thread.
//
// Thread-safety: every method may be called from any thread, including from inside this
// contender's callbacks. Its mutex is a leaf: held for bookkeeping only, never while the
// contender or the grant check runs; it may be taken while the caller holds the service's
// mutex (never the other way round). Create through create().
class ContenderLane : public std::enable_shared_from_this<ContenderLane> {
 public:
  // Asked when a grant is about to be delivered: is this leadership still current? (It may
  // have ended while the grant waited.) Called on the lane's thread, without the lane's lock.
  using GrantCheck = std::function<bool(const LeaderSessionId&)>;

  // executor: where callbacks run, shared with others; empty: on a thread the lane owns,
  // named threadName (at most 15 characters are kept), joined by close().
  static std::shared_ptr<ContenderLane> create(
      LeaderContender& contender, GrantCheck stillCurrent,
      const std::optional<boost::asio::any_io_executor>& executor, std::string name,
      std::shared_ptr<spdlog::logger> logger);
  ~ContenderLane();
  ContenderLane(const ContenderLane&) = delete;
  ContenderLane& operator=(const ContenderLane&) = delete;

  // Leadership facts for the contender; ignored after close().
  void grant(const LeaderSessionId& id);
  void revoke();
  void error(const std::system_error& error);

  // Runs fn on the calling thread while none of the contender's callbacks runs (see
  // SerialCallbackQueue::runExclusive).
  void runExclusive(const std::function<void()>& fn);

  // Queues fn behind the contender's callbacks (runAsyncIfLeader). Dropped (destroyed unrun)
  // after close(), or when close() comes before its turn.
  void post(std::function<void()> fn);

  // The calling thread is running one of this contender's callbacks.
  bool inCallback() const;

  // Ends delivery: events not yet delivered are dropped, the contender is revoked if it was
  // granted, then `after` runs (may be empty) - on the calling thread, or, from inside one of
  // the contender's callbacks, right after that callback (then close does not wait). The
  // lane's own thread is joined, or, from inside a callback, ends by itself after `after`.
  // Idempotent.
  void close(std::function<void()> after) noexcept;

 private:
  ContenderLane(LeaderContender& contender, GrantCheck stillCurrent,
                boost::asio::any_io_executor executor,
                std::unique_ptr<support::ExecutorThread> thread, std::string name,
                std::shared_ptr<spdlog::logger> logger);
  void scheduleLocked();
  void deliverNext();

  ContenderChannel channel_;  // touched only by callbacks of queue_
  GrantCheck stillCurrent_;
  const std::string name_;
  std::shared_ptr<spdlog::logger> logger_;
  std::unique_ptr<support::ExecutorThread> thread_;  // null on an application executor
  std::shared_ptr<support::SerialCallbackQueue> queue_;

  mutable std::mutex mutex_;
  ContenderMailbox mailbox_;
  bool scheduled_ = false;  // a deliverNext waits in queue_: at most one does
  bool closed_ = false;
};

}  // namespace baton::detail
