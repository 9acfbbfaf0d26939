#pragma once

#include <mutex>

#include <boost/asio/any_io_executor.hpp>

#include "baton/support/in_memory_state_store.hpp"
#include "baton/support/record_table.hpp"

namespace baton::standalone::detail {

// The LeaderStateStore of one StandaloneHaServices, in memory. Standalone has no election to
// order leaderships, so the fence is the one token every standalone leader holds: the default
// (all-zero) leader session id at epoch 0 (StandaloneLeaderElection::fencingToken). A write
// under any other token is Errc::leadership_lost and changes nothing. Nothing is shared with
// another process or another services instance; an outcome is never unknown.
//
// Completions run on the services' callback executor. After close() (the services' close,
// before their executor stops) a write is API misuse: std::logic_error; reads still answer.
//
// Thread-safety: every method may be called from any thread; the mutex is never held while a
// handler runs (handlers are posted).
class StandaloneStateStore final : public baton::detail::InMemoryStateStore {
 public:
  explicit StandaloneStateStore(boost::asio::any_io_executor callbackExecutor,
                                std::shared_ptr<HaMetrics> metrics = nullptr);

  std::optional<StoredRecord> get(std::string_view ns, std::string_view key) override;
  std::vector<StoredRecord> list(std::string_view ns) override;

  // Removes every record (the services' cleanupAllData).
  void clear();

 private:
  baton::detail::RecordTable::Outcome applyFenced(const FencingToken& token,
                                                  const Apply& apply) override;

  mutable std::mutex mutex_;  // guards records_ (writes hold the base's lock as well)
  baton::detail::RecordTable records_;
};

}  // namespace baton::standalone::detail
