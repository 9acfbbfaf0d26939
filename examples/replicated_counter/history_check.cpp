#include "history_check.hpp"

#include <map>
#include <set>
#include <sstream>

namespace counter {

std::optional<Ack> parseAck(const std::string& line, const std::string& source) {
  std::istringstream in(line);
  std::string word;
  Ack ack;
  long long position = 0;
  if (!(in >> word) || word != "ACK")
    return std::nullopt;
  if (!(in >> ack.writeId >> ack.session >> position) || position <= 0)
    return std::nullopt;
  ack.position = static_cast<std::size_t>(position);
  ack.source = source;
  return ack;
}

namespace {

void checkAck(const CounterLog& store, const Ack& ack, std::vector<std::string>& violations) {
  const auto& entries = store.entries();
  std::ostringstream where;
  where << ack.source << ": write " << ack.writeId << " acknowledged at position " << ack.position
        << " under session " << ack.session;
  if (ack.position > entries.size()) {
    violations.push_back(where.str() + ", but the store holds only " +
                         std::to_string(entries.size()) + " entries");
    return;
  }
  const auto& entry = entries[ack.position - 1];
  if (entry.writeId != ack.writeId || entry.session != ack.session) {
    violations.push_back(where.str() + ", but the store has " + entry.writeId + " under session " +
                         entry.session + " there");
  }
}

}  // namespace

CheckReport checkHistory(const CounterLog& store, const std::vector<Ack>& acks) {
  CheckReport report;
  std::set<std::string> ended;  // sessions whose run of entries is over
  std::map<std::string, std::size_t> firstPosition;
  std::string current;
  const auto& entries = store.entries();
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto& entry = entries[i];
    auto position = std::to_string(i + 1);
    auto [it, fresh] = firstPosition.emplace(entry.writeId, i + 1);
    if (!fresh) {
      report.violations.push_back("write " + entry.writeId + " is stored twice, at positions " +
                                  std::to_string(it->second) + " and " + position);
    }
    if (entry.session == current)
      continue;
    if (ended.count(entry.session)) {
      report.violations.push_back("position " + position + ": session " + entry.session +
                                  " wrote " + entry.writeId + " after its successor " + current +
                                  " had written: a deposed leader's write");
    }
    if (!current.empty())
      ended.insert(current);
    current = entry.session;
  }
  std::set<std::string> sessions;
  for (const auto& entry : entries)
    sessions.insert(entry.session);
  report.sessions = sessions.size();
  for (const auto& ack : acks)
    checkAck(store, ack, report.violations);
  return report;
}

}  // namespace counter
