// Issue 12, idle cost: a participant waiting behind the one next in line sends nothing but the
// C client's own pings. Counted at a FaultProxy that only that participant uses: once it is
// idle (its first ping: the C client pings only after a third of the session timeout without
// a request), several more ping periods pass with no request of any other kind. Event-driven:
// the test waits for pings, never for a time.
#include <chrono>
#include <cstdint>
#include <map>
#include <thread>

#include <catch2/catch.hpp>

#include "support/fault_proxy.hpp"
#include "support/fault_scenario.hpp"

using namespace baton;
using namespace baton::test;
using namespace std::chrono_literals;

namespace {

constexpr std::int32_t kPing = 11;

// Every request the proxy read, by opcode, pings left out.
std::map<std::int32_t, std::size_t> nonPingRequests(const FaultProxy& proxy) {
  std::map<std::int32_t, std::size_t> out;
  for (std::int32_t type = -20; type <= 120; ++type) {
    if (type != kPing && proxy.requestsSeen(type) > 0)
      out[type] = proxy.requestsSeen(type);
  }
  return out;
}

// Waits (bounded) until the proxy has read at least `count` pings.
bool awaitPings(const FaultProxy& proxy, std::size_t count, std::chrono::milliseconds within) {
  auto deadline = std::chrono::steady_clock::now() + within;
  while (proxy.requestsSeen(kPing) < count) {
    if (std::chrono::steady_clock::now() >= deadline)
      return false;
    std::this_thread::sleep_for(20ms);  // polls a counter; the deadline bounds the loop
  }
  return true;
}

}  // namespace

TEST_CASE("a participant waiting behind the next in line sends only the C client's pings") {
  ElectSetup setup{uniqueClusterId("idle-requests")};
  setup.sessionTimeout = "3s";  // the C client pings every T/3: 1 s
  FaultProxy proxy(zkQuorum());
  AdminClient admin;
  {
    auto queue = startQueue(setup, zkQuorum(), zkQuorum(), admin, 1);  // a leads, b next in line
    ElectProcess c("c", setup.args(proxy.quorum()));
    admin.awaitChildren(setup.latch(), 3);
    // Its first ping: c has been idle for T/3, its joining requests are all answered.
    REQUIRE(awaitPings(proxy, 1, scaled(30s)));
    auto before = nonPingRequests(proxy);
    auto pings = proxy.requestsSeen(kPing);
    REQUIRE(awaitPings(proxy, pings + 4, scaled(60s)));  // four more ping periods
    auto after = nonPingRequests(proxy);
    CHECK(after == before);
    CHECK(countEvents(c, "granted") == 0);
    CHECK(quitAll({queue[0].get(), queue[1].get(), &c}));
  }
  admin.removeTree("/baton-test/" + setup.cluster);
}
