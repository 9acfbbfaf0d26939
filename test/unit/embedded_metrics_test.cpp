// HaMetrics over the embedded backend: what the election service, the embedded cluster, the
// retrieval service and the state store report, and that none of it is reported while a lock
// of the library is held (every report runs a probe that takes those locks from another thread).
#include <memory>
#include <string>

#include <catch2/catch.hpp>

#include "baton/error.hpp"
#include "embedded_election_driver.hpp"
#include "embedded_fixture.hpp"
#include "unit/recording_metrics.hpp"

using baton::FencingToken;
using baton::HaMetrics;
using baton::HaServicesOptions;
using baton::LeaderInformation;
using baton::embedded::EmbeddedCluster;
using baton::test::EmbeddedNode;
using baton::test::Granted;
using baton::test::LeaderSeen;
using baton::test::RecordingRetrievalListener;
using baton::test::Revoked;
using namespace baton::test::metrics;

namespace {

HaServicesOptions withMetrics(const std::shared_ptr<RecordingMetrics>& metrics) {
  HaServicesOptions options;
  options.metrics = metrics;
  return options;
}

// Takes the locks a report could be made under: the election service's (hasLeadership), the
// embedded services' and the cluster's (currentLeader, participants), the state store's and
// its watchers' (watchNamespace).
void probeLocks(EmbeddedNode& node) {
  node.election->hasLeadership(baton::LeaderSessionId::random());
  (void)node.services->currentLeader("rm");
  (void)node.services->participants();
  (void)node.services->stateStore().watchNamespace("probe", [](const auto&) {});
}

// A node whose metrics probe its own locks from the moment its election exists.
struct MeteredNode {
  MeteredNode(const std::shared_ptr<EmbeddedCluster>& cluster, const std::string& id)
      : metrics(std::make_shared<RecordingMetrics>()), node(cluster, id, withMetrics(metrics)) {
    node.election = node.services->getLeaderElection("rm");
    metrics->setProbe([this] { probeLocks(node); });
  }
  ~MeteredNode() { metrics->setProbe(nullptr); }
  void start() { node.election->startLeaderElection(node.contender); }

  std::shared_ptr<RecordingMetrics> metrics;
  EmbeddedNode node;
};

// The embedded driver's listener for tests of the driver alone: its facts are not looked at.
class NullDriverListener final : public baton::LeaderElectionDriver::Listener {
 public:
  void onGrantLeadership(std::uint64_t) override {}
  void onRevokeLeadership(const std::string&) override {}
  void onLeaderInformationChange(const std::string&, const LeaderInformation&) override {}
  void onError(const std::system_error&) override {}
  void onFailure(const std::system_error&) override {}
};

bool isRevoke(const Transition& t) {
  return t.transition == HaMetrics::Transition::revoked;
}

}  // namespace

TEST_CASE("embedded metrics: join, grant, publish, handover with tenure, leaving") {
  auto cluster = EmbeddedCluster::create();
  MeteredNode a(cluster, "a");
  MeteredNode b(cluster, "b");

  a.start();
  auto joinedA = a.metrics->next<Joined>();
  CHECK(joinedA.node == "a");
  CHECK(joinedA.position == 0);
  auto grantedId = a.node.contender.inbox.expectNext<Granted>().id;
  CHECK(a.metrics->next<Status>().leading);
  auto granted = a.metrics->next<Transition>();
  CHECK(granted.component == "rm");
  CHECK(granted.transition == HaMetrics::Transition::granted);
  CHECK(granted.reason.empty());

  a.node.election->confirmLeadership(grantedId, "akka://a");
  auto published = a.metrics->next<Publish>();
  CHECK(published.component == "rm");
  CHECK(published.result == HaMetrics::PublishResult::written);

  b.start();
  auto joinedB = b.metrics->next<Joined>();
  CHECK(joinedB.node == "b");
  CHECK(joinedB.position == 1);

  // Handed over: a is revoked with the reason word and its tenure, and moves back; b moves up.
  cluster->transferLeadership("b");
  a.node.contender.inbox.expectNext<Revoked>();
  CHECK_FALSE(a.metrics->next<Status>().leading);
  auto revoked = a.metrics->next<Transition>(isRevoke);
  CHECK(revoked.reason == "transferred");
  CHECK(a.metrics->next<Tenure>().tenure > std::chrono::nanoseconds::zero());
  CHECK(a.metrics->next<Position>().position == 1);
  CHECK(b.metrics->next<Position>().position == 0);
  b.node.contender.inbox.expectNext<Granted>();
  CHECK(b.metrics->next<Status>().leading);

  // b leaves while leading: revoked as "closed"; its place is gone; a is next in line again.
  b.metrics->setProbe(nullptr);  // the probe calls the election being closed
  b.node.election->close();
  CHECK(b.metrics->next<Transition>(isRevoke).reason == "closed");
  b.metrics->next<Left>();
  CHECK(a.metrics->next<Position>().position == 0);
  a.node.contender.inbox.expectNext<Granted>();

  CHECK(a.metrics->violations().empty());
  CHECK(b.metrics->violations().empty());
}

