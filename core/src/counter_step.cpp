#include "baton/support/counter_step.hpp"

#include <charconv>

#include "baton/error.hpp"

namespace baton::detail::counter {

std::string encode(std::int64_t value) {
  return std::to_string(value);
}

std::optional<std::int64_t> decode(std::string_view text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size())
    return std::nullopt;
  if (encode(value) != text)  // "+1", "007", "-0": not what a counter writes
    return std::nullopt;
  return value;
}

Plan plan(Op op, std::int64_t operand, const std::optional<StoredRecord>& current) {
  Plan result;
  std::int64_t value = 0;
  if (current) {
    auto decoded = decode(current->value);
    if (!decoded) {
      result.error = std::make_error_code(std::errc::invalid_argument);
      return result;
    }
    value = *decoded;
    result.expectation = WriteExpectation::version(current->version);
  } else {
    result.expectation = WriteExpectation::absent();
  }
  if (op == Op::add) {
    if (__builtin_add_overflow(value, operand, &result.newValue)) {
      result.error = std::make_error_code(std::errc::value_too_large);
      return result;
    }
  } else {
    result.newValue = operand > value ? operand : value;
  }
  result.value = encode(result.newValue);
  return result;
}

Next next(std::error_code writeResult) {
  if (writeResult == make_error_code(Errc::write_conflict))
    return Next::reread;
  if (writeResult == make_error_code(Errc::outcome_unknown))
    return Next::readBack;
  return Next::done;
}

bool landed(const Plan& planned, const std::optional<StoredRecord>& readBack) {
  if (!readBack || readBack->value != planned.value)
    return false;
  const std::int64_t expected = planned.expectation.kind() == WriteExpectation::Kind::absent
                                    ? 0
                                    : planned.expectation.expectedVersion() + 1;
  return readBack->version == expected;
}

}  // namespace baton::detail::counter
