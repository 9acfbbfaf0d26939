// ZooKeeper servers failing under a running election: the leader's server restarted (a rolling
// restart restarts every server, so it restarts the leader's too), and the quorum lost and
// regained. `baton elect` processes with the standard policy; verdicts from their own logs.
#include <catch2/catch.hpp>

#include "support/elect_process.hpp"
#include "support/zk_test_env.hpp"

using namespace baton;
using namespace baton::test;

namespace {

std::vector<std::string> zkArgs(const std::string& cluster, const std::string& timeout = "10s") {
  return {"--component", "svc",
          "--address",   "127.0.0.1:1",
          "--zk",        zkQuorum(),
          "--set",       "ha.zookeeper.root=/baton-test",
          "--set",       "ha.cluster-id=" + cluster,
          "--set",       "ha.zookeeper.session-timeout=" + timeout,
          "--set",       "ha.connection-policy=standard"};
}

bool isLeading(const ElectProcess& p) {
  bool leading = false;
  for (const auto& e : p.history()) {
    if (e.event == "granted")
      leading = true;
    if (e.event == "revoked")
      leading = false;
  }
  return leading;
}

int count(const ElectProcess& p, const std::string& event) {
  int n = 0;
  for (const auto& e : p.history())
    n += e.event == event ? 1 : 0;
  return n;
}

void awaitLeading(ElectProcess& p) {
  if (!isLeading(p))
    p.await("granted", scaled(std::chrono::seconds(30)));
}

std::string overlapOf(const ElectProcess& a, const ElectProcess& b) {
  auto all = leaderIntervals(a.name(), a.history(), nowUs());
  auto more = leaderIntervals(b.name(), b.history(), nowUs());
  all.insert(all.end(), more.begin(), more.end());
  return firstOverlap(all);
}

}  // namespace

TEST_CASE("a rolling restart of every server keeps the leader and its session") {
  auto cluster = uniqueClusterId("rolling");
  {
    ElectProcess a("a", zkArgs(cluster));
    a.await("granted");
    ElectProcess b("b", zkArgs(cluster));
    b.await("connected");
    AdminClient().awaitChildren("/baton-test/" + cluster + "/leader/latch", 2);
    for (int node = 1; node <= 3; ++node) {
      ensemble("restart " + std::to_string(node));
      awaitLeading(a);
    }
    CHECK(count(a, "lost") == 0);     // the same session throughout
    CHECK(count(b, "granted") == 0);  // nobody else ever led
    CHECK(overlapOf(a, b).empty());
    WARN("standard policy: the leader was revoked " << count(a, "revoked")
                                                    << " time(s) during the rolling restart");
    for (auto* p : {&a, &b}) {
      p->send("quit");
      CHECK(p->wait() == 0);
    }
  }
  AdminClient().removeTree("/baton-test/" + cluster);
}

TEST_CASE("quorum lost and regained: the leader steps down, then leads again with its session") {
  auto cluster = uniqueClusterId("quorum");
  {
    // Restarting two servers takes seconds on a loaded machine: the sessions must outlive it.
    ElectProcess a("a", zkArgs(cluster, "30s"));
    a.await("granted");
    ElectProcess b("b", zkArgs(cluster, "30s"));
    b.await("connected");
    AdminClient().awaitChildren("/baton-test/" + cluster + "/leader/latch", 2);
    ensemble("kill 1");
    ensemble("kill 2");
    // Without a quorum no server serves: every client is cut off; the leader steps down.
    a.await("revoked", scaled(std::chrono::seconds(30)));
    ensemble("start-node 1");
    ensemble("start-node 2");
    a.await("granted", scaled(std::chrono::seconds(30)));
    CHECK(count(a, "lost") == 0);
    CHECK(count(b, "granted") == 0);
    CHECK(overlapOf(a, b).empty());
    for (auto* p : {&a, &b}) {
      p->send("quit");
      CHECK(p->wait() == 0);
    }
  }
  AdminClient().removeTree("/baton-test/" + cluster);
}
