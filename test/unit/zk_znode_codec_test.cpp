#include <catch2/catch.hpp>

#include "leader_info/znode_codec.hpp"

using namespace baton;
using namespace baton::zookeeper;

TEST_CASE("leader information round-trips, odd characters included") {
  auto id = LeaderSessionId::random();
  for (std::string address : {"127.0.0.1:9000", "akka://x@h:1/user/rm", "a%b\nc\rd=e"}) {
    LeaderInformation info(id, address);
    auto bytes = encodeLeaderInformation(info);
    CHECK(bytes.rfind("baton.leader.v1\n", 0) == 0);
    CHECK(decodeLeaderInformation(bytes) == info);
  }
}

TEST_CASE("malformed or foreign leader information is rejected with a reason") {
  auto id = LeaderSessionId::random().toString();
  struct Case {
    std::string bytes;
    std::string reason;
  };
  for (const auto& c : std::vector<Case>{
           {"", "not baton data"},
           {"\x01\x02garbage", "not baton data"},
           {"{\"address\":\"x\"}", "not baton data"},
           {"baton.leader.v2\nsession=" + id + "\naddress=a\n", "unsupported version"},
           {"baton.leader.v1\naddress=a\n", "missing"},
           {"baton.leader.v1\nsession=nope\naddress=a\n", "not a UUID"},
           {"baton.leader.v1\nsession=" + id + "\naddress=%zz\n", "bad escape"},
           {"baton.leader.v1\njunk\n", "malformed line"},
           {"baton.leader.v1\n" + std::string(70000, 'x'), "64 KiB"},
       }) {
    std::string why;
    CHECK_FALSE(decodeLeaderInformation(c.bytes, &why));
    CHECK_THAT(why, Catch::Contains(c.reason));
  }
}

TEST_CASE("unknown keys are ignored, leaving room for more fields") {
  auto id = LeaderSessionId::random();
  auto bytes = "baton.leader.v1\nsession=" + id.toString() + "\naddress=h:1\nfuture=yes\n";
  CHECK(decodeLeaderInformation(bytes) == LeaderInformation(id, "h:1"));
}

TEST_CASE("participant data round-trips and is validated") {
  ParticipantData p{"node-1", "127.0.0.1:9001"};
  CHECK(decodeParticipant(encodeParticipant(p)) == p);
  std::string why;
  CHECK_FALSE(decodeParticipant("baton.participant.v1\naddress=x\n", &why));
  CHECK_THAT(why, Catch::Contains("id"));
  CHECK_FALSE(decodeParticipant("baton.leader.v1\n", &why));
}
