// The embedded drivers against the cluster directly, without the services: what they report,
// on which thread, in which order, and which writes the cluster applies.
#include <catch2/catch.hpp>

#include <future>
#include <string>
#include <thread>
#include <variant>

#include "embedded_election_driver.hpp"
#include "embedded_retrieval_driver.hpp"
#include "unit/embedded_fixture.hpp"

using baton::LeaderInformation;
using baton::LeaderSessionId;
using baton::embedded::detail::EmbeddedClusterImpl;
using baton::embedded::detail::EmbeddedLeaderElectionDriver;
using baton::embedded::detail::EmbeddedLeaderRetrievalDriver;
using baton::test::EventInbox;

namespace {

struct Grant {
  std::uint64_t epoch;
};
struct Revoke {};
struct Stored {
  std::string componentId;
  LeaderInformation info;
};
using DriverEvent = std::variant<Grant, Revoke, Stored>;

// Records the driver's facts and the threads they arrive on.
class RecordingDriverListener final : public baton::LeaderElectionDriver::Listener {
 public:
  void onGrantLeadership(std::uint64_t epoch) override { record(Grant{epoch}); }
  void onRevokeLeadership(const std::string&) override { record(Revoke{}); }
  void onLeaderInformationChange(const std::string& componentId,
                                 const LeaderInformation& stored) override {
    record(Stored{componentId, stored});
  }
  void onError(const std::system_error&) override { sawError = true; }
  void onFailure(const std::system_error&) override { sawError = true; }

  EventInbox<DriverEvent> inbox;
  std::atomic<bool> sawError{false};
  std::atomic<bool> onCallerThread{false};
  std::thread::id caller = std::this_thread::get_id();

 private:
  void record(DriverEvent event) {
    if (std::this_thread::get_id() == caller)
      onCallerThread = true;
    inbox.push(std::move(event));
  }
};

// A retrieval listener whose first report can be held back, stalling the cluster's delivery
// strand, so that a test can act while events are known to be queued and not yet delivered.
class HoldingRetrievalListener final : public baton::LeaderRetrievalDriver::Listener {
 public:
  explicit HoldingRetrievalListener(bool hold) : hold_(hold) {}
  void onLeaderInformationChange(const LeaderInformation& info) override {
    if (hold_.exchange(false))
      released_.get_future().wait();
    inbox.push(info);
  }
  void onError(const std::system_error&) override {}
  void release() { released_.set_value(); }

  EventInbox<LeaderInformation> inbox;

 private:
  std::atomic<bool> hold_;
  std::promise<void> released_;
};

// Returns once every listener call posted before it has run: the delivery strand is FIFO.
void awaitDelivered(const std::shared_ptr<EmbeddedClusterImpl>& cluster) {
  HoldingRetrievalListener marker(false);
  EmbeddedLeaderRetrievalDriver driver(cluster, "delivery-marker", marker);
  marker.inbox.next();
}

std::shared_ptr<EmbeddedClusterImpl> makeCluster() {
  return std::make_shared<EmbeddedClusterImpl>(nullptr);
}

}  // namespace

TEST_CASE("the election driver reports asynchronously, never on the caller's thread") {
  auto cluster = makeCluster();
  RecordingDriverListener listener;
  EmbeddedLeaderElectionDriver driver(cluster, "a", listener);
  CHECK(driver.hasLeadership());  // the cluster's view is immediate
  CHECK(listener.inbox.expectNext<Grant>().epoch == 1);

  cluster->deposeLeader();  // alone: revoked and granted again
  CHECK_NOTHROW(listener.inbox.expectNext<Revoke>());
  CHECK(listener.inbox.expectNext<Grant>().epoch == 2);
  CHECK_FALSE(listener.onCallerThread);
  CHECK_FALSE(listener.sawError);
}

