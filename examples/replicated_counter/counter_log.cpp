#include "counter_log.hpp"

#include <sstream>

namespace counter {

std::optional<CounterLog> CounterLog::decode(const std::string& data) {
  std::istringstream in(data);
  std::string line;
  if (!std::getline(in, line) || line != kHeader)
    return std::nullopt;
  CounterLog log;
  while (std::getline(in, line)) {
    if (line.empty())
      continue;
    auto space = line.find(' ');
    if (space == std::string::npos || space == 0 || space + 1 == line.size())
      return std::nullopt;
    log.append({line.substr(0, space), line.substr(space + 1)});
  }
  return log;
}

std::string CounterLog::encode() const {
  std::string data = std::string(kHeader) + "\n";
  for (const auto& entry : entries_)
    data += entry.writeId + " " + entry.session + "\n";
  return data;
}

std::size_t CounterLog::positionOf(const std::string& writeId) const {
  for (std::size_t i = entries_.size(); i > 0; --i) {
    if (entries_[i - 1].writeId == writeId)
      return i;
  }
  return 0;
}

}  // namespace counter
