// ZkHandleClient's requests: each builds a completion context, makes its zoo_a* call through
// issue(), and is answered on the executor exactly once (result, error, timeout or close).
#include <bit>
#include <cstdint>

#include "baton/error.hpp"
#include "client/zk_handle_client.hpp"

namespace baton::zookeeper::detail {
namespace {

void* watchKey(std::uint64_t id) noexcept {
  return reinterpret_cast<void*>(static_cast<std::uintptr_t>(id));
}

int createMode(bool ephemeral, bool sequential) noexcept {
  if (ephemeral)
    return sequential ? ZOO_EPHEMERAL_SEQUENTIAL : ZOO_EPHEMERAL;
  return sequential ? ZOO_PERSISTENT_SEQUENTIAL : ZOO_PERSISTENT;
}

int length(const std::string& data) noexcept {
  return static_cast<int>(data.size());
}

// Whether the C client registered the watch of a request that completed with rc (its
// data/exists/child "result checkers"): an exists watch on a missing node is registered too.
bool watchRegistered(WatchKind kind, int rc) noexcept {
  if (kind == WatchKind::exists)
    return rc == ZOK || rc == ZNONODE;
  return rc == ZOK;
}

// Creates every level of a path at once, pipelined: one round trip, not one per level. The
// server applies one session's requests in order and checks a create's parent against the
// changes still in flight (PrepRequestProcessor.getRecordForPath looks at outstandingChanges
// first), so "/a/b" finds the "/a" sent just before it. ZNODEEXISTS counts as done; the first
// other error, in path order, is the answer (a level that failed also fails those below it with
// ZNONODE, which says less).
struct EnsurePathJob : std::enable_shared_from_this<EnsurePathJob> {
  std::weak_ptr<ZkHandleClient> core;
  std::vector<std::string> prefixes;  // "/a", "/a/b", "/a/b/c"
  std::vector<std::error_code> results;
  std::size_t answered = 0;
  ZkClient::VoidHandler done;

  void run() {  // runs inside ensurePath()'s exists completion
    auto c = core.lock();
    if (!c) {
      done(make_error_code(ZCLOSING));
      return;
    }
    results.assign(prefixes.size(), {});
    for (std::size_t i = 0; i < prefixes.size(); ++i) {
      c->createNode(prefixes[i], std::string(), false, false,
                    [self = shared_from_this(), i](std::error_code ec, const std::string&) {
                      self->onCreated(i, ec);
                    });
    }
  }

