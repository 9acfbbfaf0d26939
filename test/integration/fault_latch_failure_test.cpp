// A participant that can no longer take part leaves the queue: its latch node is deleted, the
// driver reports onFailure (the contender hears handleError), and the next participant leads.
// Left in the queue, the node would live as long as the session and, as the lowest, keep
// everyone from being elected.

#include <zookeeper/zookeeper.h>
#include <catch2/catch.hpp>

#include "baton/zookeeper/zk_error.hpp"
#include "support/fault_proxy.hpp"
#include "support/raw_zk_pump.hpp"
#include "support/recording_contender.hpp"
#include "support/zk_test_env.hpp"

using namespace baton;
using namespace baton::test;
using namespace std::chrono_literals;

namespace {

// Digest identities: "<user>:" + base64(sha1("<user>:<password>")), as ZooKeeper's
// DigestAuthenticationProvider derives them (computed once with Python's hashlib).
constexpr const char* kCredentialsA = "latch-a:secret-a";
constexpr const char* kDigestA = "latch-a:UPMAh9SVCO/wi87tUMPOUNIS0bo=";
constexpr const char* kCredentialsB = "latch-b:secret-b";
constexpr const char* kDigestB = "latch-b:FjNs+BomJlf8ejcKQeuWbOBLqys=";

// A raw single-threaded C handle for what ZkClient does not offer (setting an ACL), driven by an
// fd-event loop with a deadline (the C client has no other signal).
class RawZk {
 public:
  RawZk(const std::string& quorum, const std::string& credentials) {
    zh_ = zookeeper_init(quorum.c_str(), &ignore, 10000, nullptr, nullptr, 0);
    REQUIRE(zh_ != nullptr);
    drive([&] { return zoo_state(zh_) == ZOO_CONNECTED_STATE; });
    std::optional<int> rc;
    REQUIRE(zoo_add_auth(zh_, "digest", credentials.data(), static_cast<int>(credentials.size()),
                         &done, &rc) == ZOK);
    drive([&] { return rc.has_value(); });
    REQUIRE(*rc == ZOK);
  }
  ~RawZk() { zookeeper_close(zh_); }
  RawZk(const RawZk&) = delete;
  RawZk& operator=(const RawZk&) = delete;

  // Replaces path's ACL: (scheme, id, perms) entries.
  int setAcl(const std::string& path,
             const std::vector<std::tuple<std::string, std::string, int>>& entries) {
    std::vector<ACL> acl;
    for (const auto& [scheme, id, perms] : entries) {
      acl.push_back(
          ACL{perms, Id{const_cast<char*>(scheme.c_str()), const_cast<char*>(id.c_str())}});
    }
    ACL_vector vector{static_cast<int32_t>(acl.size()), acl.data()};
    std::optional<int> rc;
    REQUIRE(zoo_aset_acl(zh_, path.c_str(), -1, &vector, &done, &rc) == ZOK);
    drive([&] { return rc.has_value(); });
    return *rc;
  }

 private:
  static void ignore(zhandle_t*, int, int, const char*, void*) {}
  static void done(int rc, const void* data) {
    *static_cast<std::optional<int>*>(const_cast<void*>(data)) = rc;
  }

  template <typename Done>
  void drive(Done isDone) {
    pumpRawHandle(zh_, isDone);
  }

  zhandle_t* zh_ = nullptr;
};

// Skips states until `wanted` arrives.
void awaitState(EventInbox<ConnectionState>& states, ConnectionState wanted,
                std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (int i = 0; i < 100; ++i) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    REQUIRE(left.count() > 0);
    if (states.next(left) == wanted)
      return;
  }
  FAIL("too many connection states without the awaited one");
}

struct TestParticipant {
  std::unique_ptr<zookeeper::ZooKeeperHaServices> services;
  RecordingContender contender;
  std::unique_ptr<LeaderElection> election;
  EventInbox<ConnectionState> states;

  TestParticipant(const std::string& cluster, const std::string& id,
                  std::map<std::string, std::string> extra)
      : services(makeZkServices(cluster, id, std::move(extra))) {
    services->setConnectionStateCallback(
        [this](ConnectionState state, const std::string&) { states.push(state); });
    join();
  }
  void join() {
    election = services->getLeaderElection("rm");
    election->startLeaderElection(contender);
  }
  ~TestParticipant() {
    election->close();
    services->close();
  }
};

}  // namespace