TEST_CASE("a deposed leader's write is dropped, even before it learns of the loss") {
  auto cluster = makeCluster();
  RecordingDriverListener aListener, bListener;
  EmbeddedLeaderElectionDriver a(cluster, "a", aListener);
  EmbeddedLeaderElectionDriver b(cluster, "b", bListener);
  aListener.inbox.expectNext<Grant>();
  LeaderInformation mine(LeaderSessionId::random(), "addr-a");
  a.publishLeaderInformation("rm", mine);
  CHECK(cluster->leaderInformation("rm") == mine);

  // Stall delivery, then hand leadership to b: a's revoke is queued, not delivered.
  HoldingRetrievalListener holder(true);
  EmbeddedLeaderRetrievalDriver stall(cluster, "stall", holder);
  cluster->transferLeadership("b");
  CHECK_FALSE(a.hasLeadership());
  const auto before = cluster->storeVersion();
  a.publishLeaderInformation("rm", LeaderInformation(LeaderSessionId::random(), "late"));
  a.deleteLeaderInformation("rm");
  CHECK(aListener.inbox.empty());  // still unaware of the loss
  holder.release();

  CHECK_NOTHROW(aListener.inbox.expectNext<Revoke>());
  CHECK(bListener.inbox.expectNext<Grant>().epoch == 2);
  CHECK(cluster->storeVersion() == before);
  CHECK(cluster->leaderInformation("rm") == mine);  // stays for the successor to replace
}

TEST_CASE("after close() returns no listener call is made, even one already queued") {
  auto cluster = makeCluster();
  RecordingDriverListener aListener;
  EmbeddedLeaderElectionDriver a(cluster, "a", aListener);
  aListener.inbox.expectNext<Grant>();
  {
    RecordingDriverListener bListener;
    EmbeddedLeaderElectionDriver b(cluster, "b", bListener);
    HoldingRetrievalListener holder(true);
    EmbeddedLeaderRetrievalDriver stall(cluster, "stall", holder);
    cluster->transferLeadership("b");  // queues a's revoke and b's grant behind the stall
    b.close();                         // b leaves; the queue's head (a) is granted again
    holder.release();
    awaitDelivered(cluster);
    CHECK(bListener.inbox.empty());
  }
  CHECK_NOTHROW(aListener.inbox.expectNext<Revoke>());
  CHECK(aListener.inbox.expectNext<Grant>().epoch == 3);
}

TEST_CASE("the leader hears of foreign writes to what it published, and only when different") {
  auto cluster = makeCluster();
  RecordingDriverListener listener;
  EmbeddedLeaderElectionDriver a(cluster, "a", listener);
  listener.inbox.expectNext<Grant>();
  LeaderInformation mine(LeaderSessionId::random(), "addr-a");
  LeaderInformation other(LeaderSessionId::random(), "other");
  a.publishLeaderInformation("rm", mine);

  cluster->tamperLeaderInformation("rm", mine);           // equal: nothing to report
  cluster->tamperLeaderInformation("dispatcher", other);  // never published by a
  cluster->tamperLeaderInformation("rm", other);
  cluster->tamperLeaderInformation("rm", LeaderInformation::empty());
  auto changed = listener.inbox.expectNext<Stored>();
  CHECK(changed.componentId == "rm");
  CHECK(changed.info == other);
  auto deleted = listener.inbox.expectNext<Stored>();
  CHECK(deleted.info.isEmpty());
  awaitDelivered(cluster);
  CHECK(listener.inbox.empty());

  SECTION("a deposed leader owns nothing any more") {
    cluster->deposeLeader();
    CHECK_NOTHROW(listener.inbox.expectNext<Revoke>());
    listener.inbox.expectNext<Grant>();
    cluster->tamperLeaderInformation("rm", mine);
    awaitDelivered(cluster);
    CHECK(listener.inbox.empty());
  }
}

TEST_CASE("the retrieval driver reports the stored value, then every change, until closed") {
  auto cluster = makeCluster();
  LeaderInformation first(LeaderSessionId::random(), "first");
  LeaderInformation second(LeaderSessionId::random(), "second");
  cluster->tamperLeaderInformation("rm", first);
  HoldingRetrievalListener listener(false);
  auto driver = std::make_unique<EmbeddedLeaderRetrievalDriver>(cluster, "rm", listener);
  CHECK(listener.inbox.next() == first);

  cluster->tamperLeaderInformation("rm", second);
  cluster->tamperLeaderInformation("other", first);  // another component: not reported
  cluster->tamperLeaderInformation("rm", LeaderInformation::empty());
  CHECK(listener.inbox.next() == second);
  CHECK(listener.inbox.next().isEmpty());

  driver->close();
  driver->close();  // idempotent
  cluster->tamperLeaderInformation("rm", first);
  awaitDelivered(cluster);
  CHECK(listener.inbox.empty());
}
