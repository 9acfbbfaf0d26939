// Failover across processes: several `baton elect --zk` processes against the real ensemble,
// with crashes and server faults. Every verdict comes from the processes' own event logs.
#include <catch2/catch.hpp>

#include "support/elect_process.hpp"
#include "support/zk_test_env.hpp"

using namespace baton;
using namespace baton::test;

namespace {

std::vector<std::string> zkArgs(const std::string& cluster, const std::string& timeout = "4s",
                                const std::string& policy = "standard") {
  return {"--component", "svc", "--address", "127.0.0.1:1", "--zk", zkQuorum(),
          "--set", "ha.zookeeper.root=/baton-test", "--set", "ha.cluster-id=" + cluster,
          "--set", "ha.zookeeper.session-timeout=" + timeout,
          "--set", "ha.connection-policy=" + policy};
}

void cleanup(const std::string& cluster) { AdminClient().removeTree("/baton-test/" + cluster); }

}  // namespace

TEST_CASE("a SIGKILLed leader is taken over once its session expires") {
  auto cluster = uniqueClusterId("sigkill");
  {
    ElectProcess a("a", zkArgs(cluster));
    a.await("granted");
    ElectProcess b("b", zkArgs(cluster));
    b.await("connected");
    AdminClient().awaitChildren("/baton-test/" + cluster + "/leader/latch", 2);

    auto killedAt = nowUs();
    a.killNow();
    auto granted = b.await("granted", scaled(std::chrono::seconds(30)));
    CHECK(granted.tsUs > killedAt);
    auto overlap = firstOverlap([&] {
      auto all = leaderIntervals("a", a.history(), killedAt);
      auto more = leaderIntervals("b", b.history(), nowUs());
      all.insert(all.end(), more.begin(), more.end());
      return all;
    }());
    CHECK(overlap.empty());
    WARN("takeover " << (granted.tsUs - killedAt) / 1000 << " ms after SIGKILL (session timeout 4 s)");
    b.send("quit");
    CHECK(b.wait() == 0);
  }
  cleanup(cluster);
}

TEST_CASE("graceful release hands over at once; rejoin queues at the back") {
  auto cluster = uniqueClusterId("release");
  {
    ElectProcess a("a", zkArgs(cluster, "10s"));
    a.await("granted");
    ElectProcess b("b", zkArgs(cluster, "10s"));
    b.await("connected");
    AdminClient().awaitChildren("/baton-test/" + cluster + "/leader/latch", 2);
    a.send("release");
    a.await("revoked");
    // Within a few round trips, far below the 10 s session timeout (no expiry involved).
    auto granted = b.await("granted", scaled(std::chrono::seconds(5)));
    a.send("rejoin");
    a.await("rejoined");
    b.send("release");
    a.await("granted");
    CHECK(granted.tsUs > 0);
    for (auto* p : {&a, &b}) {
      p->send("quit");
      CHECK(p->wait() == 0);
    }
    auto all = leaderIntervals("a", a.history(), nowUs());
    auto more = leaderIntervals("b", b.history(), nowUs());
    all.insert(all.end(), more.begin(), more.end());
    CHECK(firstOverlap(all).empty());
  }
  CHECK(AdminClient().children("/baton-test/" + cluster + "/leader/latch").empty());
  cleanup(cluster);
}
