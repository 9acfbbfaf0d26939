#pragma once

#include <optional>
#include <string>
#include <utility>

#include "baton/leader_session_id.hpp"

namespace baton {

// What a leader publishes for one component: its session id and the address it serves under;
// or empty, meaning "no leader known".
//
// Thread-safety: a plain value type.
class LeaderInformation {
 public:
  LeaderInformation() = default;  // empty
  LeaderInformation(LeaderSessionId sessionId, std::string address)
      : value_(Value{sessionId, std::move(address)}) {}

  static LeaderInformation empty() { return {}; }

  bool isEmpty() const noexcept { return !value_.has_value(); }
  // Precondition for both accessors: !isEmpty().
  const LeaderSessionId& sessionId() const { return value_.value().sessionId; }
  const std::string& address() const { return value_.value().address; }

  // "<address>@<session id>" or "<no leader>", for logs and messages.
  std::string toString() const;

  friend bool operator==(const LeaderInformation&, const LeaderInformation&) = default;

 private:
  struct Value {
    LeaderSessionId sessionId;
    std::string address;
    friend bool operator==(const Value&, const Value&) = default;
  };
  std::optional<Value> value_;
};

}  // namespace baton
