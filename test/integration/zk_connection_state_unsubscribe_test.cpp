// HighAvailabilityServices::removeConnectionStateCallback on ZooKeeper: once it returns, the
// removed callback hears of no state change, while a callback set afterwards does.
#include <catch2/catch.hpp>

#include "support/fault_proxy.hpp"
#include "support/recording_contender.hpp"
#include "support/zk_test_env.hpp"

using namespace baton;
using namespace baton::test;
using namespace std::chrono_literals;

TEST_CASE("a removed connection-state callback is not called; the next one is") {
  auto cluster = uniqueClusterId("state-unsubscribe");
  FaultProxy proxy(zkQuorum());
  AdminClient admin;
  // A long session: it outlives the partition, so the witness sees suspended, then reconnected.
  auto services = makeZkServices(
      cluster, "watcher",
      {{"ha.zookeeper.quorum", proxy.quorum()}, {"ha.zookeeper.session-timeout", "20s"}});
  EventInbox<ConnectionState> removed;
  services->setConnectionStateCallback(
      [&removed](ConnectionState state, const std::string&) { removed.push(state); });
  REQUIRE(removed.next(eventTimeout()) == ConnectionState::connected);

  services->removeConnectionStateCallback();
  services->removeConnectionStateCallback();  // idempotent

  // The witness: state calls run in order on one queue, so once it has heard of the partition,
  // the removed callback would have been called for it too.
  EventInbox<ConnectionState> witness;
  services->setConnectionStateCallback(
      [&witness](ConnectionState state, const std::string&) { witness.push(state); });
  REQUIRE(witness.next(eventTimeout()) == ConnectionState::connected);  // reported on set
  proxy.setMode(FaultProxy::Mode::blackhole);
  REQUIRE(witness.next(scaled(30s)) == ConnectionState::suspended);
  proxy.setMode(FaultProxy::Mode::pass);
  REQUIRE(witness.next(scaled(30s)) == ConnectionState::reconnected);
  CHECK(removed.empty());

  // setConnectionStateCallback(nullptr) unsubscribes as well.
  services->setConnectionStateCallback(nullptr);
  services->close();
  CHECK_NOTHROW(services->removeConnectionStateCallback());  // after close
  CHECK(removed.empty());
  admin.removeTree("/baton-test/" + cluster);
}