TEST_CASE("embedded metrics: publish results, retrieval changes and store writes") {
  auto cluster = EmbeddedCluster::create();
  MeteredNode a(cluster, "a");
  a.start();
  auto id = a.node.contender.inbox.expectNext<Granted>().id;
  auto written = [](const Publish& p) { return p.result == HaMetrics::PublishResult::written; };
  auto rm = [](const Retrieval& r) { return r.component == "rm"; };

  RecordingRetrievalListener listener;
  auto retriever = a.node.services->getLeaderRetriever("rm");
  retriever->start(listener);
  CHECK(a.metrics->awaitCount<Retrieval>(1, rm));  // the first report: no leader yet
  a.node.election->confirmLeadership(id, "akka://a");
  CHECK(a.metrics->awaitCount<Publish>(1, written));
  CHECK(a.metrics->awaitCount<Retrieval>(2, rm));  // a leads now

  // Overwritten from outside: the service heals it, a second write; retrievers see both.
  cluster->tamperLeaderInformation("rm", LeaderInformation(id, "elsewhere"));
  CHECK(a.metrics->awaitCount<Publish>(2, written));
  CHECK(a.metrics->awaitCount<Retrieval>(4, rm));

  auto token = a.node.election->fencingToken(id);
  REQUIRE(token);
  REQUIRE_FALSE(a.node.services->stateStore().put(*token, "app", "k", "v"));
  CHECK(a.metrics->next<StoreWrite>().result == HaMetrics::StoreWriteResult::committed);
  cluster->deposeLeader();
  a.node.contender.inbox.expectNext<Revoked>();
  CHECK(a.metrics->next<Transition>(isRevoke).reason == "deposed");
  CHECK(a.node.services->stateStore().put(*token, "app", "k", "w") ==
        make_error_code(baton::Errc::leadership_lost));
  CHECK(a.metrics->next<StoreWrite>().result == HaMetrics::StoreWriteResult::fenced);

  retriever->stop();
  CHECK(a.metrics->violations().empty());
}

TEST_CASE(
    "embedded metrics: a publish by a member that no longer leads is fenced; equal "
    "information is unchanged") {
  auto cluster = std::make_shared<baton::embedded::detail::EmbeddedClusterImpl>(nullptr);
  auto metrics = std::make_shared<RecordingMetrics>();
  NullDriverListener listener;
  baton::embedded::detail::EmbeddedLeaderElectionDriver driver(cluster, "a", listener, metrics);
  REQUIRE(metrics->awaitCount<Joined>(1));
  const LeaderInformation info(baton::LeaderSessionId::random(), "akka://a");
  driver.publishLeaderInformation("rm", info);
  driver.publishLeaderInformation("rm", info);
  CHECK(metrics->next<Publish>().result == HaMetrics::PublishResult::written);
  CHECK(metrics->next<Publish>().result == HaMetrics::PublishResult::unchanged);
  cluster->setAutomaticElection(false);  // deposed, the only member is not granted again
  cluster->deposeLeader();
  driver.publishLeaderInformation("rm", info);
  CHECK(metrics->next<Publish>().result == HaMetrics::PublishResult::fenced);
  driver.close();
  metrics->next<Left>();
}

TEST_CASE(
    "embedded metrics: closing the services revokes as closed; empty metrics report nothing") {
  auto cluster = EmbeddedCluster::create();
  {
    MeteredNode a(cluster, "a");
    a.start();
    a.node.contender.inbox.expectNext<Granted>();
    a.metrics->setProbe(nullptr);  // the probe calls the services being closed
    a.node.services->close();
    CHECK(a.metrics->next<Transition>(isRevoke).reason == "closed");
    CHECK(a.metrics->next<Tenure>().component == "rm");
    a.metrics->next<Left>();
  }
  // No metrics given: the shared no-op instance takes the reports (nothing to observe but
  // that the election runs as before).
  EmbeddedNode plain(cluster, "p");
  plain.start();
  plain.contender.inbox.expectNext<Granted>();
}
