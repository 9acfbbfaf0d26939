#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "baton/fencing_token.hpp"

namespace baton {

// One record of a LeaderStateStore: small data under a key in a namespace. version is 0 when
// the record is created and grows by one with every put, so an expectation can name it.
struct StoredRecord {
  std::string key;
  std::string value;
  std::int64_t version = 0;
  friend bool operator==(const StoredRecord&, const StoredRecord&) = default;
};

// A change seen by a namespace watch (LeaderStateStore::watchNamespace).
struct NamespaceChange {
  std::string ns;
  // Records created, replaced or erased, sorted, each once; get() them for their values.
  std::vector<std::string> keys;
  // What changed is not known, keys may be empty: list() the namespace again. Sent first
  // when the watch starts (the state it starts from), and when the namespace was created or
  // erased as a whole, the data was cleaned up, or a new ZooKeeper session began.
  bool relist = false;
  friend bool operator==(const NamespaceChange&, const NamespaceChange&) = default;
};

// A running namespace watch: destroying it ends the watch; once the destructor returned the
// listener is not called again (called from inside the listener, after the listener returns).
// Destroy it before the services that made it.
class NamespaceWatch {
 public:
  virtual ~NamespaceWatch() = default;
};

// What a write expects to find (compare-and-set): anything, no record, or exactly a version.
class WriteExpectation {
 public:
  enum class Kind { any, absent, version };
  static WriteExpectation any() { return WriteExpectation(Kind::any, 0); }
  static WriteExpectation absent() { return WriteExpectation(Kind::absent, 0); }
  // Throws std::invalid_argument for a negative version (versions start at 0).
  static WriteExpectation version(std::int64_t version) {
    if (version < 0) {
      throw std::invalid_argument("state store: expected version " + std::to_string(version) +
                                  " is negative (versions start at 0)");
    }
    return WriteExpectation(Kind::version, version);
  }
  Kind kind() const noexcept { return kind_; }
  std::int64_t expectedVersion() const noexcept { return version_; }

 private:
  WriteExpectation(Kind kind, std::int64_t version) : kind_(kind), version_(version) {}
  Kind kind_;
  std::int64_t version_;
};

// The state a leader keeps, fenced by its leadership (etcd's "writes as leader are conditional
// on the leader key", Curator's LeaderLatch + transaction check): anyone may read; a write
// takes the FencingToken of a current leadership and the backend checks it inside the same
// atomic operation as the write, so a deposed leader's write can never land, not even one
// already in flight when leadership ended.
//
// Names: a namespace and a key are 1 to 255 characters of [A-Za-z0-9._-], not "." or "..";
// a value is at most kMaxValueBytes. Either violated is API misuse: std::invalid_argument
// naming the problem, nothing sent.
//
// Write results (std::error_code):
//   {}                       applied
//   Errc::leadership_lost    the token's leadership is not current: nothing written
//   Errc::write_conflict     the expectation did not hold: nothing written
//   Errc::outcome_unknown    sent, no answer (connection lost, timeout, close): it MAY have
//                            been applied; get() the record to find out before writing again
//   another error            the backend failed (its category says which)
//
// Threads: every method may be called from any thread. The asynchronous forms complete on
// the HA services' callback executor; the blocking forms must not be called from a callback
// of those services (they would wait for themselves). The store lives as long as the
// services that handed it out; data stays until cleanupAllData() or eraseNamespace().
class LeaderStateStore {
 public:
  static constexpr std::size_t kMaxValueBytes = 64 * 1024;

  using WriteHandler = std::function<void(std::error_code, std::int64_t newVersion)>;

  virtual ~LeaderStateStore() = default;

  // Creates or replaces the record; newVersion is the record's version after the write
  // (meaningless on error).
  virtual void asyncPut(const FencingToken& token, std::string_view ns, std::string_view key,
                        std::string_view value, WriteExpectation expectation,
                        WriteHandler handler) = 0;
  // Removes the record (newVersion unused). Erasing a missing record with
  // WriteExpectation::any() succeeds.
  virtual void asyncErase(const FencingToken& token, std::string_view ns, std::string_view key,
                          WriteExpectation expectation, WriteHandler handler) = 0;
  // Removes a namespace with all its records, fenced like a write.
  virtual void asyncEraseNamespace(const FencingToken& token, std::string_view ns,
                                   WriteHandler handler) = 0;

