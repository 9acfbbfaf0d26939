#include "baton/zookeeper/zk_error.hpp"

#include <zookeeper/zookeeper.h>

#include "baton/error.hpp"

namespace baton::zookeeper {
namespace {

struct CodeInfo {
  const char* name;
  const char* meaning;
  bool retryable;
};

// One entry per ZOO_ERRORS value: the switch has no default, so -Wswitch (an error under
// BATON_WERROR) flags any code a newer zookeeper.h adds.
constexpr CodeInfo info(ZOO_ERRORS code) noexcept {
  switch (code) {
    case ZOK:
      return {"ZOK", "ok", false};
    case ZSYSTEMERROR:
      return {"ZSYSTEMERROR", "system (socket) error", true};
    // The C client completes every pending request with it when a reply's xid does not match
    // (zookeeper.c, "unexpected server response") and drops the connection: a connection loss,
    // so retryable. Inside a multi's results it marks an op rolled back because another failed;
    // a multi's own code is never it (deserialize_multi skips it).
    case ZRUNTIMEINCONSISTENCY:
      return {"ZRUNTIMEINCONSISTENCY",
              "runtime inconsistency (a reply did not match its request; in a multi-op's "
              "results: rolled back)",
              true};
    case ZDATAINCONSISTENCY:
      return {"ZDATAINCONSISTENCY", "data inconsistency", false};
    case ZCONNECTIONLOSS:
      return {"ZCONNECTIONLOSS", "connection to the server lost", true};
    case ZMARSHALLINGERROR:
      return {"ZMARSHALLINGERROR", "error marshalling data", false};
    case ZUNIMPLEMENTED:
      return {"ZUNIMPLEMENTED", "operation is unimplemented", false};
    case ZOPERATIONTIMEOUT:
      return {"ZOPERATIONTIMEOUT", "operation timed out", true};
    case ZBADARGUMENTS:
      return {"ZBADARGUMENTS", "bad arguments", false};
    case ZINVALIDSTATE:
      return {"ZINVALIDSTATE", "invalid handle state", false};
    case ZNEWCONFIGNOQUORUM:
      return {"ZNEWCONFIGNOQUORUM", "no quorum of the new configuration is connected", true};
    case ZRECONFIGINPROGRESS:
      return {"ZRECONFIGINPROGRESS", "another reconfiguration is in progress", true};
    case ZSSLCONNECTIONERROR:
      return {"ZSSLCONNECTIONERROR", "SSL connection error", true};
    case ZAPIERROR:
      return {"ZAPIERROR", "API error", false};
    case ZNONODE:
      return {"ZNONODE", "node does not exist", false};
    case ZNOAUTH:
      return {"ZNOAUTH", "not authenticated (ACL denies access)", false};
    case ZBADVERSION:
      return {"ZBADVERSION", "version conflict", false};
    case ZNOCHILDRENFOREPHEMERALS:
      return {"ZNOCHILDRENFOREPHEMERALS", "ephemeral nodes may not have children", false};
    case ZNODEEXISTS:
      return {"ZNODEEXISTS", "node already exists", false};
    case ZNOTEMPTY:
      return {"ZNOTEMPTY", "node has children", false};
    case ZSESSIONEXPIRED:
      return {"ZSESSIONEXPIRED", "session expired", false};
    case ZINVALIDCALLBACK:
      return {"ZINVALIDCALLBACK", "invalid callback", false};
    case ZINVALIDACL:
      return {"ZINVALIDACL", "invalid ACL", false};
    case ZAUTHFAILED:
      return {"ZAUTHFAILED", "client authentication failed", false};
    case ZCLOSING:
      return {"ZCLOSING", "the ZooKeeper handle is closing", false};
    case ZNOTHING:
      return {"ZNOTHING", "no server responses to process", false};
    case ZSESSIONMOVED:
      return {"ZSESSIONMOVED", "session moved to another server", true};
    case ZNOTREADONLY:
      return {"ZNOTREADONLY", "state-changing request sent to a read-only server", true};
    case ZEPHEMERALONLOCALSESSION:
      return {"ZEPHEMERALONLOCALSESSION", "ephemeral node on a local session", false};
    case ZNOWATCHER:
      return {"ZNOWATCHER", "the watcher could not be found", false};
    case ZRECONFIGDISABLED:
      return {"ZRECONFIGDISABLED", "reconfiguration is disabled", false};
    case ZSESSIONCLOSEDREQUIRESASLAUTH:
      return {"ZSESSIONCLOSEDREQUIRESASLAUTH", "session closed: the server requires SASL auth",
              false};
    case ZTHROTTLEDOP:
      return {"ZTHROTTLEDOP", "operation was throttled, retry", true};
  }
  return {nullptr, nullptr, false};
}

// Converting an int outside the enumeration's value range (-128..127 here) to ZOO_ERRORS would be
// undefined behaviour, so foreign values are filtered first.
CodeInfo lookup(int value) noexcept {
  if (value < -128 || value > 0)
    return {nullptr, nullptr, false};
  return info(static_cast<ZOO_ERRORS>(value));
}

class ZooKeeperCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "zookeeper"; }
  std::string message(int value) const override {
    CodeInfo i = lookup(value);
    if (!i.name)
      return zkErrorName(value) + ": unknown ZooKeeper error";
    return std::string(i.name) + ": " + i.meaning;
  }
};

}  // namespace

const std::error_category& zookeeperCategory() noexcept {
  static const ZooKeeperCategory category;
  return category;
}

std::error_code make_error_code(int zkRc) noexcept {
  if (zkRc == ZOK)
    return {};
  return {zkRc, zookeeperCategory()};
}

std::string zkErrorName(int zkRc) {
  CodeInfo i = lookup(zkRc);
  return i.name ? std::string(i.name) : "ZUNKNOWN(" + std::to_string(zkRc) + ")";
}

bool isRetryable(std::error_code ec) noexcept {
  if (!ec)
    return false;
  if (ec.category() == zookeeperCategory()) {
    return lookup(ec.value()).retryable;
  }
  if (ec.category() == batonCategory()) {
    auto e = static_cast<Errc>(ec.value());
    return e == Errc::timed_out || e == Errc::connection_suspended;
  }
  return false;
}

std::system_error zkError(int rc, const std::string& path, const std::string& what) {
  return std::system_error(make_error_code(rc), what + " '" + path + "'");
}

}  // namespace baton::zookeeper
