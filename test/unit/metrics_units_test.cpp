// The sans-io units behind HaMetrics reports: the revoke reason word, the store write result,
// and the outbox that delivers reports after the lock they were decided under.
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "baton/error.hpp"
#include "baton/support/metrics_or_no_op.hpp"
#include "baton/support/metrics_outbox.hpp"
#include "baton/support/store_write_result.hpp"
#include "revoke_reason_word.hpp"

using baton::HaMetrics;
using baton::detail::revokeReasonWord;
using baton::support::MetricsOutbox;

TEST_CASE("revoke reason words: every reason the drivers give maps to its word") {
  // The ZooKeeper latch runner and state machine (backends/zookeeper/src/election).
  CHECK(revokeReasonWord("the ZooKeeper connection is suspended") == "connection_suspended");
  CHECK(revokeReasonWord("the lease ran out") == "lease_expired");
  CHECK(revokeReasonWord("the ZooKeeper session was lost") == "session_lost");
  CHECK(revokeReasonWord("the session was replaced") == "session_lost");
  CHECK(revokeReasonWord("the ZooKeeper session was replaced") == "session_lost");
  CHECK(revokeReasonWord("the latch path was deleted") == "latch_deleted");
  CHECK(revokeReasonWord("the latch node was deleted") == "latch_deleted");
  CHECK(revokeReasonWord("a lower latch node appeared") == "latch_lost");
  CHECK(revokeReasonWord("the latch node is not owned by this session") == "latch_lost");
  CHECK(revokeReasonWord("the leader latch failed") == "failed");
  CHECK(revokeReasonWord("the latch failed: the session timeout is too short") == "failed");
  CHECK(revokeReasonWord("closing") == "closed");
  // The embedded cluster.
  CHECK(revokeReasonWord("leadership granted to 'b' by transferLeadership") == "transferred");
  CHECK(revokeReasonWord("leader deposed by deposeLeader") == "deposed");
  // Anything else: never the prose itself (a metrics label takes few values).
  CHECK(revokeReasonWord("leadership lost") == "other");
  CHECK(revokeReasonWord("") == "other");
}

TEST_CASE("store write results: committed, fenced, outcome unknown, failed") {
  using R = HaMetrics::StoreWriteResult;
  using baton::support::storeWriteResultOf;
  CHECK(storeWriteResultOf({}) == R::committed);
  CHECK(storeWriteResultOf(make_error_code(baton::Errc::leadership_lost)) == R::fenced);
  CHECK(storeWriteResultOf(make_error_code(baton::Errc::outcome_unknown)) == R::outcome_unknown);
  CHECK(storeWriteResultOf(make_error_code(baton::Errc::write_conflict)) == R::failed);
  CHECK(storeWriteResultOf(std::make_error_code(std::errc::timed_out)) == R::failed);
}

namespace {

// Records the component names of onLeaderStatus in order; each report first tries the
// owner's lock, which must be free.
class OrderMetrics final : public HaMetrics {
 public:
  explicit OrderMetrics(std::mutex& ownerLock) : ownerLock_(ownerLock) {}
  void onLeaderStatus(std::string_view component, bool) override {
    if (!ownerLock_.try_lock()) {
      lockedReports++;
    } else {
      ownerLock_.unlock();
    }
    seen.emplace_back(component);
  }
  std::vector<std::string> seen;  // one drainer at a time: no lock needed
  int lockedReports = 0;

 private:
  std::mutex& ownerLock_;
};

}  // namespace

TEST_CASE("metrics outbox: reports pushed under the owner's lock go out after it, in order") {
  std::mutex ownerLock;
  auto metrics = std::make_shared<OrderMetrics>(ownerLock);
  MetricsOutbox outbox(metrics);
  {
    MetricsOutbox::DrainAtExit drain(outbox);
    std::lock_guard lock(ownerLock);
    outbox.push([](HaMetrics& m) { m.onLeaderStatus("a", true); });
    outbox.push([](HaMetrics& m) { m.onLeaderStatus("b", true); });
    CHECK(metrics->seen.empty());  // nothing while the lock is held
  }
  CHECK(metrics->seen == std::vector<std::string>{"a", "b"});
  CHECK(metrics->lockedReports == 0);
}

TEST_CASE("metrics outbox: a report made by a report is delivered after it, by the same drain") {
  class Nested final : public HaMetrics {
   public:
    MetricsOutbox* outbox = nullptr;
    std::vector<std::string> seen;
    void onLeaderStatus(std::string_view component, bool) override {
      seen.emplace_back(component);
      if (component == "first")
        outbox->report([](HaMetrics& m) { m.onLeaderStatus("second", true); });
    }
  };
  auto metrics = std::make_shared<Nested>();
  MetricsOutbox outbox(metrics);
  metrics->outbox = &outbox;
  outbox.report([](HaMetrics& m) { m.onLeaderStatus("first", true); });
  CHECK(metrics->seen == std::vector<std::string>{"first", "second"});
}

TEST_CASE("metrics outbox: an empty HaMetrics is the one shared no-op instance") {
  CHECK(baton::support::metricsOrNoOp(nullptr) == baton::support::noOpMetrics());
  MetricsOutbox outbox(nullptr);
  outbox.report([](HaMetrics& m) { m.onLeaderStatus("x", true); });  // nothing to see; no crash
  CHECK(&outbox.metrics() == baton::support::noOpMetrics().get());
}
