// LeaderStateStore::watchNamespace on the in-memory backends: anyone may watch, the first
// event is a relist, then each applied write's key (a whole namespace: relist), only for the
// watched namespace, on the callback executor, and nothing after the watch was destroyed.
#include <catch2/catch.hpp>

#include <map>

#include "baton/error.hpp"
#include "baton/standalone/standalone_ha_services.hpp"
#include "support/recording_contender.hpp"
#include "unit/embedded_fixture.hpp"

using baton::FencingToken;
using baton::LeaderSessionId;
using baton::LeaderStateStore;
using baton::NamespaceChange;
using baton::StoredRecord;
using baton::WriteExpectation;
using baton::embedded::EmbeddedCluster;
using baton::standalone::StandaloneHaServices;
using baton::test::EmbeddedNode;
using baton::test::EventInbox;
using baton::test::Granted;

namespace {

FencingToken awaitToken(EmbeddedNode& node) {
  auto granted = node.contender.inbox.expectNext<Granted>();
  auto token = node.election->fencingToken(granted.id);
  REQUIRE(token);
  return *token;
}

NamespaceChange keys(std::string ns, std::vector<std::string> changed) {
  return NamespaceChange{std::move(ns), std::move(changed), false};
}
NamespaceChange relist(std::string ns) {
  return NamespaceChange{std::move(ns), {}, true};
}

}  // namespace

TEST_CASE("namespace watch (embedded): a follower sees the leader's writes") {
  auto cluster = EmbeddedCluster::create();
  EmbeddedNode a(cluster, "a");
  EmbeddedNode b(cluster, "b");
  a.start();
  b.start();
  const FencingToken token = awaitToken(a);
  EventInbox<NamespaceChange> seen;
  auto watch = b.services->stateStore().watchNamespace(
      "app", [&](const NamespaceChange& change) { seen.push(change); });
  CHECK(seen.next() == relist("app"));

  LeaderStateStore& store = a.services->stateStore();
  REQUIRE_FALSE(store.put(token, "app", "k1", "v"));
  CHECK(seen.next() == keys("app", {"k1"}));
  REQUIRE_FALSE(store.put(token, "other", "k2", "v"));  // not watched: nothing
  REQUIRE_FALSE(store.addToCounter(token, "app", "c", 1));
  CHECK(seen.next() == keys("app", {"c"}));
  REQUIRE_FALSE(store.erase(token, "app", "k1"));
  CHECK(seen.next() == keys("app", {"k1"}));
  // Refused writes change nothing and are not reported.
  CHECK(store.put(token, "app", "c", "x", WriteExpectation::absent()));
  REQUIRE_FALSE(store.eraseNamespace(token, "app"));
  CHECK(seen.next() == relist("app"));
  a.services->cleanupAllData();
  CHECK(seen.next() == relist("app"));

  watch.reset();
  REQUIRE_FALSE(store.put(token, "app", "k3", "v"));
  // A second watch on the same callback executor: its k4 comes after the first's k3 would
  // have (the posts are in order), so an empty inbox then proves k3 was never delivered.
  EventInbox<NamespaceChange> later;
  auto second = b.services->stateStore().watchNamespace(
      "app", [&](const NamespaceChange& change) { later.push(change); });
  CHECK(later.next() == relist("app"));
  REQUIRE_FALSE(store.put(token, "app", "k4", "v"));
  CHECK(later.next() == keys("app", {"k4"}));
  CHECK(seen.empty());
}

TEST_CASE("namespace watch (standalone): writes and cleanup are reported") {
  StandaloneHaServices services(std::map<std::string, std::string>{{"rm", "akka://rm:6123"}});
  const FencingToken token{LeaderSessionId::defaultId(), 0};
  EventInbox<NamespaceChange> seen;
  auto watch = services.stateStore().watchNamespace(
      "app", [&](const NamespaceChange& change) { seen.push(change); });
  CHECK(seen.next() == relist("app"));
  REQUIRE_FALSE(services.stateStore().put(token, "app", "k", "v"));
  CHECK(seen.next() == keys("app", {"k"}));
  services.cleanupAllData();
  CHECK(seen.next() == relist("app"));
  CHECK_THROWS_AS(services.stateStore().watchNamespace("bad/ns", [](const NamespaceChange&) {}),
                  std::invalid_argument);
  CHECK_THROWS_AS(services.stateStore().watchNamespace("app", nullptr), std::invalid_argument);
}
