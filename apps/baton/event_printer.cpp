#include "event_printer.hpp"

#include <chrono>
#include <ctime>

namespace baton::cli {
namespace {

long long microsSinceEpoch() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

// ISO 8601 in UTC with microseconds, e.g. 2024-05-01T12:00:00.123456Z.
std::string isoTimestamp(long long tsMicros) {
  const std::time_t seconds = static_cast<std::time_t>(tsMicros / 1'000'000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[40];
  const std::size_t length = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &utc);
  char fraction[16];
  std::snprintf(fraction, sizeof fraction, ".%06lldZ", tsMicros % 1'000'000);
  return std::string(buffer, length) + fraction;
}

// A readable value stays one token when it has no spaces; otherwise it is quoted.
void appendReadableValue(std::string& out, const std::string& value) {
  if (!value.empty() && value.find_first_of(" \t\"") == std::string::npos) {
    out += value;
    return;
  }
  out += '"';
  appendJsonEscaped(out, value);
  out += '"';
}

void appendJsonField(std::string& out, std::string_view key, std::string_view value) {
  out += ",\"";
  appendJsonEscaped(out, key);
  out += "\":\"";
  appendJsonEscaped(out, value);
  out += '"';
}

}  // namespace

Event connectionEvent(ConnectionState state, const std::string& detail) {
  Event event{.name = std::string(toString(state))};
  if (!detail.empty())
    event.fields.emplace_back("detail", detail);
  return event;
}

Event errorEvent(const std::system_error& error) {
  const std::error_code& code = error.code();
  return Event{.name = "error",
               .fields = {{"message", error.what()},
                          {"code", std::string(code.category().name()) + ":" +
                                       std::to_string(code.value())}}};
}

void appendJsonEscaped(std::string& out, std::string_view text) {
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
          out += escaped;
        } else {
          out += c;
        }
    }
  }
}

EventPrinter::EventPrinter(std::FILE* out, OutputFormat format, std::string component,
                           std::string id)
    : out_(out), format_(format), component_(std::move(component)), id_(std::move(id)) {}

void EventPrinter::print(const Event& event) {
  const std::lock_guard lock(mutex_);
  const long long tsMicros = microsSinceEpoch();
  std::string line =
      format_ == OutputFormat::json ? formatJson(event, tsMicros) : formatReadable(event, tsMicros);
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), out_);
  std::fflush(out_);
}

std::string EventPrinter::formatReadable(const Event& event, long long tsMicros) const {
  std::string line = isoTimestamp(tsMicros);
  line += ' ';
  line += event.participant.empty() ? id_ : event.participant;
  line += ' ';
  line += event.name;
  if (event.sessionId) {
    line += " session=";
    line += event.sessionId->toString();
  }
  for (const auto& [key, value] : event.fields) {
    line += ' ';
    line += key;
    line += '=';
    appendReadableValue(line, value);
  }
  return line;
}

std::string EventPrinter::formatJson(const Event& event, long long tsMicros) const {
  std::string line = "{\"event\":\"";
  appendJsonEscaped(line, event.name);
  line += '"';
  appendJsonField(line, "component", component_);
  appendJsonField(line, "id", event.participant.empty() ? id_ : event.participant);
  line += ",\"ts_us\":" + std::to_string(tsMicros);
  if (event.sessionId) {
    appendJsonField(line, "session_id", event.sessionId->toString());
  } else {
    line += ",\"session_id\":null";
  }
  for (const auto& [key, value] : event.fields)
    appendJsonField(line, key, value);
  line += '}';
  return line;
}

}  // namespace baton::cli
