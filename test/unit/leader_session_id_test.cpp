#include <set>
#include <unordered_set>

#include <catch2/catch.hpp>

#include "baton/component_id.hpp"
#include "baton/leader_information.hpp"
#include "baton/leader_session_id.hpp"

using baton::LeaderSessionId;

TEST_CASE("the default id is all zeros, as the seeds' DEFAULT_LEADER_ID") {
  CHECK(LeaderSessionId::defaultId().toString() == "00000000-0000-0000-0000-000000000000");
  CHECK(LeaderSessionId().isDefault());
  CHECK_FALSE(LeaderSessionId::random().isDefault());
}

TEST_CASE("random ids are version 4 UUIDs and distinct") {
  std::unordered_set<LeaderSessionId> seen;
  for (int i = 0; i < 1000; ++i) {
    auto id = LeaderSessionId::random();
    auto text = id.toString();
    CHECK(text[14] == '4');
    CHECK((text[19] == '8' || text[19] == '9' || text[19] == 'a' || text[19] == 'b'));
    seen.insert(id);
  }
  CHECK(seen.size() == 1000);
}

TEST_CASE("format and parse round-trip; malformed text is rejected") {
  auto id = LeaderSessionId::random();
  CHECK(LeaderSessionId::parse(id.toString()) == id);
  auto upper = LeaderSessionId::parse("0123ABCD-4567-89ab-CDEF-0123456789ab");
  REQUIRE(upper);
  CHECK(upper->toString() == "0123abcd-4567-89ab-cdef-0123456789ab");
  for (const char* bad :
       {"", "0123abcd-4567-89ab-cdef-0123456789a", "0123abcd-4567-89ab-cdef-0123456789abc",
        "0123abcd+4567-89ab-cdef-0123456789ab", "0123abcg-4567-89ab-cdef-0123456789ab"}) {
    CHECK_FALSE(LeaderSessionId::parse(bad));
  }
}

TEST_CASE("ids order and compare by value") {
  auto a = LeaderSessionId::parse("00000000-0000-0000-0000-000000000001").value();
  auto b = LeaderSessionId::parse("00000000-0000-0000-0000-000000000002").value();
  CHECK(a < b);
  CHECK(a != b);
  CHECK(std::set<LeaderSessionId>{b, a, a}.size() == 2);
}

TEST_CASE("leader information is a value, empty meaning no leader") {
  baton::LeaderInformation none;
  CHECK(none.isEmpty());
  CHECK(none.toString() == "<no leader>");
  auto id = LeaderSessionId::random();
  baton::LeaderInformation info(id, "host:1");
  CHECK(info == baton::LeaderInformation(id, "host:1"));
  CHECK(info != baton::LeaderInformation(id, "host:2"));
  CHECK(info != none);
  CHECK(info.toString() == "host:1@" + id.toString());
}

TEST_CASE("component ids are checked and the rule broken is named") {
  CHECK_NOTHROW(baton::validateComponentId("resourcemanager"));
  CHECK_NOTHROW(baton::validateComponentId("job-0a1b_c.d"));
  CHECK_THROWS_WITH(baton::validateComponentId(""), Catch::Contains("empty"));
  CHECK_THROWS_WITH(baton::validateComponentId("a/b"), Catch::Contains("'a/b'"));
  CHECK_THROWS_WITH(baton::validateComponentId(".."), Catch::Contains("not names"));
  CHECK_THROWS_WITH(baton::validateComponentId("latch"), Catch::Contains("reserved"));
  CHECK_THROWS_WITH(baton::validateComponentId(std::string(129, 'a')), Catch::Contains("128"));
  CHECK(baton::jobManagerComponentId("abc") == "job-abc");
  CHECK_THROWS(baton::jobManagerComponentId("a b"));
}
