// ha.type = embedded through the factory: services of one ha.cluster-id share one election.
#include <catch2/catch.hpp>

#include <unistd.h>

#include "baton/embedded/embedded_cluster.hpp"
#include "baton/ha_services_factory.hpp"
#include "support/recording_contender.hpp"

using baton::Configuration;
using baton::createHighAvailabilityServices;
using baton::LeaderSessionId;
using baton::test::EventInbox;
using baton::test::Granted;
using baton::test::RecordingContender;
using baton::test::Revoked;

namespace {

// "granted A", "revoked A", ... in the order the contenders saw them.
struct Seen {
  std::string what;
};

void record(RecordingContender& contender, EventInbox<Seen>& log, const std::string& name) {
  contender.onGrant = [&log, name](const LeaderSessionId&) { log.push({"granted " + name}); };
  contender.onRevoke = [&log, name] { log.push({"revoked " + name}); };
}

std::string uniqueClusterId(const std::string& base) {
  static int counter = 0;
  return base + "-" + std::to_string(getpid()) + "-" + std::to_string(++counter);
}

Configuration embeddedConfiguration(const std::string& clusterId, const std::string& participant) {
  return Configuration::fromMap(
      {{"ha.type", "embedded"}, {"ha.cluster-id", clusterId}, {"ha.participant-id", participant}});
}

}  // namespace

TEST_CASE("two embedded services of one cluster id elect exactly one leader at a time") {
  const auto clusterId = uniqueClusterId("factory-embedded");
  auto servicesA = createHighAvailabilityServices(embeddedConfiguration(clusterId, "a"));
  auto servicesB = createHighAvailabilityServices(embeddedConfiguration(clusterId, "b"));
  EventInbox<Seen> log;
  RecordingContender contenderA;
  RecordingContender contenderB;
  record(contenderA, log, "a");
  record(contenderB, log, "b");
  auto electionA = servicesA->getResourceManagerLeaderElection();
  auto electionB = servicesB->getResourceManagerLeaderElection();
  electionA->startLeaderElection(contenderA);
  electionB->startLeaderElection(contenderB);

  const std::string first = log.next().what;
  REQUIRE((first == "granted a" || first == "granted b"));
  const bool aLeads = first == "granted a";
  auto& leaderElection = aLeads ? electionA : electionB;
  const std::string leader = aLeads ? "a" : "b";
  const std::string follower = aLeads ? "b" : "a";
  CHECK(baton::embedded::EmbeddedCluster::shared(clusterId)->currentLeader() == leader);

  // The leader leaves: it is revoked, and only then is the other one granted. Had both been
  // granted at start, "granted <follower>" would come before "revoked <leader>".
  leaderElection->close();
  CHECK(log.next().what == "revoked " + leader);
  CHECK(log.next().what == "granted " + follower);

  electionA->close();
  electionB->close();
  CHECK(log.next().what == "revoked " + follower);
  CHECK(contenderA.grants() == 1);
  CHECK(contenderB.grants() == 1);
  CHECK(contenderA.violations().empty());
  CHECK(contenderB.violations().empty());
  servicesA->close();
  servicesB->close();
}

TEST_CASE("embedded services of different cluster ids do not compete") {
  auto servicesA = createHighAvailabilityServices(
      embeddedConfiguration(uniqueClusterId("factory-embedded-x"), "a"));
  auto servicesB = createHighAvailabilityServices(
      embeddedConfiguration(uniqueClusterId("factory-embedded-y"), "b"));
  RecordingContender contenderA;
  RecordingContender contenderB;
  auto electionA = servicesA->getDispatcherLeaderElection();
  auto electionB = servicesB->getDispatcherLeaderElection();
  electionA->startLeaderElection(contenderA);
  electionB->startLeaderElection(contenderB);
  contenderA.inbox.expectNext<Granted>();
  contenderB.inbox.expectNext<Granted>();
  electionA->close();
  electionB->close();
  contenderA.inbox.expectNext<Revoked>();
  contenderB.inbox.expectNext<Revoked>();
}

TEST_CASE("embedded defaults: cluster id 'default' and a generated participant id") {
  auto cluster = baton::embedded::EmbeddedCluster::shared("default");
  auto services = createHighAvailabilityServices(Configuration().set("ha.type", "embedded"));
  auto other = createHighAvailabilityServices(Configuration().set("ha.type", "embedded"));
  RecordingContender contender;
  RecordingContender second;
  auto election = services->getResourceManagerLeaderElection();
  auto otherElection = other->getResourceManagerLeaderElection();
  election->startLeaderElection(contender);
  contender.inbox.expectNext<Granted>();
  otherElection->startLeaderElection(second);  // a distinct participant: it queues
  auto leader = cluster->currentLeader();
  REQUIRE(leader.has_value());
  CHECK_THAT(*leader, Catch::Contains("-" + std::to_string(getpid()) + "-"));
  election->close();
  second.inbox.expectNext<Granted>();
  CHECK(cluster->currentLeader() != leader);
  otherElection->close();
  services->close();
  other->close();
}
