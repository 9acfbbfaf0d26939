#include "baton/support/record_table.hpp"

#include "baton/error.hpp"

namespace baton::detail {
namespace {

// Whether expectation holds for the record as it is now (nullptr: no record).
template <typename Entry>
bool holds(const WriteExpectation& expectation, const Entry* current) {
  switch (expectation.kind()) {
    case WriteExpectation::Kind::any:
      return true;
    case WriteExpectation::Kind::absent:
      return current == nullptr;
    case WriteExpectation::Kind::version:
      return current != nullptr && current->version == expectation.expectedVersion();
  }
  return false;
}

}  // namespace

RecordTable::Outcome RecordTable::put(std::string_view ns, std::string_view key,
                                      std::string_view value, const WriteExpectation& expectation) {
  const Entry* current = find(ns, key);
  if (!holds(expectation, current))
    return {make_error_code(Errc::write_conflict), 0};
  auto records = namespaces_.find(ns);
  if (records == namespaces_.end())
    records = namespaces_.emplace(std::string(ns), Records{}).first;
  auto record = records->second.find(key);
  if (record == records->second.end()) {
    records->second.emplace(std::string(key), Entry{std::string(value), 0});
    return {{}, 0};
  }
  record->second.value = std::string(value);
  return {{}, ++record->second.version};
}

RecordTable::Outcome RecordTable::erase(std::string_view ns, std::string_view key,
                                        const WriteExpectation& expectation) {
  if (!holds(expectation, find(ns, key)))
    return {make_error_code(Errc::write_conflict), 0};
  auto records = namespaces_.find(ns);
  if (records == namespaces_.end())
    return {};
  if (auto record = records->second.find(key); record != records->second.end())
    records->second.erase(record);
  return {};
}

void RecordTable::eraseNamespace(std::string_view ns) {
  if (auto records = namespaces_.find(ns); records != namespaces_.end())
    namespaces_.erase(records);
}

std::optional<StoredRecord> RecordTable::get(std::string_view ns, std::string_view key) const {
  const Entry* entry = find(ns, key);
  if (!entry)
    return std::nullopt;
  return StoredRecord{std::string(key), entry->value, entry->version};
}

std::vector<StoredRecord> RecordTable::list(std::string_view ns) const {
  std::vector<StoredRecord> result;
  auto records = namespaces_.find(ns);
  if (records == namespaces_.end())
    return result;
  for (const auto& [key, entry] : records->second)
    result.push_back(StoredRecord{key, entry.value, entry.version});
  return result;
}

const RecordTable::Entry* RecordTable::find(std::string_view ns, std::string_view key) const {
  auto records = namespaces_.find(ns);
  if (records == namespaces_.end())
    return nullptr;
  auto record = records->second.find(key);
  return record == records->second.end() ? nullptr : &record->second;
}

}  // namespace baton::detail
