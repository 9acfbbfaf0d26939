#include "embedded_state_store.hpp"

#include <stdexcept>

#include <boost/asio/post.hpp>

#include "baton/error.hpp"

namespace baton::embedded::detail {

using baton::detail::RecordTable;

EmbeddedStateStore::EmbeddedStateStore(std::shared_ptr<EmbeddedClusterImpl> cluster,
                                       std::string participantId,
                                       const DefaultLeaderElectionService& electionService,
                                       boost::asio::any_io_executor callbackExecutor)
    : cluster_(std::move(cluster)),
      participantId_(std::move(participantId)),
      electionService_(electionService),
      callbackExecutor_(std::move(callbackExecutor)) {}

void EmbeddedStateStore::write(const FencingToken& token, const char* operation, const Apply& apply,
                               WriteHandler handler) {
  if (!handler)
    throw std::invalid_argument(std::string("state store ") + operation + ": the handler is empty");
  std::lock_guard lock(mutex_);
  if (closed_) {
    throw std::logic_error(std::string("state store ") + operation +
                           " on closed embedded HA services of '" + participantId_ + "'");
  }
  RecordTable::Outcome outcome;
  // The session id is known only to this participant's service, the epoch's currency only to
  // the cluster: the service's check first, then the cluster's, atomically with the write (a
  // handover in between changes the cluster's epoch, so the write is still refused).
  if (electionService_.currentFencingToken(token.sessionId) != token)
    outcome.error = make_error_code(Errc::leadership_lost);
  else
    outcome = cluster_->writeRecordsIfLeading(participantId_, token.epoch, apply);
  boost::asio::post(callbackExecutor_, [handler = std::move(handler), outcome] {
    handler(outcome.error, outcome.version);
  });
}

void EmbeddedStateStore::asyncPut(const FencingToken& token, std::string_view ns,
                                  std::string_view key, std::string_view value,
                                  WriteExpectation expectation, WriteHandler handler) {
  checkName("namespace", ns);
  checkName("key", key);
  checkValue(value);
  write(
      token, "put", [&](RecordTable& records) { return records.put(ns, key, value, expectation); },
      std::move(handler));
}

void EmbeddedStateStore::asyncErase(const FencingToken& token, std::string_view ns,
                                    std::string_view key, WriteExpectation expectation,
                                    WriteHandler handler) {
  checkName("namespace", ns);
  checkName("key", key);
  write(
      token, "erase", [&](RecordTable& records) { return records.erase(ns, key, expectation); },
      std::move(handler));
}

void EmbeddedStateStore::asyncEraseNamespace(const FencingToken& token, std::string_view ns,
                                             WriteHandler handler) {
  checkName("namespace", ns);
  write(
      token, "eraseNamespace",
      [&](RecordTable& records) {
        records.eraseNamespace(ns);
        return RecordTable::Outcome{};
      },
      std::move(handler));
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

void EmbeddedStateStore::close() noexcept {
  std::lock_guard lock(mutex_);
  closed_ = true;
}

}  // namespace baton::embedded::detail
