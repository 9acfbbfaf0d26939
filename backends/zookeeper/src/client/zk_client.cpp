// ZkClient's factory (the client is ZkHandleClient) and ZkOp's constructors.
#include "client/zk_client.hpp"

#include <zookeeper/zookeeper.h>

#include "baton/logging.hpp"
#include "client/zk_handle_client.hpp"

namespace baton::zookeeper {
std::unique_ptr<ZkClient> ZkClient::create(boost::asio::any_io_executor executor,
                                           ZkSettings settings,
                                           std::shared_ptr<spdlog::logger> logger,
                                           std::shared_ptr<HaMetrics> metrics) {
  logger = loggerOrQuiet(std::move(logger));
  if (settings.acl == AclMode::creator && !settings.digestCredentials) {
    logger->warn(
        "zookeeper: ha.zookeeper.acl=creator needs ha.zookeeper.auth.digest; nodes are created "
        "with the open ACL");
  }
  return std::make_unique<detail::ZkHandleClient>(std::move(executor), std::move(settings),
                                                  std::move(logger), std::move(metrics));
}

ZkOp ZkOp::create(std::string path, std::string data, bool ephemeral, bool sequential) {
  ZkOp op{Kind::create, std::move(path), std::move(data)};
  op.ephemeral = ephemeral;
  op.sequential = sequential;
  return op;
}

ZkOp ZkOp::remove(std::string path, std::int32_t version) {
  ZkOp op{Kind::remove, std::move(path), {}};
  op.version = version;
  return op;
}

ZkOp ZkOp::setData(std::string path, std::string data, std::int32_t version) {
  ZkOp op{Kind::setData, std::move(path), std::move(data)};
  op.version = version;
  return op;
}

ZkOp ZkOp::check(std::string path, std::int32_t version) {
  ZkOp op{Kind::check, std::move(path), {}};
  op.version = version;
  return op;
}

}  // namespace baton::zookeeper
