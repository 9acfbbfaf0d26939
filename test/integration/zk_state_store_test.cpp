// LeaderStateStore on ZooKeeper: records under <root>/<cluster-id>/state/<ns>/<key>, every
// write one multi-op with the check of the writer's latch node. Through the backend-neutral
// API only (HighAvailabilityServices::stateStore); an AdminClient checks the znodes (after
// catchUp: its session may sit on a server that has not applied the write yet).
#include <algorithm>
#include <stdexcept>
#include <string>

#include <catch2/catch.hpp>

#include "baton/error.hpp"
#include "baton/leader_state_store.hpp"
#include "support/recording_contender.hpp"
#include "support/zk_test_env.hpp"

using namespace baton;
using namespace baton::test;

namespace {

// One participant of a cluster: its services, election and (once granted) token.
struct Member {
  std::unique_ptr<HighAvailabilityServices> services;
  RecordingContender contender;
  std::unique_ptr<LeaderElection> election;

  Member(const std::string& cluster, const std::string& id)
      : services(makeZkServices(cluster, id)), election(services->getLeaderElection("rm")) {
    election->startLeaderElection(contender);
  }
  FencingToken awaitToken() {
    auto id = contender.inbox.await<Granted>().id;
    auto token = election->fencingToken(id);
    REQUIRE(token);
    return *token;
  }
  LeaderStateStore& store() { return services->stateStore(); }
};

std::string statePath(const std::string& cluster, const std::string& rest) {
  return "/baton-test/" + cluster + "/state/" + rest;
}

}  // namespace

TEST_CASE("state store: put, get, list and erase round trip, versions counted by ZooKeeper") {
  auto cluster = uniqueClusterId("state-roundtrip");
  AdminClient admin;
  Member leader(cluster, "leader");
  auto token = leader.awaitToken();
  auto& store = leader.store();

  CHECK_FALSE(store.get("jobs", "a"));
  CHECK(store.list("jobs").empty());
  std::int64_t version = -1;
  // The first write creates the state root and the namespace in the same multi.
  CHECK_FALSE(store.put(token, "jobs", "b", "two", WriteExpectation::any(), &version));
  CHECK(version == 0);
  admin.catchUp();
  CHECK(admin.data(statePath(cluster, "jobs/b")) == "two");
  CHECK_FALSE(store.put(token, "jobs", "a", "one", WriteExpectation::absent(), &version));
  CHECK(version == 0);
  CHECK_FALSE(store.put(token, "jobs", "a", "one'", WriteExpectation::version(0), &version));
  CHECK(version == 1);
  CHECK_FALSE(store.put(token, "jobs", "a", "one''", WriteExpectation::any(), &version));
  CHECK(version == 2);
  // An empty value and the largest allowed one.
  CHECK_FALSE(store.put(token, "other", "empty", ""));
  std::string big(LeaderStateStore::kMaxValueBytes, 'x');
  CHECK_FALSE(store.put(token, "other", "big", big));

  auto a = store.get("jobs", "a");
  REQUIRE(a);
  CHECK(*a == StoredRecord{"a", "one''", 2});
  CHECK(store.list("jobs") ==
        std::vector<StoredRecord>{StoredRecord{"a", "one''", 2}, StoredRecord{"b", "two", 0}});
  REQUIRE(store.get("other", "big"));
  CHECK(store.get("other", "big")->value == big);
  CHECK(store.get("other", "empty")->value.empty());

  CHECK_FALSE(store.erase(token, "jobs", "b", WriteExpectation::version(0)));
  admin.catchUp();
  CHECK_FALSE(admin.exists(statePath(cluster, "jobs/b")));
  CHECK_FALSE(store.erase(token, "jobs", "b"));  // missing, any: fine
  CHECK(store.list("jobs") == std::vector<StoredRecord>{StoredRecord{"a", "one''", 2}});

  CHECK_FALSE(store.eraseNamespace(token, "jobs"));
  admin.catchUp();
  CHECK_FALSE(admin.exists(statePath(cluster, "jobs")));
  CHECK(store.list("jobs").empty());
  CHECK_FALSE(store.eraseNamespace(token, "jobs"));  // already gone
  CHECK(store.list("other").size() == 2);

  leader.election->close();
  leader.services->cleanupAllData();
  admin.catchUp();
  CHECK_FALSE(admin.exists("/baton-test/" + cluster));
  leader.services->close();
}

