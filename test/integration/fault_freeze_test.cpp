// A leader frozen (SIGSTOP) longer than its session timeout, then resumed: with the lease
// policy it revokes before anything else it reports, its fenced write is rejected and changes
// nothing, and its successor was granted only after the servers expired the frozen session.
#include <catch2/catch.hpp>

#include <signal.h>

#include <thread>

#include "support/fault_scenario.hpp"

using namespace baton;
using namespace baton::test;
using namespace std::chrono_literals;

TEST_CASE("a frozen leader revokes first thing after it resumes; its fenced write fails") {
  ElectSetup setup{uniqueClusterId("freeze")};  // lease, 4 s, margin 1 s
  // Where `baton elect` writes: the record svc in the state store's namespace "app".
  const std::string app = "/baton-test/" + setup.cluster + "/state/app/svc";
  AdminClient admin;
  {
    ElectProcess a("a", setup.args(zkQuorum()));
    a.await("granted", scaled(20s));
    ElectProcess b("b", setup.args(zkQuorum()));
    admin.awaitChildren(setup.latch(), 2);
    a.send("write v1");
    auto written = a.await("write");
    REQUIRE(jsonField(written.raw, "result") == "ok");
    CHECK(admin.data(app) == "v1");

    auto stopUs = nowUs();
    a.signal(SIGSTOP);
    admin.awaitChildren(setup.latch(), 1, scaled(20s));  // the servers expired a's session
    auto expiredUs = nowUs();
    auto granted = b.await("granted", scaled(20s));
    std::this_thread::sleep_for(1s);  // frozen a while longer: b leads meanwhile
    auto contUs = nowUs();
    a.signal(SIGCONT);

    auto revoked = a.await("revoked", scaled(10s));
    a.send("write v2");
    auto rejected = a.await("write");
    b.send("write v3");
    auto accepted = b.await("write");

    // The first thing a reports after resuming is the revoke: no leadership event before it
    // (a connection-state line may come first: it reports, it does not act).
    for (const auto& e : a.history()) {
      if (e.tsUs >= contUs && e.tsUs < revoked.tsUs) {
        CHECK(e.event != "granted");
        CHECK(e.event != "confirmed");
        CHECK(e.event != "write");
        CHECK(e.event != "error");
      }
    }
    CHECK(jsonField(rejected.raw, "result").rfind("leadership lost", 0) == 0);
    CHECK(jsonField(accepted.raw, "result") == "ok");
    CHECK(admin.data(app) == "v3");  // a's write changed nothing
    CHECK(granted.tsUs > stopUs);
    CHECK(granted.tsUs >= expiredUs - 200'000);  // b after the expiry (watch latency aside)
    CHECK(std::stoull(jsonField(accepted.raw, "epoch")) >
          std::stoull(jsonField(written.raw, "epoch")));

    LeadershipTimeline timeline;
    timeline.addFreeze("a", stopUs, contUs);
    timeline.add(a, nowUs());
    timeline.add(b, nowUs());
    CHECK(timeline.firstOverlap().empty());
    WARN("freeze > session timeout (lease, T=4s): the servers expired a "
         << seconds(expiredUs - stopUs) << " s after SIGSTOP; b granted "
         << seconds(granted.tsUs - stopUs) << " s after SIGSTOP; a revoked "
         << (revoked.tsUs - contUs) / 1000
         << " ms after SIGCONT, before any other leadership event; its write: "
         << jsonField(rejected.raw, "result"));
    CHECK(quitAll({&a, &b}));
  }
  CHECK(admin.children(setup.latch()).empty());
  admin.removeTree("/baton-test/" + setup.cluster);
  CHECK_FALSE(admin.exists("/baton-test/" + setup.cluster));
}
