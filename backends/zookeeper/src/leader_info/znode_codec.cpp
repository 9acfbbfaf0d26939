#include "leader_info/znode_codec.hpp"

#include <map>

namespace baton::zookeeper {
namespace {

constexpr std::string_view kLeaderHeader = "baton.leader.v1";
constexpr std::string_view kParticipantHeader = "baton.participant.v1";
constexpr std::size_t kMaxBytes = 64 * 1024;

std::string escape(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    switch (c) {
      case '%':
        out += "%25";
        break;
      case '\n':
        out += "%0A";
        break;
      case '\r':
        out += "%0D";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::optional<std::string> unescape(std::string_view value) {
  std::string out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] != '%') {
      out.push_back(value[i]);
      continue;
    }
    auto code = value.substr(i + 1, 2);
    if (code == "25")
      out.push_back('%');
    else if (code == "0A")
      out.push_back('\n');
    else if (code == "0D")
      out.push_back('\r');
    else
      return std::nullopt;
    i += 2;
  }
  return out;
}

// Splits "header\nk=v\n..." into its fields; nullopt (with a reason) if malformed.
std::optional<std::map<std::string, std::string>> parseFields(std::string_view bytes,
                                                              std::string_view header,
                                                              std::string* whyNot) {
  auto reject = [&](std::string reason) -> std::optional<std::map<std::string, std::string>> {
    if (whyNot)
      *whyNot = std::move(reason);
    return std::nullopt;
  };
  if (bytes.size() > kMaxBytes)
    return reject("larger than 64 KiB");
  auto end = bytes.find('\n');
  auto first = bytes.substr(0, end);
  if (first != header) {
    std::string prefix(header.substr(0, header.rfind('.') + 1));
    if (first.substr(0, prefix.size()) == prefix) {
      return reject("unsupported version '" + std::string(first) + "'");
    }
    return reject("not baton data (expected header '" + std::string(header) + "')");
  }
  std::map<std::string, std::string> fields;
  while (end != std::string_view::npos) {
    auto start = end + 1;
    end = bytes.find('\n', start);
    auto line = bytes.substr(start, end == std::string_view::npos ? end : end - start);
    if (line.empty())
      continue;
    auto eq = line.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      return reject("malformed line '" + std::string(line.substr(0, 80)) + "'");
    }
    auto value = unescape(line.substr(eq + 1));
    if (!value)
      return reject("bad escape in '" + std::string(line.substr(0, eq)) + "'");
    fields[std::string(line.substr(0, eq))] = std::move(*value);
  }
  return fields;
}

}  // namespace

std::string encodeLeaderInformation(const LeaderInformation& info) {
  return std::string(kLeaderHeader) + "\nsession=" + info.sessionId().toString() +
         "\naddress=" + escape(info.address()) + "\n";
}

std::optional<LeaderInformation> decodeLeaderInformation(std::string_view bytes,
                                                         std::string* whyNot) {
  auto fields = parseFields(bytes, kLeaderHeader, whyNot);
  if (!fields)
    return std::nullopt;
  auto session = fields->find("session");
  auto address = fields->find("address");
  if (session == fields->end() || address == fields->end()) {
    if (whyNot)
      *whyNot = "missing 'session' or 'address'";
    return std::nullopt;
  }
  auto id = LeaderSessionId::parse(session->second);
  if (!id) {
    if (whyNot)
      *whyNot = "session '" + session->second.substr(0, 40) + "' is not a UUID";
    return std::nullopt;
  }
  return LeaderInformation(*id, address->second);
}

std::string encodeParticipant(const ParticipantData& participant) {
  return std::string(kParticipantHeader) + "\nid=" + escape(participant.id) +
         "\naddress=" + escape(participant.address) + "\n";
}

std::optional<ParticipantData> decodeParticipant(std::string_view bytes, std::string* whyNot) {
  auto fields = parseFields(bytes, kParticipantHeader, whyNot);
  if (!fields)
    return std::nullopt;
  auto id = fields->find("id");
  if (id == fields->end()) {
    if (whyNot)
      *whyNot = "missing 'id'";
    return std::nullopt;
  }
  auto address = fields->find("address");
  return ParticipantData{id->second, address == fields->end() ? "" : address->second};
}

}  // namespace baton::zookeeper
