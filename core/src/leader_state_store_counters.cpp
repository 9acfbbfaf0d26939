// LeaderStateStore's counters, over get and put (the decisions: baton/support/counter_step.hpp).
#include <stdexcept>

#include "baton/error.hpp"
#include "baton/leader_state_store.hpp"
#include "baton/support/counter_step.hpp"

namespace baton {
namespace {

namespace counter = detail::counter;

// Reads the record; a backend failure is its error (the caller has sent nothing yet).
std::error_code readRecord(LeaderStateStore& store, std::string_view ns, std::string_view name,
                           std::optional<StoredRecord>& record) {
  try {
    record = store.get(ns, name);
    return {};
  } catch (const std::system_error& e) {
    return e.code();
  }
}

std::error_code changeCounter(LeaderStateStore& store, const FencingToken& token,
                              std::string_view ns, std::string_view name, counter::Op op,
                              std::int64_t operand, std::int64_t* value) {
  LeaderStateStore::checkName("namespace", ns);
  LeaderStateStore::checkName("counter", name);
  for (int attempt = 1; attempt <= LeaderStateStore::kMaxCounterAttempts; ++attempt) {
    std::optional<StoredRecord> current;
    if (auto ec = readRecord(store, ns, name, current))
      return ec;
    auto planned = counter::plan(op, operand, current);
    if (planned.error)
      return planned.error;  // not a counter, or an overflow: nothing written
    auto written = store.put(token, ns, name, planned.value, planned.expectation);
    switch (counter::next(written)) {
      case counter::Next::done:
        if (!written && value)
          *value = planned.newValue;
        return written;
      case counter::Next::reread:
        continue;
      case counter::Next::readBack: {
        std::optional<StoredRecord> after;
        if (readRecord(store, ns, name, after) || !counter::landed(planned, after))
          return written;
        if (value)
          *value = planned.newValue;
        return {};
      }
    }
  }
  return make_error_code(Errc::write_conflict);
}

}  // namespace

std::error_code LeaderStateStore::addToCounter(const FencingToken& token, std::string_view ns,
                                               std::string_view name, std::int64_t delta,
                                               std::int64_t* value) {
  if (delta < 1)
    throw std::invalid_argument("state store counter '" + std::string(name) + "': delta " +
                                std::to_string(delta) + " is not positive (counters only grow)");
  return changeCounter(*this, token, ns, name, counter::Op::add, delta, value);
}

std::error_code LeaderStateStore::raiseCounterTo(const FencingToken& token, std::string_view ns,
                                                 std::string_view name, std::int64_t target,
                                                 std::int64_t* value) {
  return changeCounter(*this, token, ns, name, counter::Op::raiseTo, target, value);
}

std::optional<std::int64_t> LeaderStateStore::getCounter(std::string_view ns,
                                                         std::string_view name) {
  checkName("namespace", ns);
  checkName("counter", name);
  auto record = get(ns, name);
  if (!record)
    return std::nullopt;
  auto value = counter::decode(record->value);
  if (!value)
    throw std::system_error(std::make_error_code(std::errc::invalid_argument),
                            "state store: record '" + std::string(name) + "' of namespace '" +
                                std::string(ns) + "' does not hold a counter");
  return value;
}

}  // namespace baton
