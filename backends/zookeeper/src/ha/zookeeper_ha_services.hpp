#pragma once

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "baton/configuration.hpp"
#include "baton/error.hpp"
#include "baton/fencing_token.hpp"
#include "baton/ha_services_options.hpp"
#include "baton/high_availability_services.hpp"
#include "baton/leader_state_store.hpp"
#include "baton/zookeeper/zookeeper_ha_services.hpp"
#include "client/zk_client.hpp"
#include "client/zk_settings.hpp"
#include "election/connection_policy.hpp"
#include "election/zk_leader_election_driver.hpp"
#include "ha/write_outcome.hpp"
#include "leader_info/zk_paths.hpp"
#include "leader_info/znode_codec.hpp"

// The ZooKeeper services' internals, for the backend itself, its tests and the benchmarks
// (private include path backends/zookeeper/src): the settings, the settings-taking
// constructor and the ZooKeeper-specific fenced write. Applications use
// makeZooKeeperHaServices (the public header) and HighAvailabilityServices.
namespace baton::zookeeper {

class ZkConnection;
class ZkStateStore;

// Everything ZooKeeperHaServices reads from configuration (ha.zookeeper.*, ha.cluster-id,
// ha.connection-policy, ha.lease.safety-margin, ha.participant-*): the session's settings and
// the latch's. The latch's tickTime and retry are the client's (the services copy them over).
struct ZkHaSettings {
  ZkSettings client;
  LatchDriverSettings election;
};

// Throws ConfigurationError naming the key for a missing quorum or any malformed value.
ZkHaSettings parseZkHaSettings(const Configuration& configuration);

// HighAvailabilityServices over one ZooKeeper session: a DefaultLeaderElectionService driven by
// the LeaderLatch driver, and retrievers watching each component's connection_info.
// Threads: one I/O thread runs the ZooKeeper client and all driver state; contender and
// listener callbacks run on options.callbackExecutor, or, without one, each contender's on a
// thread of its own and the listeners' on one callback thread (HaServicesOptions).
//
// Thread-safety: callable from any thread. close() is idempotent; data stays for a successor.
class ZooKeeperHaServices final : public HighAvailabilityServices {
 public:
  ZooKeeperHaServices(ZkHaSettings settings, HaServicesOptions options);
  ~ZooKeeperHaServices() override;

  std::unique_ptr<LeaderElection> getLeaderElection(const std::string& componentId) override;
  std::unique_ptr<LeaderRetrievalService> getLeaderRetriever(
      const std::string& componentId) override;
  void setConnectionStateCallback(ConnectionStateCallback callback) override;
  void removeConnectionStateCallback() override;
  void close() noexcept override;
  // Deletes <root>/<cluster-id> and every empty parent up to the root. Throws std::system_error.
  void cleanupAllData() override;

  using FencedWriteHandler =
      std::function<void(std::error_code, const std::vector<ZkOpResult>& results)>;

  // Runs the application's ops in one multi-op together with a check of the latch node that
  // makes this process leader under token (from LeaderElection::fencingToken): it succeeds
  // only while that leadership lasts. The handler runs on the callback executor with
  //   {}                      applied
  //   Errc::leadership_lost   the token was stale before anything was sent, or the servers
  //                           found the latch node gone: nothing changed
  //   a ZooKeeper error       the servers rejected one of ops (ZBADVERSION ...): nothing
  //                           changed
  //   Errc::outcome_unknown   the multi was sent and no answer came (connection loss, a
  //                           timeout, close): it MAY HAVE BEEN APPLIED. Find out with
  //                           readBackWrite(ops) before writing again.
  // results are those of ops (the check left out).
  void fencedWrite(const FencingToken& token, std::vector<ZkOp> ops, FencedWriteHandler handler);
  // Blocking form (not from a callback of these services): waits for the servers' answer;
  // Errc::outcome_unknown also when no answer came within the operation timeout plus 5 s.
  std::error_code fencedWrite(const FencingToken& token, std::vector<ZkOp> ops,
                              std::vector<ZkOpResult>* results = nullptr);
  // After Errc::outcome_unknown: reads each op's target through the ZooKeeper leader's view and
  // compares it with the op's effect (create/setData: the node holds exactly that data; remove:
  // the node is gone). See WriteOutcome for what it can and cannot tell: a later writer may
  // have changed the nodes since; a unique marker in the data makes the answer reliable.
  // Blocking (not from a callback of these services); waits for a session. Throws
  // std::system_error naming the path when a read fails.
  WriteOutcome readBackWrite(const std::vector<ZkOp>& ops);

  // The participants of the election in queue order (the leader first), read now.
  std::vector<Participant> participants() override;
  // What is stored for a component now; empty when nothing (or something malformed) is.
  LeaderInformation currentLeader(const std::string& componentId) override;
  // Records under <root>/<cluster-id>/state (ZkStateStore).
  LeaderStateStore& stateStore() override;

  // For ZkStateStore: fencedWrite, but the handler runs on the I/O thread (so a write of
  // several attempts chains them there) and the token is checked against the latch fence
  // only (the caller checked the election's view once, with tokenIsCurrent). After close()
  // the handler gets Errc::leadership_lost at once, on the calling thread.
  void fencedWriteOnIo(const FencingToken& token, std::vector<ZkOp> ops,
                       FencedWriteHandler handler);
  // Whether the election service still holds the leadership of token's session id.
  bool tokenIsCurrent(const FencingToken& token) const;
  // Runs fn on the I/O thread once a session is up, after a barrier through the ZooKeeper
  // leader (barrierError set when the barrier failed): reads issued by fn see every write the
  // ensemble committed before the call. Blocks until fn fulfils its promise (at most the
  // operation timeout twice plus 30 s: then Errc::timed_out as std::system_error).
  template <typename T>
  T readSynced(
      std::function<void(std::error_code barrierError, ZkClient&, std::shared_ptr<std::promise<T>>)>
          fn);
  // The asynchronous core of readSynced: fn runs on the I/O thread, once, after the barrier.
  // Throws std::logic_error after close().
  void syncedOnIo(std::function<void(std::error_code barrierError, ZkClient&)> fn);
  // Runs fn on the I/O thread with the services' connection (for ZkStateStore's namespace
  // watches, which live there). Throws std::logic_error after close().
  void onIoWithConnection(std::function<void(const std::shared_ptr<ZkConnection>&)> fn);
  // Posts fn to the callback executor (where the store's handlers run).
  void deliver(std::function<void()> fn);
  // HaServicesOptions::metrics, or the shared no-op instance: never null.
  const std::shared_ptr<HaMetrics>& metrics() const;
  const ZkPaths& paths() const { return settings_.election.paths; }

 private:
  class Runtime;
  std::chrono::milliseconds readTimeout() const;
  ZkHaSettings settings_;
  std::unique_ptr<Runtime> runtime_;
  std::unique_ptr<ZkStateStore> stateStore_;
};

template <typename T>
T ZooKeeperHaServices::readSynced(
    std::function<void(std::error_code, ZkClient&, std::shared_ptr<std::promise<T>>)> fn) {
  auto promise = std::make_shared<std::promise<T>>();
  auto future = promise->get_future();
  syncedOnIo([promise, fn = std::move(fn)](std::error_code barrier, ZkClient& client) {
    try {
      fn(barrier, client, promise);
    } catch (...) {
      promise->set_exception(std::current_exception());
    }
  });
  if (future.wait_for(readTimeout()) != std::future_status::ready)
    throw std::system_error(make_error_code(Errc::timed_out), "ZooKeeper did not answer a read");
  return future.get();
}

}  // namespace baton::zookeeper
