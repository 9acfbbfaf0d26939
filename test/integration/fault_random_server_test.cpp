// A seeded randomized run mixing faults BETWEEN the ZooKeeper servers with faults between the
// clients and the servers, for a bounded time (BATON_SOAK_SECONDS, default 45), with a printed
// seed (BATON_FAULT_SEED to replay the same choices; the timing of the machine still varies).
//
// The bed: a 3-server ensemble of the test's own (support/server_ensemble.hpp: tickTime 100 ms,
// every server-to-server link through a proxy) and three `baton elect` processes (policy
// lease, T = 4 s, margin 500 ms, ha.zookeeper.tick-time 100ms), each connected through its
// own FaultProxy to all three servers. Each step injects a server-side fault, a client-side
// fault, or one of each at once, holds them for a short seeded duration and undoes them:
//
//   server side: cut two servers; hold one direction between two servers; isolate the ZooKeeper
//                leader; freeze (SIGSTOP) a server; kill a server and start it again. One at a
//                time, so a quorum (two servers) remains apart from the moments a fault takes
//                the leader away or a restarted server rejoins; the quorum is awaited after
//                each server-side fault.
//   client side: blackhole or reset a process's proxy; SIGSTOP/SIGCONT a process; SIGKILL a
//                process and start a new incarnation. The target is the baton leader mostly.
//
// At the end everything is healed; exactly one leader is awaited; the whole timeline (every
// incarnation, freezes and kills accounted for by LeadershipTimeline) must show no two leaders
// at once; every process quits cleanly and no latch node is left. Figures printed with WARN.
#include <catch2/catch.hpp>

#include <signal.h>

#include <iostream>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <thread>

#include "support/fault_proxy.hpp"
#include "support/fault_scenario.hpp"
#include "support/server_ensemble.hpp"

using namespace baton;
using namespace baton::test;
using namespace std::chrono_literals;

namespace {

long envOr(const char* name, long fallback) {
  const char* value = std::getenv(name);
  return value && *value ? std::stol(value) : fallback;
}

// A fault's deliberate duration, not a wait for an outcome.
void hold(std::chrono::milliseconds duration) {
  std::this_thread::sleep_for(duration);
}

struct Contender {
  std::string name;
  std::unique_ptr<FaultProxy> proxy;
  std::unique_ptr<ElectProcess> process;
  int incarnation = 0;
};

class MixedRun {
 public:
  MixedRun(ServerEnsemble& servers, ElectSetup setup, unsigned seed)
      : servers_(servers), setup_(std::move(setup)), random_(seed) {
    for (const char* name : {"a", "b", "c"}) {
      contenders_.push_back({name, std::make_unique<FaultProxy>(servers_.quorum()), nullptr, 0});
      start(contenders_.back());
    }
  }

  std::vector<const ElectProcess*> live() const {
    std::vector<const ElectProcess*> out;
    for (const auto& c : contenders_)
      out.push_back(c.process.get());
    return out;
  }

  int faults() const { return faults_; }
  int zkLeaderChanges() const { return zkLeaderChanges_; }
  void setZkLeader(std::size_t id) { zkLeader_ = id; }
  const std::vector<std::string>& steps() const { return steps_; }

