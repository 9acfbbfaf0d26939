#include "elect_write.hpp"

#include <zookeeper/zookeeper.h>

#include "baton/zookeeper/zk_error.hpp"
#include "baton/zookeeper/zookeeper_ha_services.hpp"

namespace baton::cli {
namespace {

using zookeeper::ZkOp;
using zookeeper::ZkOpResult;

// The error of a fenced multi: the call's own, or the first failing operation's. baton's own
// verdicts (leadership lost, outcome unknown) stand as they are: with an unknown outcome every
// op carries the connection loss, which would hide that the write may have been applied.
std::error_code firstError(std::error_code ec, const std::vector<ZkOpResult>& results) {
  if (!ec || &ec.category() != &zookeeper::zookeeperCategory())
    return ec;
  for (const auto& result : results) {
    if (result.error && result.error != zookeeper::make_error_code(ZRUNTIMEINCONSISTENCY))
      return result.error;
  }
  return ec;
}

// setData if the node exists, else create it (and its parent); a create that races with
// another writer's starts over. Every attempt carries the fence.
std::error_code writeValue(zookeeper::ZooKeeperHaServices& zk, const FencingToken& token,
                           const std::string& path, const std::string& parent,
                           const std::string& value) {
  const auto noNode = zookeeper::make_error_code(ZNONODE);
  const auto exists = zookeeper::make_error_code(ZNODEEXISTS);
  std::error_code ec;
  for (int attempt = 0; attempt < 3; ++attempt) {
    std::vector<ZkOpResult> results;
    ec = firstError(zk.fencedWrite(token, {ZkOp::setData(path, value)}, &results), results);
    if (ec != noNode)
      return ec;
    ec = firstError(zk.fencedWrite(token, {ZkOp::create(path, value)}, &results), results);
    if (ec == noNode) {
      ec = firstError(
          zk.fencedWrite(token, {ZkOp::create(parent, ""), ZkOp::create(path, value)}, &results),
          results);
    }
    if (ec != exists)
      return ec;
  }
  return ec;
}

}  // namespace

void fencedWriteCommand(HighAvailabilityServices& services, const std::string& component,
                        const std::optional<FencingToken>& token, const std::string& value,
                        EventPrinter& printer) {
  auto* zk = dynamic_cast<zookeeper::ZooKeeperHaServices*>(&services);
  std::string result;
  if (!zk) {
    result = "write needs ha.type = zookeeper";
  } else if (!token) {
    result = "never granted: no fencing token";
  } else {
    const std::string parent = zk->settings().paths.cluster() + "/app";
    const std::error_code ec = writeValue(*zk, *token, parent + "/" + component, parent, value);
    result = ec ? ec.message() : "ok";
  }
  Event event{.name = "write", .fields = {{"result", result}, {"value", value}}};
  if (token) {
    event.sessionId = token->sessionId;
    event.fields.emplace_back("epoch", std::to_string(token->epoch));
  }
  printer.print(event);
}

}  // namespace baton::cli
