// A randomized run for a bounded time (BATON_SOAK_SECONDS, default 60) with a printed seed
// (BATON_FAULT_SEED to replay): three lease contenders, each behind its own FaultProxy, under
// SIGKILL and restart, freezes, partitions, connection resets, server kills and restarts,
// release and rejoin; one fault at a time, each healed before the next. Verdicts from the
// processes' own logs: never two leaders, a leader again after every fault within the bound,
// no thread busy while idle or cut off afterwards, no znode (ephemeral or not) left behind.
// Needs test/zk/ensemble.sh. The 10-minute soak: BATON_SOAK_SECONDS=600.
#include <catch2/catch.hpp>

#include <signal.h>

#include <iostream>
#include <memory>
#include <random>
#include <thread>

#include "support/cpu_share.hpp"
#include "support/fault_proxy.hpp"
#include "support/fault_scenario.hpp"

using namespace baton;
using namespace baton::test;
using namespace std::chrono_literals;

namespace {

long envOr(const char* name, long fallback) {
  const char* value = std::getenv(name);
  return value && *value ? std::stol(value) : fallback;
}

struct Contender {
  std::string name;
  std::unique_ptr<FaultProxy> proxy;
  std::unique_ptr<ElectProcess> process;
  int incarnation = 0;
};

class RandomRun {
 public:
  RandomRun(ElectSetup setup, unsigned seed) : setup_(std::move(setup)), random_(seed) {
    for (const char* name : {"a", "b", "c"}) {
      contenders_.push_back({name, std::make_unique<FaultProxy>(zkQuorum()), nullptr, 0});
      start(contenders_.back());
    }
  }

  std::vector<const ElectProcess*> live() const {
    std::vector<const ElectProcess*> out;
    for (const auto& c : contenders_)
      out.push_back(c.process.get());
    return out;
  }

  // One fault on a contender (the leader, mostly) or a server, healed before it returns.
  std::string step() {
    auto leaders = baton::test::leaders(live());
    Contender& target =
        leaders.empty() || pick(0, 9) < 3 ? contenders_[pick(0, 2)] : byProcess(leaders.front());
    auto pause = std::chrono::milliseconds(pick(500, 6000));  // up to T + 2 s
    switch (pick(0, 5)) {
      case 0:
        timeline_.addKill(target.process->name(), nowUs());
        target.process->killNow();
        start(target);
        return "SIGKILL+restart " + target.name;
      case 1: {
        auto stopUs = nowUs();
        target.process->signal(SIGSTOP);
        std::this_thread::sleep_for(pause);
        timeline_.addFreeze(target.process->name(), stopUs, nowUs());
        target.process->signal(SIGCONT);
        return "freeze " + target.name + " " + std::to_string(pause.count()) + " ms";
      }
      case 2:
        target.proxy->setMode(FaultProxy::Mode::blackhole);
        std::this_thread::sleep_for(pause);
        target.proxy->setMode(FaultProxy::Mode::pass);
        return "partition " + target.name + " " + std::to_string(pause.count()) + " ms";
      case 3:
        target.proxy->setMode(FaultProxy::Mode::reset);
        std::this_thread::sleep_for(pause / 3);
        target.proxy->setMode(FaultProxy::Mode::pass);
        return "reset " + target.name + " " + std::to_string(pause.count() / 3) + " ms";
      case 4: {
        int node = pick(1, 3);
        ensemble("kill " + std::to_string(node));
        std::this_thread::sleep_for(pause / 2);
        ensemble("start-node " + std::to_string(node));
        return "kill+restart server " + std::to_string(node);
      }
      default:
        target.process->send("release");
        std::this_thread::sleep_for(pause / 4);
        target.process->send("rejoin");
        return "release+rejoin " + target.name;
    }
  }