  // One step: a server-side fault, a client-side fault, or both at once; held for a short
  // seeded duration, then undone. The quorum is awaited after a server-side fault (false if it
  // did not come back in time).
  bool step() {
    int shape = pick(0, 9);  // 0-3: server only, 4-6: client only, 7-9: both
    bool server = shape <= 3 || shape >= 7;
    bool client = shape >= 4;
    // Client side: mostly shorter than T (ridden out), sometimes longer (sessions expire).
    // Server side: mostly longer than syncLimit * tickTime (2 s), so that the servers notice:
    // a follower stops following, a leader loses its quorum, a new one is elected.
    auto duration = std::chrono::milliseconds(pick(0, 4) == 0 ? pick(3000, 5500)
                                              : server        ? pick(1000, 3500)
                                                              : pick(300, 2200));
    std::ostringstream text;
    text << "+" << seconds(nowUs() - startUs_) << " s: ";

    ServerFault serverFault;
    if (server)
      serverFault = beginServerFault(text);
    ClientFault clientFault;
    if (client)
      clientFault = beginClientFault(text, duration);
    text << "for " << duration.count() << " ms";
    if (clientFault.kind != ClientFault::Kind::kill)
      hold(duration);
    if (client)
      endClientFault(clientFault);
    bool quorum = true;
    if (server) {
      endServerFault(serverFault);
      auto found = servers_.awaitQuorum(scaled(60s));
      quorum = found.has_value();
      text << "; quorum again after " << seconds(nowUs() - serverFault.endUs) << " s";
      if (found) {
        text << ", server " << *found << " leads";
        if (zkLeader_ && *zkLeader_ != *found)
          ++zkLeaderChanges_;
        zkLeader_ = found;
      }
    }
    steps_.push_back(text.str());
    // A short pause between steps, sometimes none.
    hold(std::chrono::milliseconds(pick(0, 600)));
    return quorum;
  }

  void heal() {
    servers_.heal();
    for (std::size_t id = 1; id <= servers_.size(); ++id) {
      servers_.resume(id);
      if (!servers_.running(id))
        servers_.start(id);
    }
    for (auto& c : contenders_) {
      c.proxy->setMode(FaultProxy::Mode::pass);
      c.process->signal(SIGCONT);
    }
  }

  void markStart() { startUs_ = nowUs(); }

  void finish(LeadershipTimeline& timeline, long long endUs) {
    for (auto& retired : retired_)
      timeline_.add(*retired, endUs);
    for (auto& c : contenders_)
      timeline_.add(*c.process, endUs);
    timeline = timeline_;
  }

  // Every event of every incarnation, for the message of an overlap.
  std::string histories() const {
    std::string out;
    auto add = [&out](const ElectProcess& p) {
      out += "\n" + p.name() + ":";
      for (const auto& e : p.history())
        out += "\n  " + e.raw;
    };
    for (const auto& retired : retired_)
      add(*retired);
    for (const auto& c : contenders_)
      add(*c.process);
    return out;
  }

  // The last events of every live contender, for a failure message.
  std::string describe() const {
    std::string out;
    for (const auto& c : contenders_) {
      auto history = c.process->history();
      out += "\n" + c.process->name() + ":";
      for (auto i = history.size() > 8 ? history.size() - 8 : 0; i < history.size(); ++i)
        out += "\n  " + history[i].raw;
    }
    return out;
  }

  bool quit() {
    std::vector<ElectProcess*> all;
    for (auto& c : contenders_)
      all.push_back(c.process.get());
    return quitAll(all);
  }

 private:
  struct ServerFault {
    enum class Kind { none, cut, oneWay, isolate, freeze, kill } kind = Kind::none;
    std::size_t first = 0;
    long long endUs = 0;
  };
  struct ClientFault {
    enum class Kind { none, blackhole, reset, freeze, kill } kind = Kind::none;
    Contender* target = nullptr;
    long long stopUs = 0;
  };

  int pick(int low, int high) { return std::uniform_int_distribution<int>(low, high)(random_); }
  std::size_t server() { return static_cast<std::size_t>(pick(1, 3)); }
  std::size_t otherThan(std::size_t id) {
    auto other = static_cast<std::size_t>(pick(1, 2));
    return other >= id ? other + 1 : other;
  }

