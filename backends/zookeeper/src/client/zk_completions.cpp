#include "client/zk_completions.hpp"

#include <cstdint>

#include "client/zk_handle_client.hpp"

namespace baton::zookeeper::detail {
namespace {

// Takes a context back from the C client: from here on RAII owns it again.
template <typename Ctx>
std::unique_ptr<Ctx> takeBack(const void* data) {
  return std::unique_ptr<Ctx>(static_cast<Ctx*>(const_cast<void*>(data)));
}

// Room for the created path: the requested path plus a 10-digit sequence suffix and a NUL.
constexpr std::size_t kSequenceSuffix = 16;

}  // namespace

bool serverAnswered(int rc) noexcept {
  // An allow-list: the codes a server sends back for a request it processed. Everything else
  // may come from the C client itself: connection loss, timeouts, closing, and
  // ZRUNTIMEINCONSISTENCY, which it makes up for requests it could not match to a reply after
  // a silent reconnect.
  switch (rc) {
    case ZOK:
    case ZNONODE:
    case ZNODEEXISTS:
    case ZBADVERSION:
    case ZNOTEMPTY:
    case ZNOCHILDRENFOREPHEMERALS:
    case ZNOAUTH:
    case ZINVALIDACL:
    case ZBADARGUMENTS:
    case ZUNIMPLEMENTED:
    case ZRECONFIGINPROGRESS:
    case ZNEWCONFIGNOQUORUM:
    case ZRECONFIGDISABLED:
      return true;
    default:
      return false;
  }
}

void postToClient(ZkHandleClient& core, std::function<void()> fn) {
  core.post(std::move(fn));
}

ZkStat toZkStat(const Stat& stat) noexcept {
  ZkStat s;
  s.czxid = stat.czxid;
  s.mzxid = stat.mzxid;
  s.version = stat.version;
  s.cversion = stat.cversion;
  s.ephemeralOwner = stat.ephemeralOwner;
  s.numChildren = stat.numChildren;
  return s;
}

void MultiContext::prepare(const ZkOp& op, const ACL_vector* acl) {
  // ops, pathBuffers and stats are reserved up front (zk_client_ops.cpp): the pointers handed
  // to the C client below stay valid.
  const ZkOp& owned = ops.emplace_back(op);
  zoo_op_t& c = cOps.emplace_back();
  auto& buffer = pathBuffers.emplace_back();
  Stat& stat = stats.emplace_back();
  const int length = static_cast<int>(owned.data.size());
  switch (owned.kind) {
    case ZkOp::Kind::create: {
      buffer.assign(owned.path.size() + kSequenceSuffix, '\0');
      int mode = owned.ephemeral ? (owned.sequential ? ZOO_EPHEMERAL_SEQUENTIAL : ZOO_EPHEMERAL)
                                 : (owned.sequential ? ZOO_PERSISTENT_SEQUENTIAL : ZOO_PERSISTENT);
      zoo_create_op_init(&c, owned.path.c_str(), owned.data.data(), length, acl, mode,
                         buffer.data(), static_cast<int>(buffer.size()));
      break;
    }
    case ZkOp::Kind::remove:
      zoo_delete_op_init(&c, owned.path.c_str(), owned.version);
      break;
    case ZkOp::Kind::setData:
      zoo_set_op_init(&c, owned.path.c_str(), owned.data.data(), length, owned.version, &stat);
      break;
    case ZkOp::Kind::check:
      zoo_check_op_init(&c, owned.path.c_str(), owned.version);
      break;
  }
  zoo_op_result_t& r = cResults.emplace_back();
  r.err = ZOK;
  r.value = nullptr;
  r.valuelen = 0;
  r.stat = nullptr;
}

void MultiContext::collect(int rc) {
  // Without an answer from the server the per-op results were never written: every op shares
  // the overall error then.
  bool answered = serverAnswered(rc);
  auto& out = std::get<0>(results);
  out.clear();
  out.reserve(ops.size());
  for (std::size_t i = 0; i < ops.size(); ++i) {
    ZkOpResult r;
    r.error = make_error_code(answered ? cResults[i].err : rc);
    if (answered && cResults[i].err == ZOK) {
      if (ops[i].kind == ZkOp::Kind::create)
        r.createdPath = pathBuffers[i].data();
      if (ops[i].kind == ZkOp::Kind::setData)
        r.stat = toZkStat(stats[i]);
    }
    out.push_back(std::move(r));
  }
}

void voidCompletion(int rc, const void* data) {
  auto ctx = takeBack<VoidContext>(data);
  ctx->core->onCompletion(std::move(ctx), rc);
}

void multiCompletion(int rc, const void* data) {
  auto ctx = takeBack<MultiContext>(data);
  ctx->collect(rc);
  ctx->core->onCompletion(std::move(ctx), rc);
}

void createCompletion(int rc, const char* value, const void* data) {
  auto ctx = takeBack<CreateContext>(data);
  if (rc == ZOK && value)
    std::get<0>(ctx->results) = value;
  ctx->core->onCompletion(std::move(ctx), rc);
}

void dataCompletion(int rc, const char* value, int length, const Stat* stat, const void* data) {
  auto ctx = takeBack<DataContext>(data);
  if (rc == ZOK) {
    if (value && length > 0)
      std::get<0>(ctx->results).assign(value, static_cast<std::size_t>(length));
    if (stat)
      std::get<1>(ctx->results) = toZkStat(*stat);
  }
  ctx->core->onCompletion(std::move(ctx), rc);
}

void statCompletion(int rc, const Stat* stat, const void* data) {
  auto ctx = takeBack<StatContext>(data);
  if (rc == ZOK && stat)
    std::get<0>(ctx->results) = toZkStat(*stat);
  ctx->core->onCompletion(std::move(ctx), rc);
}

void childrenCompletion(int rc, const String_vector* strings, const void* data) {
  auto ctx = takeBack<ChildrenContext>(data);
  if (rc == ZOK && strings) {
    auto& children = std::get<0>(ctx->results);
    children.reserve(static_cast<std::size_t>(strings->count));
    for (std::int32_t i = 0; i < strings->count; ++i)
      children.emplace_back(strings->data[i]);
  }
  ctx->core->onCompletion(std::move(ctx), rc);
}

void childrenStatCompletion(int rc, const String_vector* /*strings*/, const Stat* stat,
                            const void* data) {
  statCompletion(rc, stat, data);
}

void watchTrampoline(zhandle_t* zh, int type, int /*state*/, const char* path, void* ctx) {
  // The C client also hands every session event (connecting, connected, expired) to every
  // registered watch; only node events fire a watch.
  if (type == ZOO_SESSION_EVENT)
    return;
  auto* handle = static_cast<HandleContext*>(const_cast<void*>(zoo_get_context(zh)));
  if (!handle)
    return;
  auto id = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(ctx));
  handle->core->onWatchEvent(handle->generation, id, type, path ? path : "");
}

void sessionTrampoline(zhandle_t* zh, int type, int state, const char* /*path*/, void* ctx) {
  if (type != ZOO_SESSION_EVENT || !ctx)
    return;
  auto* handle = static_cast<HandleContext*>(ctx);
  handle->core->onSessionEvent(handle->generation, zh, state);
}

}  // namespace baton::zookeeper::detail
