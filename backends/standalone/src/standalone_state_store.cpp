#include "standalone_state_store.hpp"

#include <stdexcept>

#include "baton/error.hpp"

namespace baton::standalone::detail {
namespace {

// The token StandaloneLeaderElection hands every leader.
bool isStandaloneToken(const FencingToken& token) {
  return token == FencingToken{LeaderSessionId::defaultId(), 0};
}

}  // namespace

StandaloneStateStore::StandaloneStateStore(boost::asio::any_io_executor callbackExecutor,
                                           std::shared_ptr<HaMetrics> metrics)
    : InMemoryStateStore(std::move(callbackExecutor), "standalone HA services",
                         std::make_shared<baton::detail::NamespaceWatchers>(), std::move(metrics)) {
}

baton::detail::RecordTable::Outcome StandaloneStateStore::applyFenced(const FencingToken& token,
                                                                      const Apply& apply) {
  if (!isStandaloneToken(token))
    return {make_error_code(Errc::leadership_lost), 0};
  std::lock_guard lock(mutex_);
  return apply(records_);
}

std::optional<StoredRecord> StandaloneStateStore::get(std::string_view ns, std::string_view key) {
  checkName("namespace", ns);
  checkName("key", key);
  std::lock_guard lock(mutex_);
  return records_.get(ns, key);
}

std::vector<StoredRecord> StandaloneStateStore::list(std::string_view ns) {
  checkName("namespace", ns);
  std::lock_guard lock(mutex_);
  return records_.list(ns);
}

void StandaloneStateStore::clear() {
  {
    std::lock_guard lock(mutex_);
    records_.clear();
  }
  watchers().notifyAll();
}

}  // namespace baton::standalone::detail