  ServerFault beginServerFault(std::ostringstream& text) {
    ServerFault fault;
    ++faults_;
    switch (pick(0, 4)) {
      case 0: {
        auto a = server();
        auto b = otherThan(a);
        servers_.cut(a, b);
        fault.kind = ServerFault::Kind::cut;
        text << "cut servers " << a << " and " << b << "; ";
        break;
      }
      case 1: {
        auto from = server();
        auto to = otherThan(from);
        servers_.cutOneWay(from, to);
        fault.kind = ServerFault::Kind::oneWay;
        text << "hold server " << from << " -> " << to << "; ";
        break;
      }
      case 2: {
        // The leader as the servers say now; any server when none says so (mid-election).
        auto fallback = server();  // drawn always: the seed's choices do not hang on timing
        auto leader = servers_.leader();
        fault.first = leader ? *leader : fallback;
        servers_.isolate(fault.first);
        fault.kind = ServerFault::Kind::isolate;
        text << "isolate server " << fault.first
             << (leader ? " (ZooKeeper leader)" : " (no leader)") << "; ";
        break;
      }
      case 3:
        fault.first = server();
        servers_.freeze(fault.first);
        fault.kind = ServerFault::Kind::freeze;
        text << "freeze server " << fault.first << "; ";
        break;
      default:
        fault.first = server();
        servers_.kill(fault.first);
        fault.kind = ServerFault::Kind::kill;
        text << "kill server " << fault.first << " (restart after the duration); ";
        break;
    }
    return fault;
  }

  void endServerFault(ServerFault& fault) {
    switch (fault.kind) {
      case ServerFault::Kind::cut:
      case ServerFault::Kind::oneWay:
      case ServerFault::Kind::isolate:
        servers_.heal();
        break;
      case ServerFault::Kind::freeze:
        servers_.resume(fault.first);
        break;
      case ServerFault::Kind::kill:
        servers_.start(fault.first);
        break;
      case ServerFault::Kind::none:
        break;
    }
    fault.endUs = nowUs();
  }

  ClientFault beginClientFault(std::ostringstream& text, std::chrono::milliseconds duration) {
    ClientFault fault;
    ++faults_;
    auto leaders = baton::test::leaders(live());
    // Both drawn always: the seed's choices do not hang on who leads.
    bool anyone = pick(0, 9) < 3;
    auto& anyOne = contenders_[static_cast<std::size_t>(pick(0, 2))];
    fault.target = leaders.empty() || anyone ? &anyOne : &byProcess(leaders.front());
    auto& target = *fault.target;
    text << (leaders.size() == 1 && leaders.front() == target.process.get() ? "leader " : "")
         << target.process->name() << ": ";
    switch (pick(0, 3)) {
      case 0:
        target.proxy->setMode(FaultProxy::Mode::blackhole);
        fault.kind = ClientFault::Kind::blackhole;
        text << "blackhole; ";
        break;
      case 1:
        target.proxy->setMode(FaultProxy::Mode::reset);
        fault.kind = ClientFault::Kind::reset;
        text << "reset; ";
        break;
      case 2:
        fault.stopUs = nowUs();
        target.process->signal(SIGSTOP);
        fault.kind = ClientFault::Kind::freeze;
        text << "SIGSTOP; ";
        break;
      default:
        // Down for the duration, then a new incarnation (the server fault, if any, is held
        // meanwhile by this sleep).
        timeline_.addKill(target.process->name(), nowUs());
        target.process->killNow();
        hold(duration);
        start(target);
        fault.kind = ClientFault::Kind::kill;
        text << "SIGKILL, restarted as " << target.process->name() << "; ";
        break;
    }
    return fault;
  }

  void endClientFault(const ClientFault& fault) {
    auto& target = *fault.target;
    switch (fault.kind) {
      case ClientFault::Kind::blackhole:
      case ClientFault::Kind::reset:
        target.proxy->setMode(FaultProxy::Mode::pass);
        break;
      case ClientFault::Kind::freeze:
        timeline_.addFreeze(target.process->name(), fault.stopUs, nowUs());
        target.process->signal(SIGCONT);
        break;
      case ClientFault::Kind::kill:
      case ClientFault::Kind::none:
        break;
    }
  }

  Contender& byProcess(const ElectProcess* p) {
    for (auto& c : contenders_) {
      if (c.process.get() == p)
        return c;
    }
    return contenders_.front();
  }

  void start(Contender& c) {
    if (c.process)
      retired_.push_back(std::move(c.process));
    auto name = c.name + "." + std::to_string(++c.incarnation);
    c.process = std::make_unique<ElectProcess>(name, setup_.args(c.proxy->quorum()));
  }

