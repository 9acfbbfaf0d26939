#pragma once

#include <zookeeper/zookeeper.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include <boost/asio/steady_timer.hpp>

#include "baton/zookeeper/zk_error.hpp"
#include "client/lease/lease_clock.hpp"
#include "client/zk_client.hpp"

namespace baton::zookeeper::detail {

class ZkHandleClient;

enum class WatchKind { none, data, exists, children };

// One request in flight. Owned by a unique_ptr until its zoo_a* call returned ZOK, then by the
// C client, which hands it back to exactly one C completion (on close too, with ZCLOSING); the
// completion takes it back into a unique_ptr and gives it to the core.
struct OpContext {
  OpContext() = default;
  OpContext(const OpContext&) = delete;
  OpContext& operator=(const OpContext&) = delete;
  virtual ~OpContext() = default;

  // Posts the user's handler with rc and the results the completion copied. Called once.
  virtual void deliver(int rc) = 0;
  // Posts the user's handler with ec and empty results. Called once (instead of deliver).
  virtual void fail(std::error_code ec) = 0;

  ZkHandleClient* core = nullptr;  // valid while C owns the context: completions run inside the
                                   // core's own C calls (process, interest, close)
  std::uint64_t id = 0;
  std::uint64_t generation = 0;
  const char* operation = "";  // HaMetrics::onRequest's name for it (a string literal)
  std::uint64_t watchId = 0;   // 0: no watch
  WatchKind watchKind = WatchKind::none;
  LeaseClock::time_point issued;  // taken before the zoo_a* call: for RenewalProof
  // Writes and syncs: the ZooKeeper leader processed them (RenewalProof's j and k).
  bool throughLeader = false;
  std::optional<boost::asio::steady_timer> timer;  // operationTimeout
};

void postToClient(ZkHandleClient& core, std::function<void()> fn);
// Reports ctx's outcome and latency to the client's HaMetrics (posted, like the handler).
void reportRequest(ZkHandleClient& core, const OpContext& ctx, std::error_code ec);

// A context whose handler takes (std::error_code, Results...).
template <typename Handler, typename... Results>
struct TypedContext : OpContext {
  explicit TypedContext(Handler h) : handler(std::move(h)) {}
  void deliver(int rc) override { post(make_error_code(rc), std::move(results)); }
  void fail(std::error_code ec) override { post(ec, std::tuple<Results...>{}); }

  Handler handler;
  std::tuple<Results...> results;

 private:
  // The one way out of every request (deliver and fail): each is reported here, once.
  void post(std::error_code ec, std::tuple<Results...> values) {
    reportRequest(*core, *this, ec);
    postToClient(*core, [h = std::move(handler), ec, values = std::move(values)]() mutable {
      if (h)
        std::apply(h, std::tuple_cat(std::make_tuple(ec), std::move(values)));
    });
  }
};

using VoidContext = TypedContext<ZkClient::VoidHandler>;
using CreateContext = TypedContext<ZkClient::CreateHandler, std::string>;
using DataContext = TypedContext<ZkClient::DataHandler, std::string, ZkStat>;
using StatContext = TypedContext<ZkClient::StatHandler, ZkStat>;
using ChildrenContext = TypedContext<ZkClient::ChildrenHandler, std::vector<std::string>>;

// zoo_amulti writes created paths and set-data stats into buffers given with the ops, and the
// per-op results into an array, at completion: all of them live here until then.
struct MultiContext : TypedContext<ZkClient::MultiHandler, std::vector<ZkOpResult>> {
  using TypedContext::TypedContext;
  void prepare(const ZkOp& op, const ACL_vector* acl);  // appends one op's buffers
  void collect(int rc);                                 // fills results from the buffers

  std::vector<ZkOp> ops;
  std::vector<zoo_op_t> cOps;
  std::vector<zoo_op_result_t> cResults;
  std::vector<std::vector<char>> pathBuffers;  // one per op; used by creates
  std::vector<Stat> stats;                     // one per op; used by setData
};

// Whether a completion's rc is the server's answer (so the request reached the server and the
// session was alive when it was sent), not one the C client made up locally.
bool serverAnswered(int rc) noexcept;

ZkStat toZkStat(const Stat& stat) noexcept;

// The C completions: each copies its arguments into the context and hands it to the core.
void voidCompletion(int rc, const void* data);
void multiCompletion(int rc, const void* data);
void createCompletion(int rc, const char* value, const void* data);
void dataCompletion(int rc, const char* value, int length, const Stat* stat, const void* data);
void statCompletion(int rc, const Stat* stat, const void* data);
void childrenCompletion(int rc, const String_vector* strings, const void* data);
// getChildren2 answered for its stat alone (statWatchingDeletion): the children are dropped.
void childrenStatCompletion(int rc, const String_vector* strings, const Stat* stat,
                            const void* data);

// Watches: the watcher context is only a key (the watch id) into the core's registry, reached
// through zoo_get_context(zh); so a late or unknown event never touches freed memory.
void watchTrampoline(zhandle_t* zh, int type, int state, const char* path, void* ctx);
// The global (session) watcher; ctx is the handle's HandleContext.
void sessionTrampoline(zhandle_t* zh, int type, int state, const char* path, void* ctx);

}  // namespace baton::zookeeper::detail
