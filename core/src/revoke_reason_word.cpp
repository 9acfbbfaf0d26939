#include "revoke_reason_word.hpp"

#include <array>
#include <utility>

namespace baton::detail {

std::string_view revokeReasonWord(std::string_view reason) noexcept {
  // First match wins: "the latch node is not owned by this session" is about the latch, not
  // the session; "the latch failed: the session ..." is a failure.
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 11> rules{{
      {"failed", "failed"},
      {"suspended", "connection_suspended"},
      {"not owned", "latch_lost"},
      {"lower latch node", "latch_lost"},
      {"session", "session_lost"},
      {"lease", "lease_expired"},
      {"deleted", "latch_deleted"},
      {"transferLeadership", "transferred"},
      {"deposeLeader", "deposed"},
      {"closing", "closed"},
      {"closed", "closed"},
  }};
  for (const auto& [needle, word] : rules) {
    if (reason.find(needle) != std::string_view::npos)
      return word;
  }
  return "other";
}

}  // namespace baton::detail
