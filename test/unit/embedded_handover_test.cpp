// Many participants handing leadership over one after another: never two leaders, every grant
// revoked exactly once, retrieval following every handover.
#include <catch2/catch.hpp>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "baton/support/executor_thread.hpp"
#include "unit/embedded_fixture.hpp"

using baton::embedded::EmbeddedCluster;
using baton::test::EmbeddedNode;
using baton::test::Granted;
using baton::test::RecordingRetrievalListener;
using baton::test::Revoked;

namespace {

// Counts leaders as the contenders see themselves, from inside their callbacks.
struct LeaderCount {
  std::atomic<int> now{0};
  std::atomic<int> peak{0};

  void attach(baton::test::RecordingContender& contender) {
    contender.onGrant = [this](const baton::LeaderSessionId&) {
      int leading = ++now;
      int seen = peak.load();
      while (leading > seen && !peak.compare_exchange_weak(seen, leading)) {
      }
    };
    contender.onRevoke = [this] { --now; };
  }
};

}  // namespace

TEST_CASE("100 participants hand leadership over one after another, one leader at a time") {
  constexpr int kParticipants = 100;
  auto cluster = EmbeddedCluster::create();
  // One callback thread for all, instead of one per participant, keeps the test light.
  baton::support::ExecutorThread callbacks("test-callbacks");
  baton::HaServicesOptions options;
  options.callbackExecutor = callbacks.executor();
  LeaderCount count;
  std::vector<std::unique_ptr<EmbeddedNode>> nodes;
  for (int i = 0; i < kParticipants; ++i) {
    nodes.push_back(std::make_unique<EmbeddedNode>(cluster, "p" + std::to_string(i), options));
    count.attach(nodes.back()->contender);
    nodes.back()->start();
  }
  auto watcher = baton::embedded::makeEmbeddedHaServices(cluster, "watcher", options);
  RecordingRetrievalListener listener;
  auto retriever = watcher->getLeaderRetriever("rm");
  retriever->start(listener);

  for (int i = 0; i < kParticipants; ++i) {
    EmbeddedNode& node = *nodes[static_cast<std::size_t>(i)];
    auto id = node.grantAndConfirm("addr-" + std::to_string(i));
    REQUIRE(cluster->currentLeader() == node.participantId);
    REQUIRE(cluster->epoch() == static_cast<std::uint64_t>(i + 1));
    auto seen = listener.awaitAddress("addr-" + std::to_string(i));
    REQUIRE(seen.id == id);
    node.election->close();
    // Revoked before close() returned, and only then may the next one be granted.
    REQUIRE_NOTHROW(node.contender.inbox.expectNext<Revoked>(std::chrono::milliseconds(0)));
  }

  CHECK(count.peak == 1);
  CHECK(count.now == 0);
  CHECK_FALSE(cluster->currentLeader().has_value());
  for (const auto& node : nodes) {
    CHECK(node->contender.grants() == 1);
    CHECK(node->contender.revokes() == 1);
    CHECK(node->contender.violations().empty());
  }
  retriever->stop();
}

TEST_CASE("participants joining and leaving concurrently never overlap as leaders") {
  constexpr int kThreads = 4;
  constexpr int kRounds = 40;
  auto cluster = EmbeddedCluster::create();
  LeaderCount count;
  std::vector<std::unique_ptr<EmbeddedNode>> nodes;
  for (int i = 0; i < kThreads; ++i) {
    nodes.push_back(std::make_unique<EmbeddedNode>(cluster, "t" + std::to_string(i)));
    count.attach(nodes.back()->contender);
  }
  // Each thread starts and closes its own election again and again; each close hands over to
  // whoever is next. Every participant has its own callback thread here.
  std::vector<std::thread> threads;
  for (auto& node : nodes) {
    threads.emplace_back([&node = *node] {
      for (int round = 0; round < kRounds; ++round) {
        auto election = node.services->getLeaderElection("rm");
        election->startLeaderElection(node.contender);
        election->close();
      }
    });
  }
  for (auto& thread : threads)
    thread.join();

  CHECK(count.peak <= 1);
  CHECK(count.now == 0);
  CHECK(cluster->participants().empty());
  for (const auto& node : nodes) {
    CHECK(node->contender.grants() == node->contender.revokes());
    CHECK(node->contender.violations().empty());
  }
}
