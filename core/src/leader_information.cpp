#include "baton/leader_information.hpp"

namespace baton {

std::string LeaderInformation::toString() const {
  if (isEmpty())
    return "<no leader>";
  return address() + "@" + sessionId().toString();
}

}  // namespace baton
