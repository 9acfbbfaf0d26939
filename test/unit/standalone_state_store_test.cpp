// StandaloneHaServices::stateStore(): in-memory records per services instance, fenced by the
// one token every standalone leader holds; participants() and currentLeader().
#include <catch2/catch.hpp>

#include <boost/asio/io_context.hpp>
#include <stdexcept>
#include <string>

#include "baton/error.hpp"
#include "baton/standalone/standalone_ha_services.hpp"
#include "standalone_leader_election.hpp"
#include "support/recording_contender.hpp"

using baton::Errc;
using baton::FencingToken;
using baton::HaServicesOptions;
using baton::LeaderInformation;
using baton::LeaderSessionId;
using baton::LeaderStateStore;
using baton::Participant;
using baton::StoredRecord;
using baton::WriteExpectation;
using baton::standalone::StandaloneHaServices;
using baton::test::Granted;
using baton::test::RecordingContender;

namespace {

const FencingToken kStandaloneToken{LeaderSessionId::defaultId(), 0};

std::map<std::string, std::string> addresses() {
  return {{"rm", "akka://rm:6123"}};
}

}  // namespace

TEST_CASE("standalone store: records round-trip with versions") {
  StandaloneHaServices services(addresses());
  LeaderStateStore& store = services.stateStore();
  std::int64_t version = -1;
  REQUIRE_FALSE(store.put(kStandaloneToken, "app", "k1", "v1", WriteExpectation::any(), &version));
  CHECK(version == 0);
  REQUIRE_FALSE(store.put(kStandaloneToken, "app", "k1", "v2", WriteExpectation::any(), &version));
  CHECK(version == 1);
  REQUIRE_FALSE(store.put(kStandaloneToken, "app", "a0", "x"));
  CHECK(store.get("app", "k1") == StoredRecord{"k1", "v2", 1});
  CHECK(store.list("app") == std::vector<StoredRecord>{{"a0", "x", 0}, {"k1", "v2", 1}});
  CHECK(store.list("other").empty());
  CHECK_FALSE(store.get("other", "k1"));

  REQUIRE_FALSE(store.erase(kStandaloneToken, "app", "k1"));
  CHECK_FALSE(store.get("app", "k1"));
  CHECK_FALSE(store.erase(kStandaloneToken, "app", "k1"));  // missing under any(): success
  REQUIRE_FALSE(
      store.put(kStandaloneToken, "app", "k1", "again", WriteExpectation::any(), &version));
  CHECK(version == 0);  // a new record starts over

  REQUIRE_FALSE(store.eraseNamespace(kStandaloneToken, "app"));
  CHECK(store.list("app").empty());
  CHECK_FALSE(store.eraseNamespace(kStandaloneToken, "app"));  // already gone: success
}

TEST_CASE("standalone store: expectations are compare-and-set") {
  StandaloneHaServices services(addresses());
  LeaderStateStore& store = services.stateStore();
  const auto conflict = make_error_code(Errc::write_conflict);
  CHECK(store.put(kStandaloneToken, "app", "k", "v", WriteExpectation::version(0)) == conflict);
  CHECK_FALSE(store.get("app", "k"));
  REQUIRE_FALSE(store.put(kStandaloneToken, "app", "k", "v0", WriteExpectation::absent()));
  CHECK(store.put(kStandaloneToken, "app", "k", "v", WriteExpectation::absent()) == conflict);
  CHECK(store.put(kStandaloneToken, "app", "k", "v", WriteExpectation::version(1)) == conflict);
  CHECK(store.get("app", "k") == StoredRecord{"k", "v0", 0});
  REQUIRE_FALSE(store.put(kStandaloneToken, "app", "k", "v1", WriteExpectation::version(0)));
  CHECK(store.erase(kStandaloneToken, "app", "k", WriteExpectation::version(0)) == conflict);
  CHECK(store.erase(kStandaloneToken, "app", "k", WriteExpectation::absent()) == conflict);
  CHECK(store.get("app", "k") == StoredRecord{"k", "v1", 1});
  CHECK_FALSE(store.erase(kStandaloneToken, "app", "k", WriteExpectation::version(1)));
  CHECK(store.erase(kStandaloneToken, "app", "k", WriteExpectation::version(1)) == conflict);
}

