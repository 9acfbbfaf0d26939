#include "embedded_state_store.hpp"

#include <stdexcept>

#include "baton/error.hpp"

namespace baton::embedded::detail {

using baton::detail::RecordTable;

EmbeddedStateStore::EmbeddedStateStore(std::shared_ptr<EmbeddedClusterImpl> cluster,
                                       std::string participantId,
                                       const DefaultLeaderElectionService& electionService,
                                       boost::asio::any_io_executor callbackExecutor,
                                       std::shared_ptr<HaMetrics> metrics)
    : InMemoryStateStore(std::move(callbackExecutor),
                         "embedded HA services of '" + participantId + "'",
                         cluster->recordWatchers(), std::move(metrics)),
      cluster_(std::move(cluster)),
      participantId_(std::move(participantId)),
      electionService_(electionService) {}

RecordTable::Outcome EmbeddedStateStore::applyFenced(const FencingToken& token,
                                                     const Apply& apply) {
  // The session id is known only to this participant's service, the epoch's currency only to
  // the cluster: the service's check first, then the cluster's, atomically with the write (a
  // handover in between changes the cluster's epoch, so the write is still refused).
  if (electionService_.currentFencingToken(token.sessionId) != token)
    return {make_error_code(Errc::leadership_lost), 0};
  return cluster_->writeRecordsIfLeading(participantId_, token.epoch, apply);
}

std::optional<StoredRecord> EmbeddedStateStore::get(std::string_view ns, std::string_view key) {
  checkName("namespace", ns);
  checkName("key", key);
  return cluster_->record(ns, key);
}

std::vector<StoredRecord> EmbeddedStateStore::list(std::string_view ns) {
  checkName("namespace", ns);
  return cluster_->records(ns);
}

}  // namespace baton::embedded::detail
