#include "ha/zk_state_store.hpp"

#include <algorithm>

#include <zookeeper/zookeeper.h>

#include "baton/error.hpp"
#include "baton/support/store_write_result.hpp"
#include "baton/zookeeper/zk_error.hpp"
#include "ha/zk_namespace_watch.hpp"
#include "ha/zookeeper_ha_services.hpp"

namespace baton::zookeeper {
namespace {

// eraseNamespace lists the records, then removes them and the namespace in one multi; a
// record added or removed in between fails it (NOTEMPTY, NONODE) and it lists again, this
// many times at most, then reports a conflict.
constexpr int kMaxEraseNamespaceAttempts = 5;

bool is(std::error_code ec, int zkRc) {
  return ec == make_error_code(zkRc);
}

std::system_error readError(std::error_code ec, std::string_view what, std::string_view ns) {
  return std::system_error(
      ec, "state store: reading " + std::string(what) + " of namespace '" + std::string(ns) + "'");
}

}  // namespace

ZkStateStore::ZkStateStore(ZooKeeperHaServices& services) : services_(services) {}

state::RecordPaths ZkStateStore::pathsOf(std::string_view ns, std::string_view key) const {
  state::RecordPaths paths;
  paths.stateRoot = services_.paths().cluster() + "/state";
  paths.ns = paths.stateRoot + "/" + std::string(ns);
  if (!key.empty())
    paths.record = paths.ns + "/" + std::string(key);
  return paths;
}

// The one way out of every write: each is reported here, once, on the callback executor.
void ZkStateStore::finish(const WriteHandler& handler, std::error_code ec, std::int64_t version) {
  services_.deliver([metrics = services_.metrics(), handler, ec, version] {
    metrics->onStoreWrite(support::storeWriteResultOf(ec));
    handler(ec, version);
  });
}

bool ZkStateStore::admit(const FencingToken& token, const WriteHandler& handler) {
  // The election's view first: a revoked session id is stale even while its latch node lives
  // (the latch fence is checked again on the I/O thread, and by the servers).
  if (services_.tokenIsCurrent(token))
    return true;
  finish(handler, make_error_code(Errc::leadership_lost), 0);
  return false;
}

void ZkStateStore::asyncPut(const FencingToken& token, std::string_view ns, std::string_view key,
                            std::string_view value, WriteExpectation expectation,
                            WriteHandler handler) {
  checkName("namespace", ns);
  checkName("key", key);
  checkValue(value);
  auto step = state::firstPutStep(expectation);
  if (!admit(token, handler))
    return;
  putAttempt(token, pathsOf(ns, key), std::string(value), expectation, step, 1, std::move(handler));
}

void ZkStateStore::putAttempt(FencingToken token, state::RecordPaths paths, std::string value,
                              WriteExpectation expectation, state::PutStep step, int attempt,
                              WriteHandler handler) {
  auto ops = state::putOps(step, paths, value, expectation.expectedVersion());
  services_.fencedWriteOnIo(token, std::move(ops),
                            [this, token, paths, value, expectation, step, attempt, handler](
                                std::error_code ec, const std::vector<ZkOpResult>& results) {
                              auto verdict = state::judgePut(step, expectation, ec, results);
                              if (!verdict.retry)
                                return finish(handler, verdict.error, verdict.newVersion);
                              if (attempt >= state::kMaxPutAttempts)
                                return finish(handler, make_error_code(Errc::write_conflict), 0);
                              putAttempt(token, paths, value, expectation, *verdict.retry,
                                         attempt + 1, handler);
                            });
}

void ZkStateStore::asyncErase(const FencingToken& token, std::string_view ns, std::string_view key,
                              WriteExpectation expectation, WriteHandler handler) {
  checkName("namespace", ns);
  checkName("key", key);
  auto ops = state::eraseOps(pathsOf(ns, key), expectation);
  if (!admit(token, handler))
    return;
  services_.fencedWriteOnIo(
      token, std::move(ops),
      [this, expectation, handler](std::error_code ec, const std::vector<ZkOpResult>& results) {
        finish(handler, state::judgeErase(expectation, ec, results), 0);
      });
}

void ZkStateStore::asyncEraseNamespace(const FencingToken& token, std::string_view ns,
                                       WriteHandler handler) {
  checkName("namespace", ns);
  if (!admit(token, handler))
    return;
  eraseNamespaceAttempt(token, pathsOf(ns, "").ns, 1, std::move(handler));
}

void ZkStateStore::eraseNamespaceAttempt(FencingToken token, std::string nsPath, int attempt,
                                         WriteHandler handler) {
  services_.syncedOnIo([this, token, nsPath, attempt, handler](std::error_code barrier,
                                                               ZkClient& client) {
    if (barrier)
      return finish(handler, barrier, 0);  // nothing sent yet
    client.getChildren(nsPath, nullptr,
                       [this, token, nsPath, attempt, handler](
                           std::error_code ec, const std::vector<std::string>& children) {
                         std::vector<ZkOp> ops;
                         if (ec && !is(ec, ZNONODE))
                           return finish(handler, ec, 0);
                         if (!ec) {
                           for (const auto& child : children)
                             ops.push_back(ZkOp::remove(nsPath + "/" + child));
                           ops.push_back(ZkOp::remove(nsPath));
                         }
                         // A missing namespace is erased already; the fence is still checked, so a
                         // deposed leader hears leadership_lost rather than success.
                         services_.fencedWriteOnIo(
                             token, std::move(ops),
                             [this, token, nsPath, attempt, handler](
                                 std::error_code e, const std::vector<ZkOpResult>& results) {
                               auto failed = state::failedOp(results);
                               bool raced = failed && (is(results[*failed].error, ZNONODE) ||
                                                       is(results[*failed].error, ZNOTEMPTY));
                               if (!raced)
                                 return finish(handler, e, 0);
                               if (attempt >= kMaxEraseNamespaceAttempts)
                                 return finish(handler, make_error_code(Errc::write_conflict), 0);
                               eraseNamespaceAttempt(token, nsPath, attempt + 1, handler);
                             });
                       });
  });
}

std::optional<StoredRecord> ZkStateStore::get(std::string_view ns, std::string_view key) {
  checkName("namespace", ns);
  checkName("key", key);
  auto path = pathsOf(ns, key).record;
  using Result = std::optional<StoredRecord>;
  return services_.readSynced<Result>(
      [path, ns = std::string(ns), key = std::string(key)](
          std::error_code barrier, ZkClient& client, std::shared_ptr<std::promise<Result>> done) {
        if (barrier)
          throw readError(barrier, "key '" + key + "'", ns);
        client.getData(
            path, nullptr,
            [done, ns, key](std::error_code ec, const std::string& data, const ZkStat& stat) {
              if (is(ec, ZNONODE))
                return done->set_value(std::nullopt);
              if (ec) {
                return done->set_exception(
                    std::make_exception_ptr(readError(ec, "key '" + key + "'", ns)));
              }
              done->set_value(StoredRecord{key, data, stat.version});
            });
      });
}

namespace {

// One list in flight: the records read so far.
struct Listing {
  std::string ns;
  std::vector<StoredRecord> records;
  std::size_t pending = 0;
  std::error_code error;
  std::shared_ptr<std::promise<std::vector<StoredRecord>>> done;

