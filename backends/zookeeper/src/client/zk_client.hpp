#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include <spdlog/logger.h>
#include <boost/asio/any_io_executor.hpp>

#include "baton/connection_state.hpp"
#include "baton/ha_metrics.hpp"
#include "client/lease/lease_clock.hpp"
#include "client/zk_settings.hpp"

namespace baton::zookeeper {

// The parts of a znode's Stat that baton uses.
struct ZkStat {
  std::int64_t czxid = 0;  // creation zxid: the fencing epoch of a latch node
  std::int64_t mzxid = 0;
  std::int32_t version = 0;  // data version
  std::int32_t cversion = 0;
  std::int64_t ephemeralOwner = 0;  // session id of the owner, 0 for persistent nodes
  std::int32_t numChildren = 0;
};

enum class WatchEventType { created, deleted, dataChanged, childrenChanged, notWatching };

// A fired one-shot watch. Session-level events are not watches: they arrive on the state
// stream (setStateListener).
struct WatchEvent {
  WatchEventType type;
  std::string path;
};

// One operation of a multi-op transaction.
struct ZkOp {
  enum class Kind { create, remove, setData, check };
  Kind kind;
  std::string path;
  std::string data;           // create, setData
  std::int32_t version = -1;  // remove, setData, check; -1: any
  bool ephemeral = false;     // create
  bool sequential = false;    // create

  static ZkOp create(std::string path, std::string data, bool ephemeral = false,
                     bool sequential = false);
  static ZkOp remove(std::string path, std::int32_t version = -1);
  static ZkOp setData(std::string path, std::string data, std::int32_t version = -1);
  static ZkOp check(std::string path, std::int32_t version = -1);
};

struct ZkOpResult {
  std::error_code error;
  std::string createdPath;  // create
  ZkStat stat;              // setData
};

// What the client knows about its current session.
struct ZkSessionInfo {
  std::int64_t sessionId = 0;
  std::uint64_t generation = 0;  // grows by one with every new ZooKeeper handle (session)
  std::chrono::milliseconds negotiatedTimeout{0};
  // With state lost: why the session is gone: ZSESSIONEXPIRED (the server said so),
  // baton::Errc::session_expired (the local deadline passed while suspended),
  // baton::Errc::timed_out (no connection within connectionTimeout), ZAUTHFAILED, or a system
  // error from building the handle. Empty with the other states.
  std::error_code error;
  // With state lost: the client gave up (authentication failed retry.maxAttempts times); only
  // close() is left. Otherwise a new session is being built.
  bool terminal = false;
};

// What the client sends to keep its session's renewal provable (docs/reliability.md):
//   none      only the C client's own pings
//   follower  a sync every T/4 instead of them (the participant next in line)
//   leader    a sync every min(tickTime/2, T/6) (a participant holding or taking a latch)
enum class KeepaliveMode { none, follower, leader };

// An asynchronous ZooKeeper client over the single-threaded C client (libzookeeper_st),
// driven by Boost.Asio: the handle's socket is waited on with the executor's reactor and
// zookeeper_process runs on the executor, so no foreign thread exists and every completion
// and watch runs on the client's executor.
//
// Sessions: the client builds a session at start(); an expired session (reported by the
// server, or deemed expired by the local deadline: monotonic clock, last contact plus the
// negotiated timeout) is closed and replaced by a new one with a new generation, never
// "restored". State changes go to the state listener in order:
//   connected (new session) | suspended | reconnected (same session) | lost (session gone).
//
// Completions: every handler is called exactly once, on the executor, including on close()
// (then with ZooKeeper's ZCLOSING / connection loss codes). Handlers of operations issued in an
// older generation are still called: callers compare the generation they captured.
// Watches: one-shot, called at most once, on the executor; those of a closed handle never.
//
// Thread-safety: NOT thread-safe. Construct, call and destroy it only on its executor (a
// strand or a single-threaded io_context); it never blocks. close() is idempotent.
class ZkClient {
 public:
  using StateListener = std::function<void(ConnectionState, const ZkSessionInfo&)>;
  using VoidHandler = std::function<void(std::error_code)>;
  using CreateHandler = std::function<void(std::error_code, const std::string& createdPath)>;
  using DataHandler = std::function<void(std::error_code, const std::string& data, const ZkStat&)>;
  using StatHandler = std::function<void(std::error_code, const ZkStat&)>;
  using ChildrenHandler =
      std::function<void(std::error_code, const std::vector<std::string>& children)>;
  using MultiHandler = std::function<void(std::error_code, const std::vector<ZkOpResult>&)>;
  using WatchHandler = std::function<void(const WatchEvent&)>;

