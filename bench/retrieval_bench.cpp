// Retrieval: from a leader's confirmLeadership to the notification of every watcher (each
// its own ZooKeeper session with a LeaderRetrievalService), with 1 and with 100 watchers.
// Each repetition confirms a new address under the same leader session, which re-publishes.
#include "baton/leader_retrieval_service.hpp"
#include "benchmarks.hpp"
#include "members.hpp"

namespace baton::bench {
namespace {

struct Seen {
  std::string address;
  Clock::time_point at;
};

class TimedListener final : public LeaderRetrievalListener {
 public:
  explicit TimedListener(test::EventInbox<Seen>& seen) : seen_(seen) {}
  void notifyLeaderAddress(const std::string& address, const LeaderSessionId&) override {
    seen_.push(Seen{address, Clock::now()});
  }
  void handleError(const std::system_error& error) override {
    progress(std::string("watcher: ") + error.what());
  }

 private:
  test::EventInbox<Seen>& seen_;
};

struct Watcher {
  std::unique_ptr<zookeeper::ZooKeeperHaServices> services;
  std::unique_ptr<TimedListener> listener;
  std::unique_ptr<LeaderRetrievalService> retrieval;
};

// Waits until `count` notifications of `address` arrived; returns the latest arrival.
Clock::time_point awaitEveryone(test::EventInbox<Seen>& seen, const std::string& address,
                                int count) {
  Clock::time_point last{};
  for (int got = 0; got < count;) {
    auto s = seen.next();
    if (s.address == address) {
      ++got;
      last = std::max(last, s.at);
    }
  }
  return last;
}

std::vector<double> confirmToEveryWatcher(int watchers, int reps, const BenchOptions& options) {
  MemberGroup leaderGroup("retrieval" + std::to_string(watchers), 1, options.sessionTimeout());
  auto grant = leaderGroup.grants.next(test::scaled(std::chrono::seconds(30)));
  auto& leader = leaderGroup[0];
  support::ExecutorThread callbacks("bench-watchers");
  test::EventInbox<Seen> seen;
  std::vector<Watcher> all(static_cast<std::size_t>(watchers));
  for (int i = 0; i < watchers; ++i) {
    auto& w = all[static_cast<std::size_t>(i)];
    w.services = makeServices(leaderGroup.cluster(), "w" + std::to_string(i), callbacks.executor(),
                              options.sessionTimeout());
    w.listener = std::make_unique<TimedListener>(seen);
    w.retrieval = w.services->getLeaderRetriever("rm");
    w.retrieval->start(*w.listener);
  }
  leader.election->confirmLeadership(grant.id, "addr-initial");
  awaitEveryone(seen, "addr-initial", watchers);
  std::vector<double> samples;
  for (int rep = 0; rep < reps; ++rep) {
    auto address = "addr-" + std::to_string(rep);
    auto t0 = Clock::now();
    leader.election->confirmLeadership(grant.id, address);
    samples.push_back(msBetween(t0, awaitEveryone(seen, address, watchers)));
  }
  for (auto& w : all) {
    w.retrieval->stop();
    w.services->close();
  }
  return samples;
}

}  // namespace

int runRetrieval(const BenchOptions& options) {
  const int reps = options.repsOr(100);
  for (int watchers : {1, 100}) {
    progress("retrieval, " + std::to_string(watchers) + " watchers, " + std::to_string(reps) +
             " reps");
    row("retrieval: confirm -> every one of " + std::to_string(watchers) + " watcher(s) notified",
        "ms", confirmToEveryWatcher(watchers, reps, options));
  }
  return 0;
}

}  // namespace baton::bench
