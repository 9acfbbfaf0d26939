// Scale inside one process: many components sharing one latch (one driver per process). A
// rival session leads first; this process registers every component while waiting; the rival
// closes. Measured: rival close -> every component granted, first -> last grant, and the
// resident memory each extra component adds.
#include <malloc.h>

#include "benchmarks.hpp"
#include "members.hpp"
#include "proc_stats.hpp"

namespace baton::bench {
namespace {

// Bytes the allocator has handed out now (glibc): unlike VmRSS, not hidden by pages that
// earlier repetitions freed and this one reuses.
double heapInUseKiB() {
  auto info = ::mallinfo2();
  return static_cast<double>(info.uordblks + info.hblkhd) / 1024.0;
}

struct Components {
  Components(const std::string& cluster, int count, test::EventInbox<Grant>& grants,
             boost::asio::any_io_executor callbacks, const std::string& sessionTimeout)
      : services(makeServices(cluster, "many", std::move(callbacks), sessionTimeout)) {
    for (int i = 0; i < count; ++i)
      contenders.push_back(std::make_unique<TimedContender>(i, grants));
  }
  void start(int from, int to) {
    for (int i = from; i < to; ++i) {
      // append(), not "c" + to_string(i): GCC 12 reports a false -Wrestrict on the latter.
      std::string component = "c";
      component.append(std::to_string(i));
      elections.push_back(services->getLeaderElection(component));
      elections.back()->startLeaderElection(*contenders[static_cast<std::size_t>(i)]);
    }
  }
  ~Components() {
    for (auto& e : elections)
      e->close();
    services->close();
  }

  std::unique_ptr<zookeeper::ZooKeeperHaServices> services;
  std::vector<std::unique_ptr<TimedContender>> contenders;
  std::vector<std::unique_ptr<LeaderElection>> elections;
};

}  // namespace

int runComponents(const BenchOptions& options) {
  const int reps = options.repsOr(5);
  const int count = options.components;
  progress(std::to_string(count) + " components in one process, " + std::to_string(reps) + " reps");
  MemberGroup rival("components", 1, options.sessionTimeout());
  rival.grants.next(test::scaled(std::chrono::seconds(30)));
  support::ExecutorThread callbacks("bench-components");
  std::vector<double> toAll, spread, rssPerComponent, heapPerComponent;
  for (int rep = 0; rep < reps; ++rep) {
    test::EventInbox<Grant> grants;
    Components many(rival.cluster(), count, grants, callbacks.executor(), options.sessionTimeout());
    many.start(0, 1);
    rival.admin().awaitChildren(rival.latchPath(), 2);
    auto rssBefore = sampleProcess(::getpid()).rssKiB;
    auto heapBefore = heapInUseKiB();
    many.start(1, count);
    heapPerComponent.push_back((heapInUseKiB() - heapBefore) / (count - 1));
    if (rep == 0)  // later repetitions reuse the pages the first one freed
      rssPerComponent.push_back(static_cast<double>(sampleProcess(::getpid()).rssKiB - rssBefore) /
                                (count - 1));
    auto t0 = Clock::now();
    rival[0].leave();
    Clock::time_point first = Clock::time_point::max(), last{};
    for (int i = 0; i < count; ++i) {
      auto g = grants.next();
      first = std::min(first, g.at);
      last = std::max(last, g.at);
    }
    toAll.push_back(msBetween(t0, last));
    spread.push_back(msBetween(first, last));
    many.elections.clear();  // closes them: the rival leads again once it rejoins
    rival[0].join();
    rival.grants.next();
  }
  auto n = std::to_string(count);
  row(n + " components, one process: rival closes -> all granted", "ms", toAll);
  row(n + " components, one process: first grant -> last grant", "ms", spread);
  row("memory per extra component: heap in use (mallinfo2 delta / components)", "KiB",
      heapPerComponent);
  row("memory per extra component: VmRSS delta / components (first repetition)", "KiB",
      rssPerComponent);
  return 0;
}

}  // namespace baton::bench
