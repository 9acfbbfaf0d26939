#include "election/connection_policy.hpp"

namespace baton::zookeeper {

std::string_view toString(ConnectionPolicy policy) noexcept {
  switch (policy) {
    case ConnectionPolicy::standard:
      return "standard";
    case ConnectionPolicy::lease:
      return "lease";
  }
  return "unknown";
}

std::optional<ConnectionPolicy> parseConnectionPolicy(std::string_view text) noexcept {
  if (text == "standard")
    return ConnectionPolicy::standard;
  if (text == "lease")
    return ConnectionPolicy::lease;
  return std::nullopt;
}

}  // namespace baton::zookeeper