  void onCreated(std::size_t index, std::error_code ec) {
    if (ec != make_error_code(ZNODEEXISTS))
      results[index] = ec;
    if (++answered < prefixes.size())
      return;
    for (const auto& error : results) {
      if (error)
        return done(error);
    }
    done({});
  }
};

}  // namespace

template <typename Ctx, typename Start>
void ZkHandleClient::issue(const char* operation, std::unique_ptr<Ctx> ctx, Start start) {
  ctx->core = this;
  ctx->operation = operation;
  if (closed_ || !handle_) {
    if (ctx->watchId)
      watches_.erase(ctx->watchId);
    ctx->fail(closed_    ? make_error_code(ZCLOSING)
              : started_ ? make_error_code(ZCONNECTIONLOSS)  // between two sessions: retry
                         : make_error_code(Errc::not_started));
    return;
  }
  ctx->id = nextId_++;
  ctx->generation = tracker_.info().generation;
  ctx->issued = LeaseClock::now();
  int rc = start(handle_.get(), ctx.get());
  // A send that fails inside the call closes the socket without a session event (zookeeper.c
  // nonblocking_send): the handle's own state is the only sign.
  followHandleState();
  if (rc != ZOK) {
    if (ctx->watchId)
      watches_.erase(ctx->watchId);
    // ZINVALIDSTATE: the handle died (expired or auth failed); a new session is on its way.
    if (rc == ZINVALIDSTATE)
      rc = tracker_.authFailures() > 0 ? ZAUTHFAILED : ZSESSIONEXPIRED;
    ctx->fail(make_error_code(rc));
    // The C client may have queued the completion before a marshalling failure: leave the
    // context to it (a completion would find it unknown and free it) rather than risk a
    // use-after-free.
    if (rc == ZMARSHALLINGERROR)
      (void)ctx.release();
    loop_->rearm();
    return;
  }
  OpContext* owned = ctx.release();  // the C client owns it until the completion
  pending_.emplace(owned->id, owned);
  armOpTimer(*owned);
  // Last: the call may have sent, or closed the socket, so wait on the new interest; and
  // zookeeper_interest may complete requests at once (connection failure), this one included,
  // which must find it pending.
  loop_->rearm();
}

void reportRequest(ZkHandleClient& core, const OpContext& ctx, std::error_code ec) {
  core.reportRequest(ctx, ec);
}

void ZkHandleClient::reportRequest(const OpContext& ctx, std::error_code ec) {
  // Failed before it was sent (no handle, closed): no time was spent waiting for the servers.
  const auto latency = ctx.issued == LeaseClock::time_point{} ? LeaseClock::duration::zero()
                                                              : LeaseClock::now() - ctx.issued;
  post([metrics = metrics_, operation = ctx.operation, ec, latency] {
    metrics->onRequest(operation, ec, latency);
  });
}

void ZkHandleClient::armOpTimer(OpContext& ctx) {
  ctx.timer.emplace(executor_);
  ctx.timer->expires_after(settings_.operationTimeout);
  ctx.timer->async_wait([self = weakSelf(), id = ctx.id](const boost::system::error_code& ec) {
    auto core = self.lock();
    if (ec || !core)
      return;
    auto it = core->pending_.find(id);
    if (it == core->pending_.end())
      return;
    OpContext* timedOut = it->second;  // still owned by the C client
    core->pending_.erase(it);
    if (timedOut->watchId)
      core->watches_.erase(timedOut->watchId);
    core->logger_->warn("zookeeper: request {} timed out after {} ms", id,
                        core->settings_.operationTimeout.count());
    timedOut->fail(make_error_code(Errc::timed_out));  // the late completion is swallowed
  });
}

void ZkHandleClient::onCompletion(std::unique_ptr<OpContext> ctx, int rc) {
  if (ctx->generation == tracker_.info().generation) {
    if (serverAnswered(rc)) {
      // Posted like every user-visible call: this runs inside the C client's completion.
      post([metrics = metrics_, at = HaMetrics::Clock::now()] { metrics->onAnswer(at); });
      auto before = proof_.renewedSince();
      proof_.answered(ctx->issued, LeaseClock::now(), ctx->throughLeader);
      if (proof_.renewedSince() != before)
        notifyRenewal();
    } else if (rc == ZCONNECTIONLOSS || rc == ZRUNTIMEINCONSISTENCY) {
      followHandleState();
    }
  }
  if (ctx->watchId && !watchRegistered(ctx->watchKind, rc))
    watches_.erase(ctx->watchId);
  auto it = pending_.find(ctx->id);
  if (it == pending_.end())
    return;  // timed out before: swallowed, ctx freed here
  pending_.erase(it);
  if (ctx->timer)
    ctx->timer->cancel();
  ctx->deliver(rc);
}

std::uint64_t ZkHandleClient::addWatch(ZkClient::WatchHandler watch, const std::string& path,
                                       WatchKind kind) {
  std::uint64_t id = nextId_++;
  watches_.emplace(id, Watch{std::move(watch), path, kind});
  return id;
}

const ACL_vector* ZkHandleClient::createAcl() const noexcept {
  if (settings_.acl == AclMode::creator && settings_.digestCredentials) {
    return &ZOO_CREATOR_ALL_ACL;
  }
  return &ZOO_OPEN_ACL_UNSAFE;
}

namespace {
template <typename Context>
std::unique_ptr<Context> throughLeader(std::unique_ptr<Context> ctx) {
  ctx->throughLeader = true;
  return ctx;
}
}  // namespace

void ZkHandleClient::sync(const std::string& path, ZkClient::VoidHandler handler) {
  auto ctx = throughLeader(std::make_unique<CreateContext>(
      [h = std::move(handler)](std::error_code ec, const std::string&) { h(ec); }));
  issue("sync", std::move(ctx), [&](zhandle_t* zh, CreateContext* c) {
    return zoo_async(zh, path.c_str(), &createCompletion, c);
  });
}

void ZkHandleClient::createNode(const std::string& path, const std::string& data, bool ephemeral,
                                bool sequential, ZkClient::CreateHandler handler) {
  issue("create", throughLeader(std::make_unique<CreateContext>(std::move(handler))),
        [&](zhandle_t* zh, CreateContext* ctx) {
          return zoo_acreate(zh, path.c_str(), data.data(), length(data), createAcl(),
                             createMode(ephemeral, sequential), &createCompletion, ctx);
        });
}

void ZkHandleClient::ensurePath(const std::string& path, ZkClient::VoidHandler handler) {
  auto job = std::make_shared<EnsurePathJob>();
  job->core = weakSelf();
  job->done = std::move(handler);
  for (std::size_t i = path.find('/', 1); i != std::string::npos; i = path.find('/', i + 1)) {
    job->prefixes.push_back(path.substr(0, i));
  }
  if (path.size() > 1)
    job->prefixes.push_back(path);
  if (path.empty() || path.front() != '/') {
    post([done = std::move(job->done)] { done(make_error_code(ZBADARGUMENTS)); });
    return;
  }
  if (job->prefixes.empty()) {  // "/" always exists
    post([done = std::move(job->done)] { done({}); });
    return;
  }
  // Usually the path exists already: one read says so. Creating each level instead costs a
  // write per level (a quorum commit even when it fails with ZNODEEXISTS), and publishing
  // ensures its component's path each time. (The latch skips this: it creates its node first
  // and ensures the path only on ZNONODE.)
  exists(path, nullptr, [job](std::error_code ec, const ZkStat&) {
    if (ec == make_error_code(ZNONODE))
      return job->run();
    job->done(ec);
  });
}

void ZkHandleClient::getData(const std::string& path, ZkClient::WatchHandler watch,
                             ZkClient::DataHandler handler) {
  auto ctx = std::make_unique<DataContext>(std::move(handler));
  if (watch) {
    ctx->watchKind = WatchKind::data;
    ctx->watchId = addWatch(std::move(watch), path, WatchKind::data);
  }
  issue("get_data", std::move(ctx), [&](zhandle_t* zh, DataContext* c) {
    if (!c->watchId)
      return zoo_aget(zh, path.c_str(), 0, &dataCompletion, c);
    return zoo_awget(zh, path.c_str(), &watchTrampoline, watchKey(c->watchId), &dataCompletion, c);
  });
}

void ZkHandleClient::exists(const std::string& path, ZkClient::WatchHandler watch,
                            ZkClient::StatHandler handler) {
  auto ctx = std::make_unique<StatContext>(std::move(handler));
  if (watch) {
    ctx->watchKind = WatchKind::exists;
    ctx->watchId = addWatch(std::move(watch), path, WatchKind::exists);
  }
  issue("exists", std::move(ctx), [&](zhandle_t* zh, StatContext* c) {
    if (!c->watchId)
      return zoo_aexists(zh, path.c_str(), 0, &statCompletion, c);
    return zoo_awexists(zh, path.c_str(), &watchTrampoline, watchKey(c->watchId), &statCompletion,
                        c);
  });
}

void ZkHandleClient::getChildren(const std::string& path, ZkClient::WatchHandler watch,
                                 ZkClient::ChildrenHandler handler) {
  auto ctx = std::make_unique<ChildrenContext>(std::move(handler));
  if (watch) {
    ctx->watchKind = WatchKind::children;
    ctx->watchId = addWatch(std::move(watch), path, WatchKind::children);
  }
  issue("get_children", std::move(ctx), [&](zhandle_t* zh, ChildrenContext* c) {
    if (!c->watchId)
      return zoo_aget_children(zh, path.c_str(), 0, &childrenCompletion, c);
    return zoo_awget_children(zh, path.c_str(), &watchTrampoline, watchKey(c->watchId),
                              &childrenCompletion, c);
  });
}

void ZkHandleClient::statWatchingDeletion(const std::string& path, ZkClient::WatchHandler watch,
                                          ZkClient::StatHandler handler) {
  auto ctx = std::make_unique<StatContext>(std::move(handler));
  if (watch) {
    ctx->watchKind = WatchKind::children;
    ctx->watchId = addWatch(std::move(watch), path, WatchKind::children);
  }
  issue("get_children2", std::move(ctx), [&](zhandle_t* zh, StatContext* c) {
    if (!c->watchId)
      return zoo_aget_children2(zh, path.c_str(), 0, &childrenStatCompletion, c);
    return zoo_awget_children2(zh, path.c_str(), &watchTrampoline, watchKey(c->watchId),
                               &childrenStatCompletion, c);
  });
}

void ZkHandleClient::setData(const std::string& path, const std::string& data, std::int32_t version,
                             ZkClient::StatHandler handler) {
  issue("set_data", throughLeader(std::make_unique<StatContext>(std::move(handler))),
        [&](zhandle_t* zh, StatContext* c) {
          return zoo_aset(zh, path.c_str(), data.data(), length(data), version, &statCompletion, c);
        });
}

void ZkHandleClient::removeNode(const std::string& path, std::int32_t version,
                                ZkClient::VoidHandler handler) {
  issue("delete", throughLeader(std::make_unique<VoidContext>(std::move(handler))),
        [&](zhandle_t* zh, VoidContext* c) {
          return zoo_adelete(zh, path.c_str(), version, &voidCompletion, c);
        });
}

void ZkHandleClient::multi(std::vector<ZkOp> ops, ZkClient::MultiHandler handler) {
  if (ops.empty()) {
    post([h = std::move(handler)] { h({}, {}); });
    return;
  }
  auto ctx = throughLeader(std::make_unique<MultiContext>(std::move(handler)));
  // Reserved so that the pointers handed to the C client never move.
  ctx->ops.reserve(ops.size());
  ctx->cOps.reserve(ops.size());
  ctx->cResults.reserve(ops.size());
  ctx->pathBuffers.reserve(ops.size());
  ctx->stats.reserve(ops.size());
  for (const ZkOp& op : ops)
    ctx->prepare(op, createAcl());
  issue("multi", std::move(ctx), [](zhandle_t* zh, MultiContext* c) {
    return zoo_amulti(zh, static_cast<int>(c->cOps.size()), c->cOps.data(), c->cResults.data(),
                      &multiCompletion, c);
  });
}

void ZkHandleClient::removeWatches(const std::string& path, ZkClient::VoidHandler handler) {
  // Removed watches are dropped by the C client without being called; drop ours too.
  for (auto it = watches_.begin(); it != watches_.end();)
    it = it->second.path == path ? watches_.erase(it) : std::next(it);
  if (removeWatchesUnsupported_) {
    // The server does not know the request (see below): forget the watch on this side only.
    // The server keeps it until it fires once, into nothing.
    removeWatchesLocally(path);
    post([h = std::move(handler)] {
      if (h)
        h({});
    });
    return;
  }
  // "No watches" is success: the caller wants none, and none there are.
  auto done = [self = weakSelf(), path, h = std::move(handler)](std::error_code ec) {
    if (ec == make_error_code(ZNOWATCHER))
      ec = {};
    // ZooKeeper 3.4 (and ClickHouse Keeper before it implemented watch removal) answers an
    // opcode it does not know with ZUNIMPLEMENTED and closes the connection
    // (UnimplementedRequestProcessor): never send it again on this client, so that every
    // close does not cost a reconnect; the watch is forgotten locally instead.
    if (ec == make_error_code(ZUNIMPLEMENTED)) {
      if (auto core = self.lock())
        core->onRemoveWatchesUnsupported(path);
      ec = {};
    }
    if (h)
      h(ec);
  };
  issue("remove_watches", std::make_unique<VoidContext>(std::move(done)),
        [&](zhandle_t* zh, VoidContext* c) {
          // zookeeper.h declares the completion as void_completion_t* but the C client stores and
          // calls that pointer as the completion function itself: pass the function, bit-cast.
          return zoo_aremove_watches(zh, path.c_str(), ZWATCHTYPE_ANY, nullptr, nullptr, 0,
                                     std::bit_cast<void_completion_t*>(&voidCompletion), c);
        });
}

void ZkHandleClient::onRemoveWatchesUnsupported(const std::string& path) {
  if (!removeWatchesUnsupported_) {
    logger_->warn(
        "zookeeper: the server answered a watch removal (checkWatches, opcode 17) with "
        "ZUNIMPLEMENTED and dropped the connection: an older server (ZooKeeper 3.4, or "
        "ClickHouse Keeper without watch removal). This client no longer sends it; removed "
        "watches are forgotten locally and may fire once into nothing (docs/zookeeper.md)");
  }
  removeWatchesUnsupported_ = true;
  removeWatchesLocally(path);  // a failed removal leaves the C client's watcher in place
}

void ZkHandleClient::removeWatchesLocally(const std::string& path) {
  if (!handle_)
    return;  // a new handle starts without watches
  // local=1: the C client drops its watchers for path at once and sends nothing; it calls no
  // completion (zookeeper.c aremove_watches). ZNOWATCHER: none were left.
  (void)zoo_aremove_watches(handle_.get(), path.c_str(), ZWATCHTYPE_ANY, nullptr, nullptr, 1,
                            nullptr, nullptr);
}

}  // namespace baton::zookeeper::detail