  // Reads as of now (on ZooKeeper: synced with the ensemble's leader first). Throw
  // std::system_error naming the namespace when the backend cannot answer.
  virtual std::optional<StoredRecord> get(std::string_view ns, std::string_view key) = 0;
  // Every record of the namespace, sorted by key; empty when the namespace does not exist.
  virtual std::vector<StoredRecord> list(std::string_view ns) = 0;

  using ChangeListener = std::function<void(const NamespaceChange&)>;
  // Watches ns (anyone may, leader or not; the namespace need not exist yet): listener is
  // called on the services' callback executor, one call at a time, never under a lock of the
  // store, first with a relist event, then with the changes as they happen. Changes may be
  // coalesced (a key reported once for several writes): an event says "look again", the
  // values are read with get() / list(). Throws std::invalid_argument for a bad name,
  // std::logic_error when the store cannot watch (this default) or the services are closed.
  // On ZooKeeper: one child watch on the namespace and one data watch per record, re-armed as
  // they fire, so at most one watch per node per session (docs/state.md).
  virtual std::unique_ptr<NamespaceWatch> watchNamespace(std::string_view ns,
                                                         ChangeListener listener);

  // Blocking forms of the writes above; newVersion may be null.
  std::error_code put(const FencingToken& token, std::string_view ns, std::string_view key,
                      std::string_view value,
                      WriteExpectation expectation = WriteExpectation::any(),
                      std::int64_t* newVersion = nullptr);
  std::error_code erase(const FencingToken& token, std::string_view ns, std::string_view key,
                        WriteExpectation expectation = WriteExpectation::any());
  std::error_code eraseNamespace(const FencingToken& token, std::string_view ns);

  // Counters: a counter is a record of the namespace whose value is its decimal ASCII text;
  // one that does not exist counts as 0. Writing one reads the record, then puts the next
  // value under a version expectation (absent for a new one), so the servers apply it only if
  // nobody wrote in between and, in the same atomic operation, only under a current
  // leadership: each write starts from the value the previous one stored, so the acknowledged
  // values of successive adds are strictly increasing, across leaders. On a conflict it reads
  // again, kMaxCounterAttempts attempts at most (then Errc::write_conflict). value receives
  // the stored value (may be null). Results as for put, and:
  //   Errc::outcome_unknown     the last write went unanswered and reading it back did not
  //                             show it (it may still land): getCounter() before adding again
  //   std::errc::invalid_argument  the record exists and does not hold a counter
  //   std::errc::value_too_large   the sum does not fit in 64 bits
  // Blocking: never call from a callback of the services. A read the backend cannot answer
  // before anything was sent is that read's error (nothing written).
  static constexpr int kMaxCounterAttempts = 16;
  // Adds delta (at least 1: std::invalid_argument otherwise, nothing sent).
  std::error_code addToCounter(const FencingToken& token, std::string_view ns,
                               std::string_view name, std::int64_t delta,
                               std::int64_t* value = nullptr);
  // Raises the counter to target; one at or above target keeps its value, which is reported.
  // Even then the unchanged value is written again under the fence, so a deposed leader hears
  // Errc::leadership_lost, never a value.
  std::error_code raiseCounterTo(const FencingToken& token, std::string_view ns,
                                 std::string_view name, std::int64_t target,
                                 std::int64_t* value = nullptr);
  // nullopt when the counter does not exist. Throws std::system_error (as get) when the backend
  // cannot answer, std::errc::invalid_argument when the record is not a counter.
  std::optional<std::int64_t> getCounter(std::string_view ns, std::string_view name);

  // Throws std::invalid_argument naming the problem unless ns, key and value are acceptable
  // (see above); for implementations, before anything is sent.
  static void checkName(std::string_view what, std::string_view name);
  static void checkValue(std::string_view value);
};

}  // namespace baton
