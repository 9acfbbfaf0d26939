#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <spdlog/logger.h>

#include "baton/leader_information.hpp"

namespace baton::embedded {

// An in-process election domain: the stand-in for a ZooKeeper ensemble inside one process.
// Participants (one per EmbeddedHaServices) queue first come, first served; the head of the
// queue leads; when it leaves, the next one is granted. Leader information is stored per
// component, written only by the current leader, and watched by retrieval drivers.
//
// The operator commands (transferLeadership, deposeLeader, setAutomaticElection,
// tamperLeaderInformation) let an application's own tests drive leadership; they act on
// the cluster, like an operator on an ensemble, and are not contender callbacks.
//
// A participant is in the queue while its services have at least one started contender (its
// election driver exists). Writes are applied at the moment of the call and only if the
// writer leads then: a deposed leader's write is dropped (the embedded fencing token). Events
// reach all drivers in the order of the state changes that caused them, so a revoke of the old
// leader is delivered before the grant of the new one.
//
// Thread-safety: every method may be called from any thread. Driver listeners are called
// asynchronously on the cluster's delivery thread, never under the cluster's lock.
class EmbeddedCluster : public std::enable_shared_from_this<EmbeddedCluster> {
 public:
  static std::shared_ptr<EmbeddedCluster> create(std::shared_ptr<spdlog::logger> logger = nullptr);
  // The process-wide cluster for clusterId, created on first use and kept while referenced.
  static std::shared_ptr<EmbeddedCluster> shared(const std::string& clusterId);

  virtual ~EmbeddedCluster() = default;

  // Participant ids in queue order, the leader (if any) first. While a participant's services
  // replace their driver (last contender left, a new one started) its id may briefly appear
  // twice.
  virtual std::vector<std::string> participants() const = 0;
  virtual std::optional<std::string> currentLeader() const = 0;
  // Epoch of the current (or last) leadership; grows by one with every grant.
  virtual std::uint64_t epoch() const = 0;

  // Moves participantId to the head of the queue and grants it, revoking the current leader.
  // Transferring to the current leader does nothing. Works with automatic election off too.
  // Throws std::invalid_argument for an unknown participant or one without started contenders.
  virtual void transferLeadership(const std::string& participantId) = 0;
  // Revokes the current leader, which moves to the back of the queue; with automatic election
  // on, the new head is granted (the same participant again if it is alone). Does nothing when
  // nobody leads.
  virtual void deposeLeader() = 0;
  // With automatic election off, nobody is granted until transferLeadership() is called. Turning
  // it on grants the head of the queue at once if nobody leads. On by default.
  virtual void setAutomaticElection(bool enabled) = 0;

  // What is stored for a component; empty when nothing is.
  virtual LeaderInformation leaderInformation(const std::string& componentId) const = 0;
  // Overwrites (or, with empty info, deletes) what is stored, as an outside party would:
  // lets tests check that the leader heals tampered information. The leader that published
  // the component is told when the result differs from what it wrote; watchers see the change.
  virtual void tamperLeaderInformation(const std::string& componentId,
                                       const LeaderInformation& info) = 0;
};

}  // namespace baton::embedded
