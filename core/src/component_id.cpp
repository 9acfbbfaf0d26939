#include "baton/component_id.hpp"

#include <stdexcept>

namespace baton {
namespace {

bool isAllowed(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

}  // namespace

void validateComponentId(std::string_view componentId) {
  auto fail = [&](const std::string& rule) {
    throw std::invalid_argument("invalid component id '" + std::string(componentId) + "': " + rule);
  };
  if (componentId.empty())
    fail("must not be empty");
  if (componentId.size() > 128)
    fail("must be at most 128 characters");
  for (char c : componentId) {
    if (!isAllowed(c))
      fail("may contain only letters, digits, '.', '_' and '-'");
  }
  if (componentId == "." || componentId == "..")
    fail("'.' and '..' are not names");
  if (componentId == "latch")
    fail("'latch' is reserved for the election itself");
}

std::string jobManagerComponentId(std::string_view jobId) {
  std::string id = "job-" + std::string(jobId);
  validateComponentId(id);
  return id;
}

}  // namespace baton
