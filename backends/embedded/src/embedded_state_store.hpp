#pragma once

#include <memory>
#include <mutex>
#include <string>

#include <boost/asio/any_io_executor.hpp>

#include "baton/default_leader_election_service.hpp"
#include "baton/support/in_memory_state_store.hpp"
#include "embedded_cluster_impl.hpp"

namespace baton::embedded::detail {

// One participant's view of its EmbeddedCluster's LeaderStateStore: the records live in the
// cluster (every participant reads and writes the same ones, as with one ZooKeeper ensemble);
// this front checks names, the fence, and completes on the participant's callback executor.
//
// The fence: the token must be the current one of this participant's election service (its
// session id and epoch), and, atomically with the write under the cluster's lock, this
// participant must lead the cluster under the token's epoch. A token whose leadership ended
// (revoked, handed over, a newer grant, the services closed) is Errc::leadership_lost with
// nothing stored. The embedded cluster applies a write at once and has no link to lose (no
// crash or partition control exists), so a write never ends in Errc::outcome_unknown.
//
// After close() (the services' close) a write is API misuse: std::logic_error; reads still
// answer.
//
// Thread-safety: every method may be called from any thread; no lock is held while a handler
// runs (handlers are posted).
class EmbeddedStateStore final : public baton::detail::InMemoryStateStore {
 public:
  EmbeddedStateStore(std::shared_ptr<EmbeddedClusterImpl> cluster, std::string participantId,
                     const DefaultLeaderElectionService& electionService,
                     boost::asio::any_io_executor callbackExecutor,
                     std::shared_ptr<HaMetrics> metrics);

  std::optional<StoredRecord> get(std::string_view ns, std::string_view key) override;
  std::vector<StoredRecord> list(std::string_view ns) override;

 private:
  baton::detail::RecordTable::Outcome applyFenced(const FencingToken& token,
                                                  const Apply& apply) override;

  const std::shared_ptr<EmbeddedClusterImpl> cluster_;
  const std::string participantId_;
  const DefaultLeaderElectionService& electionService_;
};

}  // namespace baton::embedded::detail
