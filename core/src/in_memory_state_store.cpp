#include "baton/support/in_memory_state_store.hpp"

#include <stdexcept>

#include <boost/asio/post.hpp>

#include "baton/support/metrics_or_no_op.hpp"
#include "baton/support/store_write_result.hpp"

namespace baton::detail {

InMemoryStateStore::InMemoryStateStore(boost::asio::any_io_executor callbackExecutor,
                                       std::string owner,
                                       std::shared_ptr<NamespaceWatchers> watchers,
                                       std::shared_ptr<HaMetrics> metrics)
    : callbackExecutor_(std::move(callbackExecutor)),
      owner_(std::move(owner)),
      watchers_(std::move(watchers)),
      metrics_(support::metricsOrNoOp(std::move(metrics))) {}

std::unique_ptr<NamespaceWatch> InMemoryStateStore::watchNamespace(std::string_view ns,
                                                                   ChangeListener listener) {
  checkName("namespace", ns);
  {
    std::lock_guard lock(mutex_);
    if (closed_)
      throw std::logic_error("state store watch on closed " + owner_);
  }
  return watchers_->add(ns, callbackExecutor_, std::move(listener));
}

void InMemoryStateStore::write(const FencingToken& token, const char* operation,
                               std::string_view ns, std::string_view key, const Apply& apply,
                               WriteHandler handler) {
  if (!handler)
    throw std::invalid_argument(std::string("state store ") + operation + ": the handler is empty");
  std::lock_guard lock(mutex_);
  if (closed_)
    throw std::logic_error(std::string("state store ") + operation + " on closed " + owner_);
  auto outcome = applyFenced(token, apply);
  if (!outcome.error) {
    if (key.empty())
      watchers_->notify(ns, {}, true);
    else
      watchers_->notify(ns, {std::string(key)}, false);
  }
  // Reported from the posted call, not here: this runs under the store's mutex.
  boost::asio::post(callbackExecutor_, [metrics = metrics_, handler = std::move(handler), outcome] {
    metrics->onStoreWrite(support::storeWriteResultOf(outcome.error));
    handler(outcome.error, outcome.version);
  });
}

void InMemoryStateStore::asyncPut(const FencingToken& token, std::string_view ns,
                                  std::string_view key, std::string_view value,
                                  WriteExpectation expectation, WriteHandler handler) {
  checkName("namespace", ns);
  checkName("key", key);
  checkValue(value);
  write(
      token, "put", ns, key,
      [&](RecordTable& records) { return records.put(ns, key, value, expectation); },
      std::move(handler));
}

void InMemoryStateStore::asyncErase(const FencingToken& token, std::string_view ns,
                                    std::string_view key, WriteExpectation expectation,
                                    WriteHandler handler) {
  checkName("namespace", ns);
  checkName("key", key);
  write(
      token, "erase", ns, key,
      [&](RecordTable& records) { return records.erase(ns, key, expectation); },
      std::move(handler));
}

void InMemoryStateStore::asyncEraseNamespace(const FencingToken& token, std::string_view ns,
                                             WriteHandler handler) {
  checkName("namespace", ns);
  write(
      token, "eraseNamespace", ns, "",
      [&](RecordTable& records) {
        records.eraseNamespace(ns);
        return RecordTable::Outcome{};
      },
      std::move(handler));
}

void InMemoryStateStore::close() noexcept {
  std::lock_guard lock(mutex_);
  closed_ = true;
}

}  // namespace baton::detail
