#pragma once

#include <cstdio>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <system_error>

#include "baton/connection_state.hpp"
#include "baton/leader_session_id.hpp"

namespace baton::cli {

enum class OutputFormat { readable, json };

// One thing that happened, as the tool reports it. Fields are extra key/value details in the
// order given ("reason", "address", "message", ...).
struct Event {
  std::string name;
  std::optional<LeaderSessionId> sessionId{};
  std::vector<std::pair<std::string, std::string>> fields{};
  std::string participant{};  // overrides the printer's id when not empty (the demo's nodes)
};

// Writes events to a stream, one line each, flushed at once so that another process can
// follow the output live.
//   readable: "2024-05-01T12:00:00.123456Z node-a granted session=... address=..."
//   json:     {"event":"granted","component":"c","id":"node-a","ts_us":...,"session_id":"..."}
// The timestamp is taken under the printer's lock, so timestamps grow with the line order.
//
// Thread-safety: print() may be called from any thread (contender and listener callbacks run
// on the library's callback thread, commands on the main thread); lines never interleave.
class EventPrinter {
 public:
  EventPrinter(std::FILE* out, OutputFormat format, std::string component, std::string id);

  void print(const Event& event);

  OutputFormat format() const noexcept { return format_; }
  const std::string& id() const noexcept { return id_; }

 private:
  std::string formatReadable(const Event& event, long long tsMicros) const;
  std::string formatJson(const Event& event, long long tsMicros) const;

  std::FILE* out_;
  OutputFormat format_;
  std::string component_;
  std::string id_;
  std::mutex mutex_;
};

// The events every command shares: a backend connection change ("connected", "suspended",
// "reconnected", "lost" with its detail) and a library error ("error" with message and code).
Event connectionEvent(ConnectionState state, const std::string& detail);
Event errorEvent(const std::system_error& error);

// Appends text to out as the body of a JSON string (quotes, backslashes and control
// characters escaped; other bytes pass through, so UTF-8 stays UTF-8).
void appendJsonEscaped(std::string& out, std::string_view text);

}  // namespace baton::cli
