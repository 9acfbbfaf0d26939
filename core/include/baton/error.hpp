#pragma once

#include <stdexcept>
#include <string>
#include <system_error>

namespace baton {

// Runtime conditions the library reports as std::error_code (category "baton"). Exceptions are
// reserved for API misuse (std::logic_error kinds) and invalid configuration
// (ConfigurationError).
enum class Errc {
  leadership_lost = 1,           // a leader-only operation with a stale leader session id
  election_closed,               // the LeaderElection was closed
  not_started,                   // used before startLeaderElection / start
  driver_failure,                // the election backend failed and cannot go on
  retrieval_failure,             // the retrieval backend failed and cannot go on
  malformed_leader_information,  // stored leader information could not be decoded
  connection_suspended,          // the backend connection is down, the session may survive
  session_expired,               // the backend session is gone for good
  timed_out,                     // an operation did not finish before its deadline
  // A write was sent but no answer came back (connection loss, timeout, closing): it may or
  // may not have been applied. Find out by reading its effect back (docs/zookeeper.md).
  outcome_unknown,
  write_conflict,  // a fenced write's expectation (absent, a version) did not hold
};

const std::error_category& batonCategory() noexcept;
std::error_code make_error_code(Errc e) noexcept;

// Thrown for malformed or missing configuration; what() names the key and the bad value.
class ConfigurationError : public std::invalid_argument {
 public:
  ConfigurationError(std::string key, const std::string& problem);
  const std::string& key() const noexcept { return key_; }

 private:
  std::string key_;
};

}  // namespace baton

template <>
struct std::is_error_code_enum<baton::Errc> : std::true_type {};
