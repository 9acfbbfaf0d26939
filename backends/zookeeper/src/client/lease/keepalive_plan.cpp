#include "client/lease/keepalive_plan.hpp"

#include <algorithm>

namespace baton::zookeeper::detail {

using std::chrono::nanoseconds;

nanoseconds leaderKeepalivePeriod(nanoseconds sessionTimeout, nanoseconds relayBound) noexcept {
  return std::max<nanoseconds>(std::min(relayBound / 2, sessionTimeout / 6),
                               std::chrono::milliseconds{1});
}

KeepaliveStep planKeepalive(const KeepaliveInput& in) noexcept {
  KeepaliveStep step;
  if (in.sessionTimeout <= nanoseconds{0})
    return step;
  switch (in.mode) {
    case KeepaliveMode::none:
      return step;
    case KeepaliveMode::follower: {
      nanoseconds period =
          std::max<nanoseconds>(in.sessionTimeout / 4, std::chrono::milliseconds{1});
      if (in.syncOutstanding) {
        step.lookAgainAfter = period;
      } else if (in.sinceLastSend >= period) {
        step.send = KeepaliveStep::Send::sync;
        step.lookAgainAfter = period;
      } else {
        step.lookAgainAfter = period - in.sinceLastSend;
      }
      return step;
    }
    case KeepaliveMode::leader: {
      nanoseconds period = leaderKeepalivePeriod(in.sessionTimeout, in.relayBound);
      if (in.syncOutstanding) {
        step.lookAgainAfter = period;  // its answer looks again at once
      } else if (in.awaitingConfirmation || in.sinceLastSend >= period) {
        step.send = KeepaliveStep::Send::sync;
        step.lookAgainAfter = period;
      } else {
        step.lookAgainAfter = period - in.sinceLastSend;
      }
      return step;
    }
  }
  return step;
}

}  // namespace baton::zookeeper::detail