TEST_CASE("state store: expectations that do not hold are conflicts and change nothing") {
  auto cluster = uniqueClusterId("state-conflict");
  AdminClient admin;
  Member leader(cluster, "leader");
  auto token = leader.awaitToken();
  auto& store = leader.store();

  // Against a missing record (and namespace): a version expects too much.
  CHECK(store.put(token, "ns", "k", "v", WriteExpectation::version(0)) == Errc::write_conflict);
  CHECK(store.erase(token, "ns", "k", WriteExpectation::version(0)) == Errc::write_conflict);
  admin.catchUp();
  CHECK_FALSE(admin.exists(statePath(cluster, "ns")));
  CHECK_FALSE(store.erase(token, "ns", "k", WriteExpectation::absent()));

  CHECK_FALSE(store.put(token, "ns", "k", "v0", WriteExpectation::absent()));
  CHECK(store.put(token, "ns", "k", "again", WriteExpectation::absent()) == Errc::write_conflict);
  CHECK(store.put(token, "ns", "k", "stale", WriteExpectation::version(3)) == Errc::write_conflict);
  CHECK(store.put(token, "ns", "k", "huge", WriteExpectation::version(std::int64_t{1} << 40)) ==
        Errc::write_conflict);
  CHECK(store.erase(token, "ns", "k", WriteExpectation::version(1)) == Errc::write_conflict);
  CHECK(store.erase(token, "ns", "k", WriteExpectation::absent()) == Errc::write_conflict);
  admin.catchUp();
  CHECK(admin.data(statePath(cluster, "ns/k")) == "v0");
  CHECK(*store.get("ns", "k") == StoredRecord{"k", "v0", 0});

  leader.election->close();
  leader.services->cleanupAllData();
  leader.services->close();
}

TEST_CASE("state store: a deposed leader's write is refused and nothing lands") {
  auto cluster = uniqueClusterId("state-deposed");
  AdminClient admin;
  Member first(cluster, "first");
  auto firstToken = first.awaitToken();
  CHECK_FALSE(first.store().put(firstToken, "ns", "k", "first"));

  Member second(cluster, "second");
  // Deposed by an operator: its latch node goes. The write right after may reach the servers
  // before the revoke reaches the election (then the latch check in the multi refuses it) or
  // after (then it is refused before sending): leadership_lost either way, nothing written.
  auto latch = "/baton-test/" + cluster + "/leader/latch";
  auto nodes = admin.awaitChildren(latch, 2);
  // The leader's node has the lower sequence number (the names' last ten digits).
  auto sequence = [](const std::string& name) { return name.substr(name.size() - 10); };
  std::sort(nodes.begin(), nodes.end(),
            [&](const auto& a, const auto& b) { return sequence(a) < sequence(b); });
  REQUIRE_FALSE(admin.remove(latch + "/" + nodes.front()));
  CHECK(first.store().put(firstToken, "ns", "k", "deposed") == Errc::leadership_lost);
  CHECK(first.store().put(firstToken, "ns", "new", "deposed") == Errc::leadership_lost);
  CHECK(first.store().erase(firstToken, "ns", "k") == Errc::leadership_lost);
  CHECK(first.store().eraseNamespace(firstToken, "ns") == Errc::leadership_lost);
  first.contender.inbox.await<Revoked>();

  // The second participant takes over; the first's token stays refused.
  auto secondToken = second.awaitToken();
  CHECK(secondToken.epoch > firstToken.epoch);
  CHECK_FALSE(second.store().put(secondToken, "ns", "k", "second", WriteExpectation::version(0)));
  CHECK(first.store().put(firstToken, "ns", "k", "deposed") == Errc::leadership_lost);
  // Leaving the election ends the leadership too.
  second.election->close();
  CHECK(second.store().put(secondToken, "ns", "k", "closed") == Errc::leadership_lost);

  admin.catchUp();
  CHECK(admin.data(statePath(cluster, "ns/k")) == "second");
  admin.catchUp();
  CHECK_FALSE(admin.exists(statePath(cluster, "ns/new")));
  // Anyone may read: the deposed participant sees the successor's write.
  CHECK(first.store().get("ns", "k")->value == "second");

  first.election->close();
  first.services->cleanupAllData();
  first.services->close();
  second.services->close();
}

TEST_CASE("state store: bad names and oversized values are refused before anything is sent") {
  auto cluster = uniqueClusterId("state-misuse");
  AdminClient admin;
  Member leader(cluster, "leader");
  auto token = leader.awaitToken();
  auto& store = leader.store();

  std::string tooBig(LeaderStateStore::kMaxValueBytes + 1, 'x');
  CHECK_THROWS_AS(store.put(token, "ns", "k", tooBig), std::invalid_argument);
  for (const char* bad : {"", ".", "..", "a/b", "white space", "ümlaut"}) {
    CHECK_THROWS_AS(store.put(token, bad, "k", "v"), std::invalid_argument);
    CHECK_THROWS_AS(store.put(token, "ns", bad, "v"), std::invalid_argument);
    CHECK_THROWS_AS(store.get(bad, "k"), std::invalid_argument);
    CHECK_THROWS_AS(store.list(bad), std::invalid_argument);
    CHECK_THROWS_AS(store.erase(token, "ns", bad), std::invalid_argument);
    CHECK_THROWS_AS(store.eraseNamespace(token, bad), std::invalid_argument);
  }
  CHECK_THROWS_AS(store.put(token, std::string(256, 'n'), "k", "v"), std::invalid_argument);
  CHECK_THROWS_AS(store.put(token, "ns", "k", "v", WriteExpectation::version(-1)),
                  std::invalid_argument);
  CHECK_THROWS_WITH(store.put(token, "ns", "k", tooBig), Catch::Contains("65537 bytes"));
  admin.catchUp();
  CHECK_FALSE(admin.exists("/baton-test/" + cluster + "/state"));

  leader.election->close();
  leader.services->cleanupAllData();
  leader.services->close();
}