  void finish(LeadershipTimeline& timeline, long long endUs) {
    for (auto& retired : retired_)
      timeline_.add(*retired, endUs);
    for (auto& c : contenders_)
      timeline_.add(*c.process, endUs);
    timeline = timeline_;
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

  std::vector<pid_t> pids() const {
    std::vector<pid_t> out;
    for (const auto& c : contenders_)
      out.push_back(c.process->pid());
    return out;
  }

  // Every contender cut off from every server at once (the proxies blackhole).
  void cutAll(bool cut) {
    for (auto& c : contenders_)
      c.proxy->setMode(cut ? FaultProxy::Mode::blackhole : FaultProxy::Mode::pass);
  }

  bool quit() {
    std::vector<ElectProcess*> all;
    for (auto& c : contenders_)
      all.push_back(c.process.get());
    return quitAll(all);
  }

 private:
  int pick(int low, int high) { return std::uniform_int_distribution<int>(low, high)(random_); }

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

  ElectSetup setup_;
  std::mt19937 random_;
  std::vector<Contender> contenders_;
  std::vector<std::unique_ptr<ElectProcess>> retired_;
  LeadershipTimeline timeline_;
};

}  // namespace

TEST_CASE("randomized faults: never two leaders, bounded gaps, no leaked znodes") {
  auto seed = static_cast<unsigned>(envOr("BATON_FAULT_SEED", std::random_device{}()));
  auto seconds = envOr("BATON_SOAK_SECONDS", 60);
  std::cerr << "fault_random_test: BATON_FAULT_SEED=" << seed << " BATON_SOAK_SECONDS=" << seconds
            << std::endl;
  INFO("BATON_FAULT_SEED=" << seed);
  ElectSetup setup{uniqueClusterId("random")};  // lease, T = 4 s, margin 1 s
  AdminClient admin;
  LeadershipTimeline timeline;
  std::vector<std::string> steps;
  long long worstRecoveryUs = 0;
  {
    RandomRun run(setup, seed);
    REQUIRE(awaitSingleLeader(run.live(), scaled(30s)) != nullptr);
    auto startUs = nowUs();
    auto end = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < end) {
      auto stepUs = nowUs();
      steps.push_back(run.step());
      steps.back() = "at " + std::to_string((stepUs - startUs) / 1000) + " ms: " + steps.back();
      auto healedUs = nowUs();
      bool settled = awaitSingleLeader(run.live(), scaled(30s)) != nullptr;
      std::string nodes;
      if (!settled) {
        for (const auto& node : admin.children(setup.latch()))
          nodes += "\n  " + node + " " + admin.data(setup.latch() + "/" + node);
      }
      INFO("after " << steps.back() << run.describe() << "\nlatch:" << nodes);
      REQUIRE(settled);
      worstRecoveryUs = std::max(worstRecoveryUs, nowUs() - healedUs);
    }
    auto faultsEndUs = nowUs();
    // No busy waiting after all that: every thread of every contender, idle (one leads), then
    // cut off from the servers for twice the session timeout (leases run out, sessions are
    // deemed lost and rebuilt).
    auto idle = busiestThread(run.pids(), 5000ms);
    run.cutAll(true);
    auto cut = busiestThread(run.pids(), 2 * 4000ms);  // T = 4 s (ElectSetup)
    run.cutAll(false);
    bool reelected = awaitSingleLeader(run.live(), scaled(30s)) != nullptr;
    auto endUs = nowUs();
    CHECK(reelected);
    CHECK(idle.share < kSpinningShare);
    CHECK(cut.share < kSpinningShare);
    CHECK(run.quit());
    run.finish(timeline, endUs);
    CHECK(timeline.firstOverlap().empty());
    auto gapUs = timeline.longestGapUs(startUs, faultsEndUs);
    std::string intervals;
    for (const auto& i : timeline.intervals()) {
      intervals += "\n  " + i.who + " " + std::to_string((i.fromUs - startUs) / 1000) + ".." +
                   std::to_string((i.toUs - startUs) / 1000) + " ms";
    }
    std::string stepList;
    for (const auto& s : steps)
      stepList += "\n  " + s;
    INFO("leadership intervals:" << intervals << "\nsteps:" << stepList);
    CHECK(gapUs < scaled(10s).count() * 1000);  // T + 6 s: expiry, re-election, a reconnect
    std::string list;
    for (const auto& s : steps)
      list += "\n  " + s;
    WARN("randomized run, seed " << seed << ", " << seconds << " s, " << steps.size()
                                 << " faults: 0 overlaps; longest leaderless gap "
                                 << baton::test::seconds(gapUs) << " s; longest wait for a leader "
                                 << "after healing " << baton::test::seconds(worstRecoveryUs)
                                 << " s; busiest thread idle " << idle.share * 100 << " % ("
                                 << idle.who << "), cut off for 2T " << cut.share * 100 << " % ("
                                 << cut.who << ")" << list);
  }
  ensemble("start");
  admin.awaitChildren(setup.latch(), 0, scaled(30s));  // killed incarnations' sessions expire
  // Their sessions are gone (each had a latch node): nothing ephemeral may be left either.
  CHECK(admin.ephemeralBelow("/baton-test/" + setup.cluster) == 0);
  admin.removeTree("/baton-test/" + setup.cluster);
  CHECK(admin.countBelow("/baton-test/" + setup.cluster) == 0);
  CHECK_FALSE(admin.exists("/baton-test/" + setup.cluster));
}
