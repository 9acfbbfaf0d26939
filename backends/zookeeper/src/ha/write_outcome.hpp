#pragma once

#include <string_view>

namespace baton::zookeeper {

// What reading back a write whose answer was lost (Errc::outcome_unknown) says about it
// (ZooKeeperHaServices::readBackWrite):
//   applied      every op's target shows the op's effect
//   not_applied  no op's target shows its effect
//   cannot_tell  some do and some do not (a later writer?), or an op's effect cannot be
//                recognised by reading (a sequential create, a check, setData to what was there)
// A read shows the nodes now: a later writer may have changed them since. Put a marker unique
// to the write (a write id) in the data to tell its effect from anyone else's.
enum class WriteOutcome { applied, not_applied, cannot_tell };

constexpr std::string_view toString(WriteOutcome outcome) noexcept {
  switch (outcome) {
    case WriteOutcome::applied:
      return "applied";
    case WriteOutcome::not_applied:
      return "not applied";
    case WriteOutcome::cannot_tell:
      return "cannot tell";
  }
  return "cannot tell";
}

}  // namespace baton::zookeeper
