// No busy waiting in any state (docs/reliability.md): the CPU time of `baton elect` processes
// (from /proc/<pid>/stat) while idle as leader and as follower, and through an outage of twice
// the session timeout (the lease runs out, the session is lost and rebuilt). A spinning timer
// uses a whole core; the bound asserted is far above what an idle process uses even when
// slowed down by sanitizers, and the figures are printed.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "support/fault_proxy.hpp"
#include "support/fault_scenario.hpp"

using namespace baton;
using namespace baton::test;
using namespace std::chrono_literals;
using Mode = FaultProxy::Mode;

namespace {

// User + system CPU time of a process, in seconds.
double cpuSeconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto close = stat.rfind(')');  // the command name may contain spaces
  REQUIRE(close != std::string::npos);
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14)
      utime = std::stoll(field);
    if (i == 15)
      stime = std::stoll(field);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

// The share of one core `pid` used over `duration`.
double coreShare(pid_t pid, std::chrono::milliseconds duration) {
  double before = cpuSeconds(pid);
  auto start = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(duration);  // the measurement window itself
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return (cpuSeconds(pid) - before) / elapsed;
}

constexpr double kSpinning = 0.25;  // a busy loop uses ~1.0

}  // namespace

TEST_CASE("no busy waiting: idle leader, idle follower, and through an outage of 2T") {
  ElectSetup setup{uniqueClusterId("idle-cpu")};
  setup.sessionTimeout = "4s";
  FaultProxy proxy(zkQuorum());
  AdminClient admin;
  {
    ElectProcess a("a", setup.args(proxy.quorum()));
    a.await("granted", scaled(20s));
    ElectProcess b("b", setup.args(zkQuorum()));
    admin.awaitChildren(setup.latch(), 2);

    double leader = coreShare(a.pid(), 4000ms);
    double follower = coreShare(b.pid(), 4000ms);
    auto cutUs = nowUs();
    proxy.setMode(Mode::blackhole);
    double outage = coreShare(a.pid(), 8000ms);  // 2T: revoked, session deemed lost, retrying
    proxy.setMode(Mode::pass);
    CHECK(countEvents(a, "revoked", cutUs) == 1);
    REQUIRE(awaitSingleLeader({&a, &b}, scaled(30s)) != nullptr);
    WARN("CPU, share of one core: idle leader " << leader << ", idle follower " << follower
                                                << ", leader through a 2T outage " << outage);
    CHECK(leader < kSpinning);
    CHECK(follower < kSpinning);
    CHECK(outage < kSpinning);
    LeadershipTimeline timeline;
    for (const auto* p : {&a, &b})
      timeline.add(*p, nowUs());
    CHECK(timeline.firstOverlap().empty());
    CHECK(quitAll({&a, &b}));
  }
  admin.removeTree("/baton-test/" + setup.cluster);
}