  void finishOne() {
    if (--pending > 0)
      return;
    if (error)
      return done->set_exception(std::make_exception_ptr(readError(error, "the records", ns)));
    std::sort(records.begin(), records.end(),
              [](const StoredRecord& a, const StoredRecord& b) { return a.key < b.key; });
    done->set_value(std::move(records));
  }
};

}  // namespace

std::vector<StoredRecord> ZkStateStore::list(std::string_view ns) {
  checkName("namespace", ns);
  auto nsPath = pathsOf(ns, "").ns;
  using Result = std::vector<StoredRecord>;
  return services_.readSynced<Result>([nsPath, ns = std::string(ns)](
                                          std::error_code barrier, ZkClient& client,
                                          std::shared_ptr<std::promise<Result>> done) {
    if (barrier)
      throw readError(barrier, "the records", ns);
    client.getChildren(
        nsPath, nullptr,
        [&client, nsPath, ns, done](std::error_code ec, const std::vector<std::string>& children) {
          if (is(ec, ZNONODE))
            return done->set_value({});
          if (ec)
            return done->set_exception(std::make_exception_ptr(readError(ec, "the records", ns)));
          auto job = std::make_shared<Listing>();
          job->ns = ns;
          job->done = done;
          job->pending = 1;  // released below, after every read was issued
          for (const auto& child : children) {
            ++job->pending;
            client.getData(
                nsPath + "/" + child, nullptr,
                [job, child](std::error_code e, const std::string& data, const ZkStat& stat) {
                  // A record erased since the listing is simply not there any more.
                  if (!e)
                    job->records.push_back(StoredRecord{child, data, stat.version});
                  else if (!is(e, ZNONODE) && !job->error)
                    job->error = e;
                  job->finishOne();
                });
          }
          job->finishOne();
        });
  });
}

namespace {

// Ends its watcher: the gate first (no listener call after the destructor returned), then the
// watcher on the I/O thread.
class ZkNamespaceWatchHandle final : public NamespaceWatch {
 public:
  ZkNamespaceWatchHandle(ZooKeeperHaServices& services, std::shared_ptr<support::ListenerGate> gate,
                         std::shared_ptr<std::shared_ptr<ZkNamespaceWatcher>> watcher)
      : services_(services), gate_(std::move(gate)), watcher_(std::move(watcher)) {}
  ~ZkNamespaceWatchHandle() override {
    gate_->close();
    try {
      services_.onIoWithConnection([watcher = watcher_](const std::shared_ptr<ZkConnection>&) {
        if (*watcher)
          (*watcher)->stop();
        watcher->reset();
      });
    } catch (const std::logic_error&) {
      // The services are closed: their I/O thread is gone, and the watcher with it.
    }
  }

 private:
  ZooKeeperHaServices& services_;
  std::shared_ptr<support::ListenerGate> gate_;
  std::shared_ptr<std::shared_ptr<ZkNamespaceWatcher>> watcher_;  // set on the I/O thread
};

}  // namespace

std::unique_ptr<NamespaceWatch> ZkStateStore::watchNamespace(std::string_view ns,
                                                             ChangeListener listener) {
  checkName("namespace", ns);
  if (!listener)
    throw std::invalid_argument("state store: watching namespace '" + std::string(ns) +
                                "' with an empty listener");
  auto gate = std::make_shared<support::ListenerGate>();
  auto slot = std::make_shared<std::shared_ptr<ZkNamespaceWatcher>>();
  services_.onIoWithConnection(
      [this, slot, gate, ns = std::string(ns), nsPath = pathsOf(ns, "").ns,
       listener = std::move(listener)](const std::shared_ptr<ZkConnection>& connection) {
        if (gate->isClosed())
          return;  // the handle is gone already
        *slot = std::make_shared<ZkNamespaceWatcher>(
            connection, ns, nsPath, listener, gate,
            [this](std::function<void()> fn) { services_.deliver(std::move(fn)); });
        (*slot)->start();
      });
  return std::make_unique<ZkNamespaceWatchHandle>(services_, gate, slot);
}

}  // namespace baton::zookeeper
