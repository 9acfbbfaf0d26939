#pragma once

#include <string>

namespace baton {

// One process taking part in the election of a HighAvailabilityServices cluster, as the
// backend stores it: its ha.participant-id and the address it advertises (ha.participant-address,
// may be empty).
struct Participant {
  std::string id;
  std::string address;
  friend bool operator==(const Participant&, const Participant&) = default;
};

}  // namespace baton