  // metrics hears every request (operation, result, latency) and every answer; none when
  // empty.
  static std::unique_ptr<ZkClient> create(boost::asio::any_io_executor executor,
                                          ZkSettings settings,
                                          std::shared_ptr<spdlog::logger> logger = nullptr,
                                          std::shared_ptr<HaMetrics> metrics = nullptr);
  virtual ~ZkClient() = default;

  virtual void setStateListener(StateListener listener) = 0;
  // Starts connecting. Throws baton::ConfigurationError (naming the key) for invalid settings,
  // e.g. a malformed quorum, and std::logic_error after close().
  virtual void start() = 0;
  // Closes the session (the server deletes its ephemeral nodes at once). Idempotent.
  virtual void close() noexcept = 0;

  virtual bool isConnected() const = 0;
  virtual ZkSessionInfo session() const = 0;
  // Lease support: the ZooKeeper leader renewed the current session at or after this time, as
  // this client can prove from its answered requests (docs/reliability.md); so the servers
  // cannot expire the session before it plus the negotiated timeout. Empty while nothing is
  // proven in this session.
  virtual std::optional<LeaseClock::time_point> renewedSince() const = 0;
  // Called (posted, on the executor) whenever renewedSince() advances. One listener.
  virtual void setRenewalListener(std::function<void()> listener) = 0;
  // What the keepalive sends (KeepaliveMode); none until set.
  virtual void setKeepalive(KeepaliveMode mode) = 0;
  // The current session's 16-byte password (empty without a session). For tools and tests that
  // must act on the session from a second handle (e.g. to make the server expire it); never log
  // it. Non-pure so that test doubles need not implement it.
  virtual std::string sessionPassword() const { return {}; }

  // Paths are absolute and include the configured chroot-free root; data is raw bytes.
  virtual void createNode(const std::string& path, const std::string& data, bool ephemeral,
                          bool sequential, CreateHandler handler) = 0;
  // Creates every missing persistent ancestor and the node itself; ZNODEEXISTS counts as done.
  // One read when the path exists; otherwise one more round trip creating every level at once.
  virtual void ensurePath(const std::string& path, VoidHandler handler) = 0;
  virtual void getData(const std::string& path, WatchHandler watch, DataHandler handler) = 0;
  virtual void exists(const std::string& path, WatchHandler watch, StatHandler handler) = 0;
  virtual void getChildren(const std::string& path, WatchHandler watch,
                           ChildrenHandler handler) = 0;
  // The node's stat, and a watch that fires when the node is deleted but not when its data
  // changes: getChildren2 with a child watch (ZooKeeper 3.8 fires a path's child watches when
  // it is deleted, DataTree.deleteNode, and only its data watches on a setData,
  // DataTree.setData). For nodes without children, such as latch nodes (ephemeral).
  virtual void statWatchingDeletion(const std::string& path, WatchHandler watch,
                                    StatHandler handler) = 0;
  virtual void setData(const std::string& path, const std::string& data, std::int32_t version,
                       StatHandler handler) = 0;
  virtual void removeNode(const std::string& path, std::int32_t version, VoidHandler handler) = 0;
  virtual void multi(std::vector<ZkOp> ops, MultiHandler handler) = 0;
  // Removes every watch (data, exists, child) this handle set on path (zoo_aremove_watches);
  // no-op if none.
  virtual void removeWatches(const std::string& path, VoidHandler handler) = 0;
  // The number of watch handlers registered for the current handle: set and not yet fired,
  // removed or failed. Each watching request adds one, so a reader that re-reads with a new
  // watch while its old one stands makes this grow; for metrics and tests.
  virtual std::size_t watchCount() const = 0;
};

}  // namespace baton::zookeeper
