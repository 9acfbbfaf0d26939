#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>

#include <spdlog/logger.h>
#include <boost/asio/basic_waitable_timer.hpp>
#include <boost/asio/steady_timer.hpp>

#include "baton/support/listener_gate.hpp"
#include "client/lease/lease_clock.hpp"
#include "client/zk_connection.hpp"
#include "election/grant_policy.hpp"
#include "election/latch_state_machine.hpp"
#include "election/recheck_backoff.hpp"
#include "election/zk_leader_election_driver.hpp"
#include "leader_info/zk_leader_store.hpp"

namespace baton::zookeeper {

// The strand-side state of one ZooKeeper election driver: the I/O around three sans-io units.
// It feeds session events and request results into the LatchStateMachine and performs its
// actions, asks GrantPolicy whether to grant or revoke (and when to wake for the lease),
// RecheckBackoff when to re-check and NodeCleanup what to do after each delete answer, and
// reports grant/revoke through the listener gate. It decides nothing itself.
//
// Thread-safety: none, except hasLeadership() (atomics). Lives on the connection's executor;
// handlers keep it alive through shared_from_this().
class ZkLatchRunner : public std::enable_shared_from_this<ZkLatchRunner> {
 public:
  ZkLatchRunner(std::shared_ptr<ZkConnection> connection, LatchDriverSettings settings,
                LeaderElectionDriver::Listener& listener, std::shared_ptr<spdlog::logger> logger);

  void start();
  void close();
  void publish(const std::string& componentId, const LeaderInformation& info);
  void remove(const std::string& componentId);
  bool hasLeadership() const noexcept;
  support::ListenerGate& gate() { return gate_; }

 private:
  using Clock = LeaseClock;

  void onConnectionState(ConnectionState state, const ZkSessionInfo& session);
  void feed(const latch::Event& event);
  void perform(const latch::Action& action);
  void performRequest(const latch::Action& action);
  // Deletes our latch node; retried after connection problems while the session lives. The
  // outcome goes to the latch as NodeDeleted (unless the session ended: SessionLost says it).
  void deleteNode(const std::string& path, std::uint64_t sessionGeneration, int attempt);
  // Leaving as leader: deletes our connection_info nodes (infoOps) and the latch node at `path`
  // in one multi, so the handover costs one quorum write and no retriever sees our information
  // after the successor is granted. Falls back as NodeCleanup::afterRelease says, never
  // leaving the latch node behind. Empty infoOps: deleteNode.
  void releaseNode(const std::string& path, std::vector<ZkOp> infoOps,
                   std::uint64_t sessionGeneration, int attempt);
  // Finds our node by its protected name prefix and deletes it; retried likewise, also after
  // close (the election is gone, the session is not).
  void deleteProtectedNode(const std::string& namePrefix, std::uint64_t sessionGeneration,
                           int attempt);
  // Calls retry after delay, on the connection's executor.
  void retryAfter(std::chrono::milliseconds delay, std::function<void()> retry);
  void scheduleRecheck();
  GrantPolicy::LatchView latchView() const;
  // Asks the GrantPolicy and reports what changed.
  void updateGrant(const std::string& reason);
  // Refreshes the deadline from the client's proven renewal and revokes if it passed.
  void checkLease();
  bool leaseValid(Clock::time_point now) const;
  void refreshLease();
  // Wakes at the deadline while granted; nothing to wait for otherwise (no polling: the
  // deadline moves only when the renewal proof advances, which calls onRenewal()).
  void armLeaseTimer();
  void onRenewal();
  // The machine took an illegal edge (a bug): log it and leave the election (Close, so our
  // node is deleted; then onFailure), rather than let the exception end the host's I/O loop.
  void onLatchBug(const std::logic_error& bug);
  void report(const std::function<void()>& call);
  // HaMetrics: our place in the queue (joined, each re-check's position, left), from the
  // machine's Place; and the lease deadline whenever it changes (max() while not granted).
  void reportPlace();
  void reportLease();

  std::shared_ptr<ZkConnection> connection_;
  LatchDriverSettings settings_;
  LeaderElectionDriver::Listener& listener_;
  std::shared_ptr<spdlog::logger> logger_;
  support::ListenerGate gate_;
  LatchStateMachine machine_;
  GrantPolicy grant_;
  RecheckBackoff recheck_;
  std::shared_ptr<ZkLeaderStore> store_;
  boost::asio::steady_timer recheckTimer_;
  boost::asio::basic_waitable_timer<Clock> leaseTimer_;
  std::optional<Clock::time_point> armedDeadline_;
  std::uint64_t subscription_ = 0;
  std::uint64_t generation_ = 0;
  std::chrono::milliseconds negotiatedTimeout_{0};
  bool suspended_ = false;
  bool closed_ = false;
  bool failed_ = false;  // onFailure was reported: nothing is, after it
  std::int64_t epoch_ = 0;
  std::atomic<bool> granted_{false};
  std::optional<std::string> joinedNode_;  // reported joined and not yet left
  std::uint64_t reportedListing_ = 0;      // the machine's Place::listing last reported
  std::optional<Clock::time_point> reportedLease_;
  std::atomic<Clock::rep> leaseDeadline_{Clock::time_point::max().time_since_epoch().count()};
};

}  // namespace baton::zookeeper
