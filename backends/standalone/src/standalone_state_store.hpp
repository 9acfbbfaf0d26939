#pragma once

#include <mutex>

#include <boost/asio/any_io_executor.hpp>

#include "baton/leader_state_store.hpp"
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
class StandaloneStateStore final : public LeaderStateStore {
 public:
  explicit StandaloneStateStore(boost::asio::any_io_executor callbackExecutor);

  void asyncPut(const FencingToken& token, std::string_view ns, std::string_view key,
                std::string_view value, WriteExpectation expectation,
                WriteHandler handler) override;
  void asyncErase(const FencingToken& token, std::string_view ns, std::string_view key,
                  WriteExpectation expectation, WriteHandler handler) override;
  void asyncEraseNamespace(const FencingToken& token, std::string_view ns,
                           WriteHandler handler) override;
  std::optional<StoredRecord> get(std::string_view ns, std::string_view key) override;
  std::vector<StoredRecord> list(std::string_view ns) override;

  // Removes every record (the services' cleanupAllData).
  void clear();
  // No write is accepted afterwards; handlers posted before still run.
  void close() noexcept;

 private:
  // Applies apply() to the records if the fence holds, then posts handler with the outcome;
  // under the mutex, so that close() cannot stop the executor between the check and the post.
  template <typename Apply>
  void write(const FencingToken& token, const char* operation, Apply apply, WriteHandler handler);

  boost::asio::any_io_executor callbackExecutor_;
  mutable std::mutex mutex_;
  bool closed_ = false;
  baton::detail::RecordTable records_;
};

}  // namespace baton::standalone::detail
