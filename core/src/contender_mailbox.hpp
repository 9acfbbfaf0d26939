#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <variant>

#include "baton/leader_session_id.hpp"
#include "owned_system_error.hpp"

namespace baton::detail {

// The events a contender has not been handed yet, kept short whatever the driver does while
// the contender is busy: a callback that blocks for a minute during a thousand leadership
// flips must come back to a few events that end in the current state, not to a thousand.
//
// Reductions (sans-io; each takes the events in arrival order):
//   grant  - replaces an undelivered grant (a second grant without a revoke between);
//   revoke - cancels an undelivered grant: the contender never hears of leadership that is
//            already over, and the revoke it would have needed is not due either. With no
//            undelivered grant it is queued once (a second one would have nothing to revoke);
//   error  - replaces an undelivered error and takes its place at the end: errors are
//            reports, the latest one says what holds now.
// So at most one event of each kind waits, and a waiting revoke always precedes a waiting
// grant: what reaches the contender is a subsequence of [revoke, grant, error] in some order
// that never grants before revoking.
//
// Thread-safety: none; the owner guards it.
class ContenderMailbox {
 public:
  struct Grant {
    LeaderSessionId id;
  };
  struct Revoke {};
  struct Error {
    ErrorCopy error;
  };
  using Event = std::variant<Grant, Revoke, Error>;

  void grant(const LeaderSessionId& id);
  void revoke();
  // Returns whether it replaced an error that was not delivered yet.
  bool error(const ErrorCopy& error);

  // The next event to hand to the contender, in order; nullopt when none waits.
  std::optional<Event> take();
  void clear() noexcept { events_.clear(); }
  bool empty() const noexcept { return events_.empty(); }
  std::size_t size() const noexcept { return events_.size(); }

 private:
  template <typename Kind>
  bool removeWaiting();

  std::deque<Event> events_;  // at most one of each kind
};

}  // namespace baton::detail
