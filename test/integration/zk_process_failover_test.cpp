// Failover across processes: several `baton elect --zk` processes against the real ensemble,
// with crashes and server faults. Every verdict comes from the processes' own event logs.
#include <catch2/catch.hpp>

#include "support/fault_scenario.hpp"

using namespace baton;
using namespace baton::test;

namespace {

// `baton elect` for one cluster with the standard policy and the given session timeout.
std::vector<std::string> electArgs(const std::string& cluster, const std::string& timeout) {
  return ElectSetup{cluster, "standard", timeout}.args(zkQuorum());
}

void cleanup(const std::string& cluster) {
  AdminClient().removeTree("/baton-test/" + cluster);
}

// Overlap of leadership between processes; an open interval ends at openEndUs[i].
std::string overlapOf(const std::vector<std::pair<const ElectProcess*, long long>>& logs) {
  LeadershipTimeline timeline;
  for (const auto& [p, openEndUs] : logs)
    timeline.add(*p, openEndUs);
  return timeline.firstOverlap();
}

}  // namespace

TEST_CASE("a SIGKILLed leader is taken over once its session expires") {
  auto cluster = uniqueClusterId("sigkill");
  {
    ElectProcess a("a", electArgs(cluster, "4s"));
    a.await("granted");
    ElectProcess b("b", electArgs(cluster, "4s"));
    b.await("connected");
    AdminClient().awaitChildren("/baton-test/" + cluster + "/leader/latch", 2);

    auto killedAt = nowUs();
    a.killNow();
    auto granted = b.await("granted", scaled(std::chrono::seconds(30)));
    CHECK(granted.tsUs > killedAt);
    CHECK(overlapOf({{&a, killedAt}, {&b, nowUs()}}).empty());
    WARN("takeover " << (granted.tsUs - killedAt) / 1000
                     << " ms after SIGKILL (session timeout 4 s)");
    b.send("quit");
    CHECK(b.wait() == 0);
  }
  cleanup(cluster);
}

TEST_CASE("graceful release hands over at once; rejoin queues at the back") {
  auto cluster = uniqueClusterId("release");
  {
    ElectProcess a("a", electArgs(cluster, "10s"));
    a.await("granted");
    ElectProcess b("b", electArgs(cluster, "10s"));
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
    CHECK(quitAll({&a, &b}));
    CHECK(overlapOf({{&a, nowUs()}, {&b, nowUs()}}).empty());
  }
  CHECK(AdminClient().children("/baton-test/" + cluster + "/leader/latch").empty());
  cleanup(cluster);
}

namespace {
// Runs a short baton command and returns its stdout lines.
std::vector<std::string> runBaton(const std::string& args) {
  std::string command = std::string(BATON_CLI_PATH) + " " + args;
  std::FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe);
  std::vector<std::string> lines;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe)) {
    std::string line(buffer);
    if (!line.empty() && line.back() == '\n')
      line.pop_back();
    lines.push_back(line);
  }
  CHECK(pclose(pipe) == 0);
  return lines;
}
}  // namespace

TEST_CASE("baton leader and baton participants print the current state") {
  auto cluster = uniqueClusterId("inspect");
  {
    ElectProcess a("a", electArgs(cluster, "10s"));
    auto granted = a.await("granted");
    a.await("confirmed");
    ElectProcess b("b", electArgs(cluster, "10s"));
    b.await("connected");
    AdminClient().awaitChildren("/baton-test/" + cluster + "/leader/latch", 2);
    std::string where = "--zk " + zkQuorum() +
                        " --set ha.zookeeper.root=/baton-test --set ha.cluster-id=" + cluster;

    auto participants = runBaton("participants --json " + where);
    REQUIRE(participants.size() == 2);
    CHECK(jsonField(participants[0], "participant") == "a");
    CHECK(jsonField(participants[0], "role") == "leader");
    CHECK(jsonField(participants[1], "participant") == "b");

    auto leader = runBaton("leader --component svc --json " + where);
    REQUIRE(leader.size() == 1);
    CHECK(jsonField(leader[0], "event") == "leader");
    CHECK(jsonField(leader[0], "session_id") == granted.sessionId);
    CHECK(jsonField(leader[0], "address") == "127.0.0.1:1");
    for (auto* p : {&a, &b}) {
      p->send("quit");
      CHECK(p->wait() == 0);
    }
    auto none = runBaton("leader --component svc --json " + where);
    REQUIRE(none.size() == 1);
    CHECK(jsonField(none[0], "event") == "no-leader");
  }
  cleanup(cluster);
}
