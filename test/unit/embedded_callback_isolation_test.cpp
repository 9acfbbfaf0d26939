// HighAvailabilityServices built without an executor give every contender its own callback
// thread: neither a contender nor a retrieval listener blocked in a callback delays another
// contender's revoke.
#include <catch2/catch.hpp>

#include "baton/embedded/embedded_cluster.hpp"
#include "baton/embedded/embedded_ha_services.hpp"
#include "support/recording_contender.hpp"
#include "unit/callback_gate.hpp"

using namespace baton;
using namespace baton::test;

namespace {

// A retrieval listener that blocks in its first notification.
class BlockingListener final : public LeaderRetrievalListener {
 public:
  explicit BlockingListener(CallbackGate& gate) : gate_(gate) {}
  void notifyLeaderAddress(const std::string&, const LeaderSessionId&) override { gate_.block(); }
  void handleError(const std::system_error&) override {}

 private:
  CallbackGate& gate_;
};

}  // namespace

TEST_CASE("a blocked contender and a blocked listener do not delay another contender's revoke") {
  auto cluster = embedded::EmbeddedCluster::create();
  auto services = embedded::makeEmbeddedHaServices(cluster, "p1");  // no callback executor
  CallbackGate slowGrant, slowListener;
  RecordingContender slow, other;
  slow.onGrant = [&](const LeaderSessionId&) { slowGrant.block(); };
  BlockingListener listener(slowListener);

  auto retriever = services->getLeaderRetriever("b-other");
  auto slowElection = services->getLeaderElection("a-slow");
  auto otherElection = services->getLeaderElection("b-other");
  // Released before the retriever stops and the elections close, which wait for them.
  auto releaseListener = slowListener.releaseOnExit();
  auto releaseGrant = slowGrant.releaseOnExit();

  retriever->start(listener);
  slowListener.awaitEntered();  // holds the listeners' callback thread from now on
  slowElection->startLeaderElection(slow);
  otherElection->startLeaderElection(other);
  slowGrant.awaitEntered();
  other.inbox.expectNext<Granted>();

  cluster->setAutomaticElection(false);  // nobody is granted after the revoke
  cluster->deposeLeader();
  other.inbox.expectNext<Revoked>();
  CHECK(slow.inbox.empty());  // still inside its grant

  slowGrant.release();
  slow.inbox.expectNext<Granted>();
  slow.inbox.expectNext<Revoked>();
  slowListener.release();
  CHECK(slow.violations().empty());
  CHECK(other.violations().empty());
}
