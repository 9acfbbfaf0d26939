#pragma once

#include <system_error>

#include "baton/leader_contender.hpp"

namespace baton::detail {

// The contender as seen from its SerialCallbackQueue. It remembers whether a grant was
// delivered, so that exactly one revoke follows every delivered grant whatever path ends it
// (a revoke event, an error, or close() whose pending events were dropped).
//
// Thread-safety: used only from callbacks of one SerialCallbackQueue (which serializes them).
class ContenderChannel {
 public:
  explicit ContenderChannel(LeaderContender& contender) : contender_(contender) {}

  void deliverGrant(const LeaderSessionId& id) {
    if (leading_)
      contender_.revokeLeadership();  // defensive: never two grants in a row
    leading_ = true;
    contender_.grantLeadership(id);
  }
  void deliverRevoke() {
    if (!leading_)
      return;  // its grant was dropped before delivery
    leading_ = false;
    contender_.revokeLeadership();
  }
  void deliverError(const std::system_error& error) { contender_.handleError(error); }

 private:
  LeaderContender& contender_;
  bool leading_ = false;
};

}  // namespace baton::detail
