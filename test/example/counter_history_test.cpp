// The replicated counter example's history check (examples/replicated_counter): it accepts a
// correct failover history and catches each way a broken one could look.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "counter_log.hpp"
#include "history_check.hpp"

using counter::Ack;
using counter::checkHistory;
using counter::CounterLog;

namespace {

CounterLog storeOf(const std::vector<std::pair<std::string, std::string>>& entries) {
  CounterLog log;
  for (const auto& [id, session] : entries)
    log.append({id, session});
  return log;
}

Ack ack(const std::string& id, const std::string& session, std::size_t position) {
  return Ack{id, session, position, "test"};
}

}  // namespace

TEST_CASE("the counter log round-trips through its znode encoding") {
  auto log = storeOf({{"c-1", "A"}, {"c-2", "B"}});
  auto decoded = CounterLog::decode(log.encode());
  REQUIRE(decoded);
  CHECK(decoded->entries() == log.entries());
  CHECK(decoded->positionOf("c-2") == 2);
  CHECK(decoded->positionOf("c-3") == 0);
  CHECK_FALSE(CounterLog::decode("something else\n"));
  CHECK_FALSE(CounterLog::decode(std::string(CounterLog::kHeader) + "\nno-session\n"));
}

TEST_CASE("ACK lines are parsed, other lines ignored") {
  auto parsed = counter::parseAck("ACK c-7 sess 12 127.0.0.1:9", "f");
  REQUIRE(parsed);
  CHECK(parsed->writeId == "c-7");
  CHECK(parsed->session == "sess");
  CHECK(parsed->position == 12);
  CHECK_FALSE(counter::parseAck("LEADER sess 3", "f"));
  CHECK_FALSE(counter::parseAck("ACK c-7 sess 0", "f"));
}

TEST_CASE("a correct failover history passes") {
  auto store = storeOf({{"c-1", "A"}, {"c-2", "A"}, {"c-3", "B"}, {"c-4", "C"}});
  auto report = checkHistory(store, {ack("c-1", "A", 1), ack("c-3", "B", 3), ack("c-4", "C", 4)});
  CHECK(report.violations.empty());
  CHECK(report.sessions == 3);
}

TEST_CASE("an acknowledged write missing from the store is a violation") {
  auto store = storeOf({{"c-1", "A"}});
  auto report = checkHistory(store, {ack("c-1", "A", 1), ack("c-2", "A", 2)});
  REQUIRE(report.violations.size() == 1);
  CHECK(report.violations[0].find("c-2") != std::string::npos);
}

TEST_CASE("a write acknowledged by a deposed leader and overwritten is a violation") {
  // A acknowledged c-2 at position 2 from its memory, but B had already stored c-3 there.
  auto store = storeOf({{"c-1", "A"}, {"c-3", "B"}});
  auto report = checkHistory(store, {ack("c-2", "A", 2)});
  CHECK(report.violations.size() == 1);
}

TEST_CASE("a deposed leader's write after its successor's is a violation") {
  auto store = storeOf({{"c-1", "A"}, {"c-2", "B"}, {"c-3", "A"}});
  auto report = checkHistory(store, {});
  REQUIRE(report.violations.size() == 1);
  CHECK(report.violations[0].find("deposed") != std::string::npos);
}

TEST_CASE("a write stored twice is a violation") {
  auto store = storeOf({{"c-1", "A"}, {"c-1", "B"}});
  CHECK(checkHistory(store, {}).violations.size() == 1);
}
