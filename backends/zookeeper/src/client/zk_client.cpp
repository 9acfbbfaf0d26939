// ZkClient's factory and its thin public face over ZkClientCore, plus ZkOp's constructors.
#include "client/zk_client.hpp"

#include <zookeeper/zookeeper.h>

#include "baton/logging.hpp"
#include "client/zk_client_core.hpp"

namespace baton::zookeeper {
namespace {

class ZkClientImpl final : public ZkClient {
 public:
  explicit ZkClientImpl(std::shared_ptr<detail::ZkClientCore> core) : core_(std::move(core)) {}
  ~ZkClientImpl() override { core_->close(); }

  void setStateListener(StateListener listener) override {
    core_->setStateListener(std::move(listener));
  }
  void start() override { core_->start(); }
  void close() noexcept override { core_->close(); }
  bool isConnected() const override { return core_->isConnected(); }
  ZkSessionInfo session() const override { return core_->session(); }
  std::optional<LeaseClock::time_point> renewedSince() const override {
    return core_->renewedSince();
  }
  void setRenewalListener(std::function<void()> listener) override {
    core_->setRenewalListener(std::move(listener));
  }
  void setKeepalive(KeepaliveMode mode) override { core_->setKeepalive(mode); }
  std::string sessionPassword() const override { return core_->sessionPassword(); }

  void createNode(const std::string& path, const std::string& data, bool ephemeral, bool sequential,
                  CreateHandler handler) override {
    core_->createNode(path, data, ephemeral, sequential, std::move(handler));
  }
  void ensurePath(const std::string& path, VoidHandler handler) override {
    core_->ensurePath(path, std::move(handler));
  }
  void getData(const std::string& path, WatchHandler watch, DataHandler handler) override {
    core_->getData(path, std::move(watch), std::move(handler));
  }
  void exists(const std::string& path, WatchHandler watch, StatHandler handler) override {
    core_->exists(path, std::move(watch), std::move(handler));
  }
  void getChildren(const std::string& path, WatchHandler watch, ChildrenHandler handler) override {
    core_->getChildren(path, std::move(watch), std::move(handler));
  }
  void setData(const std::string& path, const std::string& data, std::int32_t version,
               StatHandler handler) override {
    core_->setData(path, data, version, std::move(handler));
  }
  void removeNode(const std::string& path, std::int32_t version, VoidHandler handler) override {
    core_->removeNode(path, version, std::move(handler));
  }
  void multi(std::vector<ZkOp> ops, MultiHandler handler) override {
    core_->multi(std::move(ops), std::move(handler));
  }
  void removeWatches(const std::string& path, VoidHandler handler) override {
    core_->removeWatches(path, std::move(handler));
  }
  std::size_t watchCount() const override { return core_->watchCount(); }

 private:
  std::shared_ptr<detail::ZkClientCore> core_;
};

}  // namespace

std::unique_ptr<ZkClient> ZkClient::create(boost::asio::any_io_executor executor,
                                           ZkSettings settings,
                                           std::shared_ptr<spdlog::logger> logger) {
  logger = loggerOrQuiet(std::move(logger));
  if (settings.acl == AclMode::creator && !settings.digestCredentials) {
    logger->warn(
        "zookeeper: ha.zookeeper.acl=creator needs ha.zookeeper.auth.digest; nodes are created "
        "with the open ACL");
  }
  return std::make_unique<ZkClientImpl>(std::make_shared<detail::ZkClientCore>(
      std::move(executor), std::move(settings), std::move(logger)));
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