  ServerEnsemble& servers_;
  ElectSetup setup_;
  std::mt19937 random_;
  std::vector<Contender> contenders_;
  std::vector<std::unique_ptr<ElectProcess>> retired_;
  LeadershipTimeline timeline_;
  std::vector<std::string> steps_;
  int faults_ = 0;
  std::optional<std::size_t> zkLeader_;
  int zkLeaderChanges_ = 0;
  long long startUs_ = nowUs();
};

}  // namespace

TEST_CASE("randomized server-side and client-side faults: never two leaders, no leaked znodes") {
  auto seed = static_cast<unsigned>(envOr("BATON_FAULT_SEED", std::random_device{}()));
  auto soakSeconds = envOr("BATON_SOAK_SECONDS", 45);
  std::cerr << "fault_random_server_test: BATON_FAULT_SEED=" << seed
            << " BATON_SOAK_SECONDS=" << soakSeconds << std::endl;
  INFO("BATON_FAULT_SEED=" << seed);

  ServerEnsemble servers(3);  // tickTime 100 ms, syncLimit 20, initLimit 100
  servers.startAll(scaled(120s));
  auto firstZkLeader = servers.awaitQuorum(scaled(60s));
  REQUIRE(firstZkLeader);
  ScopedTestQuorum adminQuorum(servers.quorum());

  ElectSetup setup{uniqueClusterId("random-server")};
  setup.policy = "lease";
  setup.sessionTimeout = "4s";
  setup.margin = "500ms";

  LeadershipTimeline timeline;
  long long startUs = 0;
  long long endUs = 0;
  long long settledAfterUs = 0;
  int faults = 0;
  int zkLeaderChanges = 0;
  std::vector<std::string> steps;
  std::string histories;
  {
    MixedRun run(servers, setup, seed);
    run.setZkLeader(*firstZkLeader);
    REQUIRE(awaitSingleLeader(run.live(), scaled(30s)) != nullptr);
    startUs = nowUs();
    run.markStart();
    auto end = std::chrono::steady_clock::now() + std::chrono::seconds(soakSeconds);
    while (std::chrono::steady_clock::now() < end) {
      bool quorum = run.step();
      INFO("after " << run.steps().back() << "\n" << servers.describe() << run.describe());
      REQUIRE(quorum);
    }
    run.heal();
    auto healedUs = nowUs();
    REQUIRE(servers.awaitQuorum(scaled(60s)));
    auto leader = awaitSingleLeader(run.live(), scaled(30s));
    INFO("after healing\n" << servers.describe() << run.describe());
    REQUIRE(leader != nullptr);
    settledAfterUs = nowUs() - healedUs;
    endUs = nowUs();
    CHECK(run.quit());
    run.finish(timeline, endUs);
    faults = run.faults();
    zkLeaderChanges = run.zkLeaderChanges();
    steps = run.steps();
    histories = run.histories();
  }
  auto overlap = timeline.firstOverlap();
  INFO("start " << startUs << "; every process's events:" << histories);
  CHECK(overlap.empty());
  auto gapUs = timeline.longestGapUs(startUs, endUs);

  // Every process quit (its node deleted); killed incarnations' sessions expire within T.
  AdminClient admin;
  admin.awaitChildren(setup.latch(), 0, scaled(30s));
  CHECK(admin.children(setup.latch()).empty());
  admin.removeTree("/baton-test/" + setup.cluster);
  CHECK_FALSE(admin.exists("/baton-test/" + setup.cluster));

  std::string list;
  for (const auto& s : steps)
    list += "\n  " + s;
  WARN("randomized server+client faults, BATON_FAULT_SEED="
       << seed << ", " << soakSeconds << " s: " << faults << " faults in " << steps.size()
       << " steps, " << zkLeaderChanges << " ZooKeeper leader changes; "
       << (overlap.empty() ? "0 overlaps" : "OVERLAP " + overlap) << "; longest leaderless gap "
       << seconds(gapUs) << " s; one leader " << seconds(settledAfterUs)
       << " s after the final heal" << list);
}
