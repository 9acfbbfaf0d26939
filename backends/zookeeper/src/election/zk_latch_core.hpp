#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>

#include <spdlog/logger.h>
#include <boost/asio/basic_waitable_timer.hpp>
#include <boost/asio/steady_timer.hpp>

#include "baton/support/listener_gate.hpp"
#include "election/latch_state_machine.hpp"
#include "client/lease/lease_clock.hpp"
#include "election/zk_leader_election_driver.hpp"
#include "client/zk_connection.hpp"
#include "leader_info/zk_leader_store.hpp"

namespace baton::zookeeper {

// The strand-side state of one ZooKeeper election driver: feeds session events and request
// results into the LatchStateMachine, performs its actions, applies the connection policy,
// and reports grant/revoke through the listener gate.
//
// Thread-safety: none, except hasLeadership() (atomics). Lives on the connection's executor;
// handlers keep it alive through shared_from_this().
class ZkLatchCore : public std::enable_shared_from_this<ZkLatchCore> {
 public:
  ZkLatchCore(std::shared_ptr<ZkConnection> connection, LatchDriverSettings settings,
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
  // Finds our node by its protected name prefix and deletes it; retried likewise, also after
  // close (the election is gone, the session is not).
  void deleteProtectedNode(const std::string& namePrefix, std::uint64_t sessionGeneration,
                           int attempt);
  // Calls retry after the capped exponential backoff of settings_.retry for this attempt.
  void retryAfter(int attempt, std::function<void()> retry);
  void scheduleRecheck();
  // The one place that turns latch + policy into grant/revoke facts.
  void updateGrant(const std::string& reason);
  // Refreshes the deadline from the client's proven renewal and revokes if it passed.
  void checkLease();
  bool leaseValid(Clock::time_point now) const;
  void refreshLease();
  // Wakes at the deadline while granted; nothing to wait for otherwise (no polling: the
  // deadline moves only when the renewal proof advances, which calls onRenewal()).
  void armLeaseTimer();
  void onRenewal();
  void updateKeepalive();
  void report(const std::function<void()>& call);

  std::shared_ptr<ZkConnection> connection_;
  LatchDriverSettings settings_;
  LeaderElectionDriver::Listener& listener_;
  std::shared_ptr<spdlog::logger> logger_;
  support::ListenerGate gate_;
  LatchStateMachine machine_;
  std::shared_ptr<ZkLeaderStore> store_;
  boost::asio::steady_timer recheckTimer_;
  boost::asio::basic_waitable_timer<Clock> leaseTimer_;
  std::optional<Clock::time_point> armedDeadline_;
  std::uint64_t subscription_ = 0;
  std::uint64_t generation_ = 0;
  std::chrono::milliseconds negotiatedTimeout_{0};
  int recheckAttempts_ = 0;
  bool suspended_ = false;
  bool closed_ = false;
  bool failed_ = false;  // onFailure was reported: nothing is, after it
  std::int64_t epoch_ = 0;
  std::atomic<bool> granted_{false};
  std::atomic<Clock::rep> leaseDeadline_{Clock::time_point::max().time_since_epoch().count()};
};

}  // namespace baton::zookeeper
