#include "election/grant_policy.hpp"

#include "client/lease/lease_deadline.hpp"

namespace baton::zookeeper {

void GrantPolicy::onRenewal(std::optional<Clock::time_point> renewedSince) {
  if (!renewedSince || negotiatedTimeout_.count() == 0) {
    deadline_ = Clock::time_point::min();
    return;
  }
  deadline_ = detail::leaseDeadline(*renewedSince, negotiatedTimeout_, leaseMargin_);
}

GrantPolicy::Change GrantPolicy::update(const LatchView& latch, Clock::time_point now) {
  // Keeping a grant needs the latch held; a new grant needs it verified, too: after a
  // reconnect the latch is re-checked before a lapsed leader may lead again.
  bool want = !latch.closed && (granted_ ? latch.held : latch.phase == LatchPhase::held);
  want = want && leaseValid(now);
  if (policy_ == ConnectionPolicy::standard)
    want = want && !latch.suspended;
  if (want == granted_)
    return Change::none;
  granted_ = want;
  return want ? Change::grant : Change::revoke;
}

std::optional<GrantPolicy::Clock::time_point> GrantPolicy::wakeAt(const LatchView& latch,
                                                                  Clock::time_point now) const {
  if (latch.closed || !granted_ || deadline_ <= now)
    return std::nullopt;
  return deadline_;
}

KeepaliveMode GrantPolicy::keepaliveFor(const LatchView& latch) noexcept {
  if (latch.closed)
    return KeepaliveMode::none;
  // Listing too: a list may make this participant the holder (after its predecessor left, or
  // at start), and the lease's first sync then goes out with the list instead of after it.
  if (latch.held || latch.phase == LatchPhase::listing || latch.phase == LatchPhase::verifying ||
      latch.phase == LatchPhase::held)
    return KeepaliveMode::leader;
  if (!latch.nextInLine)
    return KeepaliveMode::none;
  return latch.leaseProven ? KeepaliveMode::follower : KeepaliveMode::leader;
}

}  // namespace baton::zookeeper
