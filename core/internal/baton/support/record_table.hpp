#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "baton/leader_state_store.hpp"

namespace baton::detail {

// The records of an in-memory LeaderStateStore (standalone, embedded) without the fence: who
// may write is decided by the caller, which applies a write here only once its fence held.
// The rules are the ZooKeeper store's: version 0 on create, +1 per put, expectations checked
// before anything changes (Errc::write_conflict), erasing a missing record under any() is a
// success. Names and values are the caller's to check (LeaderStateStore::checkName/Value).
//
// Thread-safety: none; the owner guards it (the embedded cluster's mutex, the standalone
// store's).
class RecordTable {
 public:
  struct Outcome {
    std::error_code error;
    std::int64_t version = 0;  // the record's version after a successful put
  };

  Outcome put(std::string_view ns, std::string_view key, std::string_view value,
              const WriteExpectation& expectation);
  Outcome erase(std::string_view ns, std::string_view key, const WriteExpectation& expectation);
  void eraseNamespace(std::string_view ns);
  void clear() { namespaces_.clear(); }

  std::optional<StoredRecord> get(std::string_view ns, std::string_view key) const;
  // Sorted by key (the map's order).
  std::vector<StoredRecord> list(std::string_view ns) const;

 private:
  struct Entry {
    std::string value;
    std::int64_t version = 0;
  };
  using Records = std::map<std::string, Entry, std::less<>>;

  const Entry* find(std::string_view ns, std::string_view key) const;

  std::map<std::string, Records, std::less<>> namespaces_;
};

}  // namespace baton::detail
