#include "baton/error.hpp"

namespace baton {
namespace {

class BatonCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "baton"; }
  std::string message(int value) const override {
    switch (static_cast<Errc>(value)) {
      case Errc::leadership_lost:
        return "leadership lost: the leader session id is not current";
      case Errc::election_closed:
        return "the leader election is closed";
      case Errc::not_started:
        return "the service was not started";
      case Errc::driver_failure:
        return "the leader election backend failed";
      case Errc::retrieval_failure:
        return "the leader retrieval backend failed";
      case Errc::malformed_leader_information:
        return "stored leader information is malformed";
      case Errc::connection_suspended:
        return "the backend connection is suspended";
      case Errc::session_expired:
        return "the backend session expired";
      case Errc::timed_out:
        return "the operation timed out";
      case Errc::outcome_unknown:
        return "outcome unknown: the write was sent but its answer was lost; it may have been "
               "applied (read its effect back before retrying)";
      case Errc::write_conflict:
        return "the write's expectation did not hold (the record exists, is missing or has "
               "another version): nothing was written";
    }
    return "unknown baton error " + std::to_string(value);
  }
};

}  // namespace

const std::error_category& batonCategory() noexcept {
  static const BatonCategory category;
  return category;
}

std::error_code make_error_code(Errc e) noexcept {
  return {static_cast<int>(e), batonCategory()};
}

ConfigurationError::ConfigurationError(std::string key, const std::string& problem)
    : std::invalid_argument("configuration key '" + key + "': " + problem), key_(std::move(key)) {}

}  // namespace baton
