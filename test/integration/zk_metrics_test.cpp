// HaMetrics over the ZooKeeper backend, against the test ensemble: the queue (joined, position,
// left), the connection (state, negotiated session timeout, suspension), requests and answers,
// the lease deadline, publish results and state store writes.
#include <algorithm>
#include <memory>
#include <string>

#include <catch2/catch.hpp>

#include "baton/error.hpp"
#include "support/fault_proxy.hpp"
#include "support/recording_contender.hpp"
#include "support/zk_test_env.hpp"
#include "unit/recording_metrics.hpp"

using namespace baton;
using namespace baton::test;
using namespace baton::test::metrics;
using namespace std::chrono_literals;

namespace {

// One participant with its own services, metrics and contender for "rm".
struct MeteredParticipant {
  MeteredParticipant(const std::string& cluster, const std::string& id,
                     std::map<std::string, std::string> extra = {})
      : metrics(std::make_shared<RecordingMetrics>()) {
    HaServicesOptions options;
    options.metrics = metrics;
    services = std::make_unique<zookeeper::ZooKeeperHaServices>(
        zookeeper::parseZkHaSettings(zkConfiguration(cluster, id, std::move(extra))), options);
  }
  ~MeteredParticipant() {
    if (election)
      election->close();
    services->close();
  }
  void start() {
    election = services->getLeaderElection("rm");
    election->startLeaderElection(contender);
  }

  std::shared_ptr<RecordingMetrics> metrics;
  RecordingContender contender;
  std::unique_ptr<zookeeper::ZooKeeperHaServices> services;
  std::unique_ptr<LeaderElection> election;
};

bool isRevoke(const metrics::Transition& t) {
  return t.transition == HaMetrics::Transition::revoked;
}

std::optional<Clock::time_point> lastLease(const std::vector<Event>& events) {
  std::optional<Clock::time_point> last;
  for (const auto& e : events) {
    if (const auto* lease = std::get_if<Lease>(&e))
      last = lease->deadline;
  }
  return last;
}

}  // namespace

TEST_CASE("zookeeper metrics: three participants join at 0, 1, 2; the third moves up") {
  auto cluster = uniqueClusterId("metrics-queue");
  const std::string latch = "/baton-test/" + cluster + "/leader/latch";
  AdminClient admin;
  {
    MeteredParticipant a(cluster, "a");
    MeteredParticipant b(cluster, "b");
    MeteredParticipant c(cluster, "c");

    a.start();
    auto joinedA = a.metrics->next<Joined>();
    CHECK(joinedA.position == 0);
    auto grantedId = a.contender.inbox.expectNext<Granted>().id;
    auto children = admin.children(latch);
    CHECK(std::find(children.begin(), children.end(), joinedA.node) != children.end());

    b.start();
    CHECK(b.metrics->next<Joined>().position == 1);
    c.start();
    CHECK(c.metrics->next<Joined>().position == 2);

    // The connection: connected, with the timeout the servers granted (asked: 6 s).
    CHECK(a.metrics->awaitCount<Connection>(
        1, [](const Connection& s) { return s.state == ConnectionState::connected; }));
    REQUIRE(a.metrics->awaitCount<SessionTimeout>(1));
    for (const auto& e : a.metrics->events()) {
      if (const auto* timeout = std::get_if<SessionTimeout>(&e)) {
        CHECK(timeout->negotiated > 0ms);
        CHECK(timeout->negotiated <= 6000ms);
      }
    }

    // Requests by operation, answers with growing instants.
    auto ok = [](const char* op) {
      return [op](const Request& r) { return r.operation == op && !r.result; };
    };
    CHECK(a.metrics->awaitCount<Request>(1, ok("create")));
    CHECK(a.metrics->awaitCount<Request>(1, ok("get_children")));
    CHECK(a.metrics->awaitCount<Answer>(3));
    {
      std::vector<Clock::time_point> answers;
      for (const auto& e : a.metrics->events()) {
        if (const auto* answer = std::get_if<Answer>(&e))
          answers.push_back(answer->at);
      }
      CHECK(std::is_sorted(answers.begin(), answers.end()));
      CHECK(answers.front() < answers.back());
    }

    // Leading: a lease deadline ahead. Publishing: written, then unchanged is never rewritten.
    CHECK(a.metrics->waitUntil([](const std::vector<Event>& events) {
      auto lease = lastLease(events);
      return lease && *lease != Clock::time_point::max() && *lease > Clock::now();
    }));
    a.election->confirmLeadership(grantedId, "akka://a");
    CHECK(a.metrics->next<Publish>().result == HaMetrics::PublishResult::written);

    // b leaves: c, which watched b, re-lists and moves up.
    b.election->close();
    b.metrics->next<Left>();
    CHECK(c.metrics->next<Position>([](const Position& p) { return p.position == 1; }).position ==
          1);

    // a leaves as leader: revoked (closed), no lease any more, and c moves up to the front.
    a.election->close();
    CHECK(a.metrics->next<metrics::Transition>(isRevoke).reason == "closed");
    CHECK(a.metrics->waitUntil([](const std::vector<Event>& events) {
      return lastLease(events) == Clock::time_point::max();
    }));
    a.metrics->next<Left>();
    c.contender.inbox.expectNext<Granted>(scaled(20s));
    CHECK(c.metrics->next<Position>([](const Position& p) { return p.position == 0; }).position ==
          0);
  }
  admin.removeTree("/baton-test/" + cluster);
}