TEST_CASE("a participant refused its re-check leaves the queue, and the next one leads") {
  auto cluster = uniqueClusterId("latch-acl");
  auto latch = "/baton-test/" + cluster + "/leader/latch";
  FaultProxy proxy(zkQuorum());
  AdminClient admin;
  RawZk owner(zkQuorum(), kCredentialsB);
  {
    // Open node ACLs (not creator-only), so that only the latch directory's ACL differs below.
    TestParticipant a(cluster, "a",
                      {{"ha.zookeeper.quorum", proxy.quorum()},
                       {"ha.zookeeper.auth.digest", kCredentialsA},
                       {"ha.zookeeper.acl", "open"}});
    a.contender.inbox.expectNext<Granted>();
    TestParticipant b(cluster, "b",
                      {{"ha.zookeeper.auth.digest", kCredentialsB}, {"ha.zookeeper.acl", "open"}});
    admin.awaitChildren(latch, 2);  // b queued behind a

    // getChildren needs READ on the directory, delete needs DELETE on it (FinalRequestProcessor
    // handleGetChildrenRequest, PrepRequestProcessor OpCode.delete): a can leave, not look.
    REQUIRE(owner.setAcl(latch, {{"digest", kDigestA, ZOO_PERM_CREATE | ZOO_PERM_DELETE},
                                 {"digest", kDigestB, ZOO_PERM_ALL}}) == ZOK);

    // A reconnect makes a re-list its latch: ZNOAUTH, fatal.
    proxy.setMode(FaultProxy::Mode::reset);
    awaitState(a.states, ConnectionState::suspended, scaled(20s));
    proxy.setMode(FaultProxy::Mode::pass);

    auto error = a.contender.inbox.await<ErrorSeen>(scaled(30s));
    CHECK(error.code == zookeeper::make_error_code(ZNOAUTH));
    CHECK(error.what.find("left the election") != std::string::npos);
    CHECK_FALSE(a.contender.isLeading());
    // Only once a's node is gone: this grant is the proof that it left the queue.
    b.contender.inbox.expectNext<Granted>(scaled(20s));
    auto queue = b.services->participants();
    REQUIRE(queue.size() == 1);
    CHECK(queue[0].id == "b");

    // The application rejoins by restarting its election (a new driver): queued behind b.
    REQUIRE(owner.setAcl(latch, {{"world", "anyone", ZOO_PERM_ALL}}) == ZOK);
    a.election->close();
    a.join();
    admin.awaitChildren(latch, 2);
    CHECK(b.contender.isLeading());
    CHECK_FALSE(a.contender.isLeading());
  }
  CHECK(admin.children(latch).empty());
  admin.removeTree("/baton-test/" + cluster);
}

TEST_CASE("a participant whose negotiated session timeout cannot carry a lease never queues") {
  auto cluster = uniqueClusterId("latch-unfit");
  auto latch = "/baton-test/" + cluster + "/leader/latch";
  AdminClient admin;
  {
    // 120 s asked, the servers' maxSessionTimeout (60 s, test/zk/ensemble.sh) granted: below the
    // 100 s safety margin, so no lease could ever be held.
    TestParticipant unfit(
        cluster, "unfit",
        {{"ha.zookeeper.session-timeout", "120s"}, {"ha.lease.safety-margin", "100s"}});
    auto error = unfit.contender.inbox.expectNext<ErrorSeen>(scaled(20s));
    CHECK(error.what.find("negotiated a session timeout of 60000 ms") != std::string::npos);
    CHECK(error.what.find("left the election") != std::string::npos);

    TestParticipant fit(cluster, "fit", {});
    fit.contender.inbox.expectNext<Granted>(scaled(20s));
    auto queue = fit.services->participants();
    REQUIRE(queue.size() == 1);
    CHECK(queue[0].id == "fit");
    CHECK(unfit.contender.grants() == 0);
  }
  CHECK(admin.children(latch).empty());
  admin.removeTree("/baton-test/" + cluster);
}
