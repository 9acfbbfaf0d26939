#include "standalone_state_store.hpp"

#include <stdexcept>

#include <boost/asio/post.hpp>

#include "baton/error.hpp"

namespace baton::standalone::detail {
namespace {

// The token StandaloneLeaderElection hands every leader.
bool isStandaloneToken(const FencingToken& token) {
  return token == FencingToken{LeaderSessionId::defaultId(), 0};
}

}  // namespace

StandaloneStateStore::StandaloneStateStore(boost::asio::any_io_executor callbackExecutor)
    : callbackExecutor_(std::move(callbackExecutor)) {}

template <typename Apply>
void StandaloneStateStore::write(const FencingToken& token, const char* operation, Apply apply,
                                 WriteHandler handler) {
  if (!handler)
    throw std::invalid_argument(std::string("state store ") + operation + ": the handler is empty");
  std::lock_guard lock(mutex_);
  if (closed_) {
    throw std::logic_error(std::string("state store ") + operation +
                           " on closed standalone HA services");
  }
  baton::detail::RecordTable::Outcome outcome;
  if (isStandaloneToken(token))
    outcome = apply(records_);
  else
    outcome.error = make_error_code(Errc::leadership_lost);
  boost::asio::post(callbackExecutor_, [handler = std::move(handler), outcome] {
    handler(outcome.error, outcome.version);
  });
}

void StandaloneStateStore::asyncPut(const FencingToken& token, std::string_view ns,
                                    std::string_view key, std::string_view value,
                                    WriteExpectation expectation, WriteHandler handler) {
  checkName("namespace", ns);
  checkName("key", key);
  checkValue(value);
  write(
      token, "put",
      [&](baton::detail::RecordTable& records) { return records.put(ns, key, value, expectation); },
      std::move(handler));
}

void StandaloneStateStore::asyncErase(const FencingToken& token, std::string_view ns,
                                      std::string_view key, WriteExpectation expectation,
                                      WriteHandler handler) {
  checkName("namespace", ns);
  checkName("key", key);
  write(
      token, "erase",
      [&](baton::detail::RecordTable& records) { return records.erase(ns, key, expectation); },
      std::move(handler));
}

void StandaloneStateStore::asyncEraseNamespace(const FencingToken& token, std::string_view ns,
                                               WriteHandler handler) {
  checkName("namespace", ns);
  write(
      token, "eraseNamespace",
      [&](baton::detail::RecordTable& records) {
        records.eraseNamespace(ns);
        return baton::detail::RecordTable::Outcome{};
      },
      std::move(handler));
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
  std::lock_guard lock(mutex_);
  records_.clear();
}

void StandaloneStateStore::close() noexcept {
  std::lock_guard lock(mutex_);
  closed_ = true;
}

}  // namespace baton::standalone::detail