TEST_CASE("standalone store: only the standalone leader's token writes") {
  StandaloneHaServices services(addresses());
  LeaderStateStore& store = services.stateStore();
  auto election = services.getLeaderElection("rm");
  RecordingContender contender;
  election->startLeaderElection(contender);
  auto granted = contender.inbox.expectNext<Granted>();
  auto token = election->fencingToken(granted.id);
  REQUIRE(token);
  CHECK_FALSE(store.put(*token, "app", "k", "leader"));

  const auto lost = make_error_code(Errc::leadership_lost);
  CHECK(store.put(FencingToken{LeaderSessionId::random(), 0}, "app", "k", "other") == lost);
  CHECK(store.put(FencingToken{LeaderSessionId::defaultId(), 1}, "app", "k", "other") == lost);
  CHECK(store.erase(FencingToken{LeaderSessionId::random(), 0}, "app", "k") == lost);
  CHECK(store.eraseNamespace(FencingToken{LeaderSessionId::random(), 0}, "app") == lost);
  CHECK(store.get("app", "k") == StoredRecord{"k", "leader", 0});
  election->close();
}

TEST_CASE("standalone store: bad names and oversized values are refused before anything") {
  StandaloneHaServices services(addresses());
  LeaderStateStore& store = services.stateStore();
  CHECK_THROWS_AS(store.put(kStandaloneToken, "", "k", "v"), std::invalid_argument);
  CHECK_THROWS_AS(store.put(kStandaloneToken, "app", "a/b", "v"), std::invalid_argument);
  CHECK_THROWS_AS(store.put(kStandaloneToken, "..", "k", "v"), std::invalid_argument);
  CHECK_THROWS_AS(store.put(kStandaloneToken, "app", std::string(256, 'k'), "v"),
                  std::invalid_argument);
  CHECK_THROWS_AS(store.put(kStandaloneToken, "app", "k",
                            std::string(LeaderStateStore::kMaxValueBytes + 1, 'v')),
                  std::invalid_argument);
  CHECK_THROWS_AS(store.erase(kStandaloneToken, "app", "."), std::invalid_argument);
  CHECK_THROWS_AS(store.eraseNamespace(kStandaloneToken, "a b"), std::invalid_argument);
  CHECK_THROWS_AS(store.get("app", ""), std::invalid_argument);
  CHECK_THROWS_AS(store.list("ns/x"), std::invalid_argument);
  CHECK(store.list("app").empty());
  CHECK_FALSE(store.put(kStandaloneToken, "app", "k",
                        std::string(LeaderStateStore::kMaxValueBytes, 'v')));  // the limit fits
}

TEST_CASE("standalone store: completions run on the callback executor") {
  boost::asio::io_context io;
  HaServicesOptions options;
  options.callbackExecutor = io.get_executor();
  StandaloneHaServices services(addresses(), options);
  bool done = false;
  std::error_code result = make_error_code(Errc::timed_out);
  services.stateStore().asyncPut(kStandaloneToken, "app", "k", "v", WriteExpectation::any(),
                                 [&](std::error_code ec, std::int64_t) {
                                   result = ec;
                                   done = true;
                                 });
  CHECK_FALSE(done);                             // not on the caller's stack
  CHECK(services.stateStore().get("app", "k"));  // but already applied
  io.poll();
  CHECK(done);
  CHECK_FALSE(result);
  services.close();
}

TEST_CASE("standalone store: cleanupAllData empties it; writes after close are misuse") {
  StandaloneHaServices services(addresses());
  LeaderStateStore& store = services.stateStore();
  REQUIRE_FALSE(store.put(kStandaloneToken, "app", "k", "v"));
  services.cleanupAllData();
  CHECK(store.list("app").empty());
  REQUIRE_FALSE(store.put(kStandaloneToken, "app", "k", "v"));
  services.close();
  CHECK_THROWS_AS(store.put(kStandaloneToken, "app", "k", "w"), std::logic_error);
  CHECK_THROWS_AS(services.stateStore(), std::logic_error);
  CHECK(store.get("app", "k") == StoredRecord{"k", "v", 0});  // reads still answer
}

TEST_CASE("standalone store: each services instance has its own records") {
  StandaloneHaServices one(addresses());
  StandaloneHaServices two(addresses());
  REQUIRE_FALSE(one.stateStore().put(kStandaloneToken, "app", "k", "v"));
  CHECK_FALSE(two.stateStore().get("app", "k"));
}

TEST_CASE("standalone participants and current leader") {
  SECTION("the configured participant") {
    StandaloneHaServices services(addresses(), {}, Participant{"p1", "host:1"});
    CHECK(services.participants() == std::vector<Participant>{{"p1", "host:1"}});
  }
  SECTION("none configured") {
    StandaloneHaServices services(addresses());
    CHECK(services.participants() == std::vector<Participant>{{"standalone", ""}});
    CHECK(services.currentLeader("rm") ==
          LeaderInformation(LeaderSessionId::defaultId(), "akka://rm:6123"));
    CHECK(services.currentLeader("dispatcher").isEmpty());
    CHECK_THROWS_AS(services.currentLeader("bad/id"), std::invalid_argument);
  }
}