TEST_CASE(
    "zookeeper metrics: a suspension is reported; the revoked leader's store write is "
    "fenced") {
  auto cluster = uniqueClusterId("metrics-suspend");
  FaultProxy proxy(zkQuorum());
  AdminClient admin;
  {
    // A long session: it outlives the reset connections, so the same session comes back.
    MeteredParticipant a(
        cluster, "a",
        {{"ha.zookeeper.quorum", proxy.quorum()}, {"ha.zookeeper.session-timeout", "20s"}});
    a.start();
    auto id = a.contender.inbox.expectNext<Granted>(scaled(20s)).id;
    auto token = a.election->fencingToken(id);
    REQUIRE(token);
    REQUIRE_FALSE(a.services->stateStore().put(*token, "app", "k", "v"));
    CHECK(a.metrics->next<StoreWrite>().result == HaMetrics::StoreWriteResult::committed);

    proxy.setMode(FaultProxy::Mode::reset);
    CHECK(a.metrics
              ->next<Connection>(
                  [](const Connection& s) { return s.state == ConnectionState::suspended; },
                  scaled(30s))
              .state == ConnectionState::suspended);
    a.contender.inbox.expectNext<Revoked>(scaled(20s));
    // Whichever the runner saw first when the connection went: the suspension, or the lease
    // it no longer renews (both are this fault's words, never "other").
    auto reason = a.metrics->next<metrics::Transition>(isRevoke).reason;
    CHECK((reason == "connection_suspended" || reason == "lease_expired"));
    CHECK(a.services->stateStore().put(*token, "app", "k", "w") ==
          make_error_code(Errc::leadership_lost));
    CHECK(a.metrics->next<StoreWrite>().result == HaMetrics::StoreWriteResult::fenced);

    proxy.setMode(FaultProxy::Mode::pass);
    CHECK(a.metrics
              ->next<Connection>(
                  [](const Connection& s) { return s.state == ConnectionState::reconnected; },
                  scaled(30s))
              .state == ConnectionState::reconnected);
    a.contender.inbox.expectNext<Granted>(scaled(20s));  // the same session leads again
  }
  admin.removeTree("/baton-test/" + cluster);
}

// Issue 12: c listed while b still waited behind a, so c does not know it is next once b leads
// (it watches only b, whose node a's leaving leaves untouched). b's notice, a write of its own
// node's unchanged data, fires c's watch; c lists and moves up. Without it c would stay at 2
// until b left, and its takeover would wait a tick for its lease proof.
TEST_CASE("zookeeper metrics: the participant behind a new leader learns that it is next") {
  auto cluster = uniqueClusterId("metrics-notice");
  const std::string latch = "/baton-test/" + cluster + "/leader/latch";
  AdminClient admin;
  {
    MeteredParticipant a(cluster, "a");
    MeteredParticipant b(cluster, "b");
    MeteredParticipant c(cluster, "c");
    a.start();
    a.contender.inbox.expectNext<Granted>();
    b.start();
    auto joinedB = b.metrics->next<Joined>();
    CHECK(joinedB.position == 1);
    const std::string nodeB = latch + "/" + joinedB.node;
    const std::string dataB = admin.data(nodeB);
    c.start();
    CHECK(c.metrics->next<Joined>().position == 2);

    a.election->close();
    b.contender.inbox.expectNext<Granted>(scaled(20s));
    CHECK(c.metrics->next<Position>([](const Position& p) { return p.position == 1; }).position ==
          1);
    CHECK(admin.data(nodeB) == dataB);  // the notice changed no byte of b's node
    CHECK(c.contender.inbox.empty());
  }
  admin.removeTree("/baton-test/" + cluster);
}
