#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace counter {

// One accepted increment: the client's unique write id and the leader session (the fencing
// token) under which the leader accepted it.
struct LogEntry {
  std::string writeId;
  std::string session;
  friend bool operator==(const LogEntry&, const LogEntry&) = default;
};

// The replicated counter's whole state, as stored in its record: the counter's value is the
// number of entries, and an increment's position (1-based) is the value it produced. Keeping
// every entry (instead of a number) is what makes the end-to-end check possible; a real
// service would compact it.
//
// Encoding: the header line "baton.counter.v1", then one "<write-id> <session>" line per entry.
// Thread-safety: a value type.
class CounterLog {
 public:
  static constexpr const char* kHeader = "baton.counter.v1";

  // nullopt for data that is not a counter log (wrong header, malformed line).
  static std::optional<CounterLog> decode(const std::string& data);
  std::string encode() const;

  // The position of writeId, or 0 when it is not in the log.
  std::size_t positionOf(const std::string& writeId) const;
  std::size_t value() const { return entries_.size(); }
  const std::vector<LogEntry>& entries() const { return entries_; }
  void append(LogEntry entry) { entries_.push_back(std::move(entry)); }

 private:
  std::vector<LogEntry> entries_;
};

}  // namespace counter
