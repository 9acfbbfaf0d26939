#pragma once

#include <functional>
#include <mutex>
#include <string>

#include <boost/asio/any_io_executor.hpp>

#include "baton/ha_metrics.hpp"
#include "baton/leader_state_store.hpp"
#include "baton/support/namespace_watchers.hpp"
#include "baton/support/record_table.hpp"

namespace baton::detail {

// The writes of the in-memory LeaderStateStores (standalone, embedded), written once: names
// and values checked, the handler required, writes refused after close(), and the outcome
// posted to the callback executor. Where the records live and what the fence is are the
// backend's (applyFenced); reads are the backend's too.
//
// Thread-safety: every method may be called from any thread; applyFenced runs under this
// store's mutex (so close() cannot stop the executor between the check and the post) and no
// lock is held while a handler runs.
class InMemoryStateStore : public LeaderStateStore {
 public:
  void asyncPut(const FencingToken& token, std::string_view ns, std::string_view key,
                std::string_view value, WriteExpectation expectation, WriteHandler handler) final;
  void asyncErase(const FencingToken& token, std::string_view ns, std::string_view key,
                  WriteExpectation expectation, WriteHandler handler) final;
  void asyncEraseNamespace(const FencingToken& token, std::string_view ns,
                           WriteHandler handler) final;

  // Watches of this store's records (NamespaceWatchers: every applied write is reported).
  std::unique_ptr<NamespaceWatch> watchNamespace(std::string_view ns,
                                                 ChangeListener listener) final;

  // No write is accepted afterwards (std::logic_error); handlers posted before still run.
  void close() noexcept;

 protected:
  using Apply = std::function<RecordTable::Outcome(RecordTable&)>;

  // owner names the services in the error of a write after close(); watchers are those of
  // everyone who shares the records (the embedded cluster's participants); metrics hears
  // every write's result (HaMetrics::onStoreWrite) on the callback executor, right before
  // its handler (empty: none).
  InMemoryStateStore(boost::asio::any_io_executor callbackExecutor, std::string owner,
                     std::shared_ptr<NamespaceWatchers> watchers,
                     std::shared_ptr<HaMetrics> metrics = nullptr);
  NamespaceWatchers& watchers() { return *watchers_; }

  // Applies apply to the records if token's leadership is current, atomically with that
  // check; Errc::leadership_lost (and nothing applied) otherwise.
  virtual RecordTable::Outcome applyFenced(const FencingToken& token, const Apply& apply) = 0;

 private:
  // key empty: the whole namespace changed.
  void write(const FencingToken& token, const char* operation, std::string_view ns,
             std::string_view key, const Apply& apply, WriteHandler handler);

  const boost::asio::any_io_executor callbackExecutor_;
  const std::string owner_;
  const std::shared_ptr<NamespaceWatchers> watchers_;
  const std::shared_ptr<HaMetrics> metrics_;  // never null
  std::mutex mutex_;
  bool closed_ = false;
};

}  // namespace baton::detail
