#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include <spdlog/logger.h>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "baton/ha_metrics.hpp"
#include "client/lease/keepalive_plan.hpp"
#include "client/lease/renewal_proof.hpp"
#include "client/zk_client.hpp"
#include "client/zk_completions.hpp"
#include "client/zk_event_loop.hpp"
#include "client/zk_handle.hpp"
#include "client/zk_log_bridge.hpp"
#include "client/zk_session_tracker.hpp"

namespace baton::zookeeper::detail {

// What the C client hands back to the global watcher and, via zoo_get_context, to watches:
// which core and which generation (handle) an event belongs to. Freed after zookeeper_close.
struct HandleContext {
  ZkHandleClient* core;
  std::uint64_t generation;
};

// The ZkClient over the C client (ZkClient::create makes one). Owned by its caller alone
// (unique_ptr): asynchronous handlers hold weakSelf(), which finds the client gone once it is
// destroyed.
//
// Threads: everything runs on the executor. The C client calls back only from inside the C
// calls this class makes (zookeeper_process, zookeeper_interest, zoo_a*, zookeeper_close);
// those callbacks only record and post. Every user-visible callback (completion handlers,
// watches, the state listener) is posted, so none ever runs inside a C call or inside a
// ZkClient method, and a handler may call close() or destroy the client.
class ZkHandleClient final : public ZkClient {
 public:
  // metrics hears every request's result and latency and every answer (none when empty).
  ZkHandleClient(boost::asio::any_io_executor executor, ZkSettings settings,
                 std::shared_ptr<spdlog::logger> logger,
                 std::shared_ptr<HaMetrics> metrics = nullptr);
  ~ZkHandleClient() override;

  // --- ZkClient (see zk_client.hpp) -------------------------------------------------------
  void setStateListener(StateListener listener) override { listener_ = std::move(listener); }
  void start() override;
  void close() noexcept override;
  bool isConnected() const noexcept override { return tracker_.phase() == SessionPhase::connected; }
  ZkSessionInfo session() const override { return tracker_.info(); }
  std::optional<LeaseClock::time_point> renewedSince() const noexcept override {
    return proof_.renewedSince();
  }
  void setRenewalListener(std::function<void()> listener) override {
    renewalListener_ = std::move(listener);
  }
  void setKeepalive(KeepaliveMode mode) override;
  std::string sessionPassword() const override;

  void createNode(const std::string& path, const std::string& data, bool ephemeral, bool sequential,
                  CreateHandler handler) override;
  void ensurePath(const std::string& path, VoidHandler handler) override;
  void getData(const std::string& path, WatchHandler watch, DataHandler handler) override;
  void exists(const std::string& path, WatchHandler watch, StatHandler handler) override;
  void getChildren(const std::string& path, WatchHandler watch, ChildrenHandler handler) override;
  void statWatchingDeletion(const std::string& path, WatchHandler watch,
                            StatHandler handler) override;
  void setData(const std::string& path, const std::string& data, std::int32_t version,
               StatHandler handler) override;
  void removeNode(const std::string& path, std::int32_t version, VoidHandler handler) override;
  void multi(std::vector<ZkOp> ops, MultiHandler handler) override;
  void removeWatches(const std::string& path, VoidHandler handler) override;
  std::size_t watchCount() const noexcept override { return watches_.size(); }

  // zoo_async: answered only after the server caught up with the ZooKeeper leader.
  void sync(const std::string& path, VoidHandler handler);

  // --- from the C callbacks (zk_completions.cpp) ------------------------------------------
  void onCompletion(std::unique_ptr<OpContext> ctx, int rc);
  void onSessionEvent(std::uint64_t generation, zhandle_t* zh, int state);
  void onWatchEvent(std::uint64_t generation, std::uint64_t watchId, int type,
                    const std::string& path);
  void post(std::function<void()> fn);
  void reportRequest(const OpContext& ctx, std::error_code ec);

 private:
  struct Watch {
    ZkClient::WatchHandler handler;
    std::string path;
    WatchKind kind;
  };
  // Starts a request: start(zh, ctx) makes the zoo_a* call and returns its rc.
  // operation: the request's name for HaMetrics::onRequest (a string literal).
  template <typename Ctx, typename Start>
  void issue(const char* operation, std::unique_ptr<Ctx> ctx, Start start);
  std::uint64_t addWatch(ZkClient::WatchHandler watch, const std::string& path, WatchKind kind);
  void armOpTimer(OpContext& ctx);
  const ACL_vector* createAcl() const noexcept;
  // Watch removal on servers that do not implement it (zk_client_ops.cpp).
  void onRemoveWatchesUnsupported(const std::string& path);
  void removeWatchesLocally(const std::string& path);

  // Session and handle management (zk_handle_client.cpp).
  void apply(const SessionActions& actions);
  void step(SessionEvent event);
  void openHandle();
  void closeHandle() noexcept;
  void scheduleOpen(std::chrono::milliseconds delay);
  void process(int events);
  void report(ConnectionState state);
  void keepalive();
  void logConnected();
  // Turns what the handle says of its connection into session events: the C client can drop
  // a connection (and come back) without any event (docs/reliability.md).
  void followHandleState();
  void notifyRenewal();
  // A weak reference for asynchronous handlers: it locks while this client lives. Locking does
  // not keep the client alive (its owner holds it alone), so a handler that calls a user
  // callback (which may destroy the client) touches nothing of it after that call.
  std::weak_ptr<ZkHandleClient> weakSelf() const {
    return std::shared_ptr<ZkHandleClient>(lifetime_, const_cast<ZkHandleClient*>(this));
  }

  boost::asio::any_io_executor executor_;
  ZkSettings settings_;
  std::shared_ptr<spdlog::logger> logger_;
  std::shared_ptr<HaMetrics> metrics_;  // never null
  ZkClient::StateListener listener_;
  SessionTracker tracker_;
  std::shared_ptr<ZkEventLoop> loop_;
  std::unique_ptr<HandleContext> handleContext_;
  ZkLogBridge logBridge_;  // outlives handle_: zookeeper_close logs through it
  ZkHandle handle_;        // closed before handleContext_ is freed (closeHandle)
  std::unordered_map<std::uint64_t, OpContext*> pending_;  // owned by C; removed on completion
  std::unordered_map<std::uint64_t, Watch> watches_;       // of the current handle
  std::uint64_t nextId_ = 1;
  boost::asio::steady_timer openTimer_;
  boost::asio::steady_timer connectTimer_;
  boost::asio::steady_timer expiryTimer_;
  boost::asio::steady_timer keepaliveTimer_;
  RenewalProof proof_;
  std::function<void()> renewalListener_;
  LeaseClock::time_point handleOpened_{};
  KeepaliveMode keepaliveMode_ = KeepaliveMode::none;
  std::optional<LeaseClock::time_point> lastKeepaliveSend_;
  bool keepaliveSyncOutstanding_ = false;
  bool started_ = false;
  bool closed_ = false;
  // The servers answered a watch removal with ZUNIMPLEMENTED: never send one again.
  bool removeWatchesUnsupported_ = false;
  std::shared_ptr<void> lifetime_ = std::make_shared<char>(0);  // see weakSelf()
};

}  // namespace baton::zookeeper::detail
