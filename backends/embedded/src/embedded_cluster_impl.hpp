#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <spdlog/logger.h>
#include <boost/asio/any_io_executor.hpp>

#include "baton/embedded/embedded_cluster.hpp"
#include "baton/ha_metrics.hpp"
#include "baton/leader_election_driver.hpp"
#include "baton/leader_retrieval_driver.hpp"
#include "baton/support/executor_thread.hpp"
#include "listener_mailbox.hpp"
// The in-memory record table is the standalone store's: one rule set for both backends.
#include "baton/support/namespace_watchers.hpp"
#include "baton/support/record_table.hpp"

namespace baton::embedded::detail {

// One embedded election driver's place in the cluster's queue.
// Thread-safety: `leading` may be read from any thread; `published` is guarded by the
// cluster's mutex; the rest is immutable after join().
struct ElectionMember {
  std::string participantId;
  LeaderElectionDriver::Listener* listener = nullptr;  // touched only through the mailbox
  std::shared_ptr<ListenerMailbox> mailbox;
  // Hears the member's place in the queue, through the mailbox (never under the cluster's
  // lock); never null.
  std::shared_ptr<HaMetrics> metrics;
  std::size_t position = 0;  // last reported; guarded by the cluster's mutex
  std::atomic<bool> leading{false};
  // What this member wrote while leading, per component: the baseline for reporting changes
  // by anyone else (tamper, delete). Cleared when leadership ends: a deposed member owns
  // nothing.
  std::map<std::string, LeaderInformation> published;
};

// One embedded retrieval driver's watch on a component.
// Thread-safety: immutable after watch().
struct RetrievalWatch {
  std::string componentId;
  LeaderRetrievalDriver::Listener* listener = nullptr;  // touched only through the mailbox
  std::shared_ptr<ListenerMailbox> mailbox;
};

// The cluster's state: the FCFS queue of election members (the leader, if any, at its head),
// the epoch, the per-component store and its watchers, and the participant ids in use.
//
// Writes are applied synchronously under the lock, so "the writer leads when the write is
// applied" is checked at the moment of the call: a deposed leader's write is dropped (the
// embedded form of a fenced write). Every listener call is posted to the delivery strand
// while the lock is held (so calls run in the order of the state changes) and runs after the
// lock is released; one strand for all drivers orders an old leader's revoke before the new
// leader's grant.
//
// Thread-safety: every method may be called from any thread; the one mutex is never held
// while a listener runs.
class EmbeddedClusterImpl final : public EmbeddedCluster {
 public:
  explicit EmbeddedClusterImpl(std::shared_ptr<spdlog::logger> logger);
  ~EmbeddedClusterImpl() override;

  std::vector<std::string> participants() const override;
  std::optional<std::string> currentLeader() const override;
  std::uint64_t epoch() const override;
  void transferLeadership(const std::string& participantId) override;
  void deposeLeader() override;
  void setAutomaticElection(bool enabled) override;
  LeaderInformation leaderInformation(const std::string& componentId) const override;
  void tamperLeaderInformation(const std::string& componentId,
                               const LeaderInformation& info) override;

  // Participant ids (one per EmbeddedHaServices). Throws std::invalid_argument naming a
  // duplicate or empty id.
  void reserveParticipant(const std::string& participantId);
  void releaseParticipant(const std::string& participantId) noexcept;

  // Election drivers: join the back of the queue (granted at once if it is the head and the
  // election is automatic); leave it (the next head is granted). leave() sends no event to the
  // member itself: the caller closes its mailbox.
  // metrics (not null) hears the member's joining and each later move in the queue.
  std::shared_ptr<ElectionMember> join(const std::string& participantId,
                                       LeaderElectionDriver::Listener& listener,
                                       std::shared_ptr<HaMetrics> metrics);
  void leave(const std::shared_ptr<ElectionMember>& member) noexcept;
  // Applied only while member leads; otherwise dropped and logged (fenced). unchanged: the
  // store held info already (the write is applied all the same).
  HaMetrics::PublishResult publish(ElectionMember& member, const std::string& componentId,
                                   const LeaderInformation& info);

  // Retrieval drivers: the current value is reported at once, then every change.
  std::shared_ptr<RetrievalWatch> watch(const std::string& componentId,
                                        LeaderRetrievalDriver::Listener& listener);
  void unwatch(const std::shared_ptr<RetrievalWatch>& watch) noexcept;

  // Removes every stored leader information and state store record; nobody heals them (see
  // the .cpp).
  void cleanupAllData();

  // The records of the cluster's LeaderStateStore (embedded_state_store.hpp), shared by all
  // its participants. apply runs under the lock, and only while participantId leads under
  // epoch, so the fence and the write are one atomic step: Errc::leadership_lost otherwise.
  baton::detail::RecordTable::Outcome writeRecordsIfLeading(
      const std::string& participantId, std::uint64_t epoch,
      const std::function<baton::detail::RecordTable::Outcome(baton::detail::RecordTable&)>& apply);
  std::optional<StoredRecord> record(std::string_view ns, std::string_view key) const;
  std::vector<StoredRecord> records(std::string_view ns) const;
  // The namespace watches of every participant's store (they share the records).
  const std::shared_ptr<baton::detail::NamespaceWatchers>& recordWatchers() const {
    return recordWatchers_;
  }

  // Test observable: the number of writes applied to the store (publish, delete, tamper,
  // cleanup of a present value), equal values included, so a test can see a rewrite.
  std::uint64_t storeVersion() const;

 private:
  std::shared_ptr<ElectionMember> leaderLocked() const;
  std::shared_ptr<ElectionMember> findNewestLocked(const std::string& participantId) const;
  void grantHeadLocked();
  void revokeLeaderLocked(const std::string& reason);
  void electIfAutomaticLocked();
  // Tells every member whose place in the queue changed its new position (posted).
  void reportPositionsLocked();
  // Stores info (empty: erases) and notifies the retrieval watchers if the value changed.
  void applyLocked(const std::string& componentId, const LeaderInformation& info);
  // Tells the leader when what it published for componentId is no longer what is stored.
  void reportForeignWriteLocked(const std::string& componentId);
  LeaderInformation storedLocked(const std::string& componentId) const;

  std::shared_ptr<spdlog::logger> logger_;
  support::ExecutorThread delivery_;  // "baton-embedded": runs every driver listener call
  boost::asio::any_io_executor strand_;

  mutable std::mutex mutex_;
  std::set<std::string> participantIds_;
  std::deque<std::shared_ptr<ElectionMember>> queue_;
  bool headLeads_ = false;  // the head of queue_ holds leadership
  bool automatic_ = true;
  std::uint64_t epoch_ = 0;
  std::map<std::string, LeaderInformation> store_;
  std::uint64_t storeVersion_ = 0;
  std::multimap<std::string, std::shared_ptr<RetrievalWatch>> watches_;
  baton::detail::RecordTable records_;
  const std::shared_ptr<baton::detail::NamespaceWatchers> recordWatchers_ =
      std::make_shared<baton::detail::NamespaceWatchers>();
};

}  // namespace baton::embedded::detail
