#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include "baton/leader_state_store.hpp"

// The decisions behind LeaderStateStore's counters, without I/O: what a counter record holds,
// which write follows a read, and what the write's answer means. The store chains them: read
// the record, write the next value under a version expectation (absent for a new counter),
// and on a conflict (another writer came in between) read again, a bounded number of times.
namespace baton::detail::counter {

// A counter's record holds its value in decimal ASCII ("-12", "0", "42"), nothing else.
std::string encode(std::int64_t value);
// nullopt unless text is exactly what encode writes for some value.
std::optional<std::int64_t> decode(std::string_view text);

enum class Op { add, raiseTo };

// The write one attempt makes: the value to store and what the record must be meanwhile.
struct Plan {
  std::error_code error;  // set: stop with this error, write nothing (overflow, not a counter)
  std::string value;
  WriteExpectation expectation = WriteExpectation::any();
  std::int64_t newValue = 0;
};

// current: the counter's record as read (nullopt: no counter yet, whose value counts as 0).
// add: value + operand (overflow is std::errc::value_too_large). raiseTo: max(value, operand);
// when that is the current value, the same value is written again under the version
// expectation, so even a no-op proves the writer's leadership (a deposed leader hears
// leadership_lost, never a value). A record that is not a counter is std::errc::invalid_argument
// (nothing written).
Plan plan(Op op, std::int64_t operand, const std::optional<StoredRecord>& current);

// What to do with the answer to a planned write.
enum class Next { done, reread, readBack };
// {} done (the planned value is stored); write_conflict: reread and plan again;
// outcome_unknown: read back (resolve()); anything else: done with that error.
Next next(std::error_code writeResult);

// Reading back after Errc::outcome_unknown: the write is known to have landed only if the
// record now has exactly the version it would have created with exactly the planned value (a
// version is reached by one write only, and the expectation made it ours). Anything else stays
// unknown: the write may still be on its way, or a later writer replaced it.
bool landed(const Plan& planned, const std::optional<StoredRecord>& readBack);

}  // namespace baton::detail::counter
