#include "zk_leader_store.hpp"

#include <zookeeper/zookeeper.h>

#include "baton/zookeeper/zk_error.hpp"
#include "baton/zookeeper/znode_codec.hpp"

namespace baton::zookeeper {
namespace {

bool is(const std::error_code& error, int rc) {
  return error == make_error_code(rc);
}

// The error of op `index` of a failed multi, or an empty code when that op did not fail.
std::error_code opError(const std::vector<ZkOpResult>& results, std::size_t index) {
  if (index >= results.size())
    return {};
  const auto& e = results[index].error;
  return is(e, ZRUNTIMEINCONSISTENCY) ? std::error_code() : e;
}

}  // namespace

ZkLeaderStore::ZkLeaderStore(std::shared_ptr<ZkConnection> connection, ZkPaths paths,
                             std::shared_ptr<spdlog::logger> logger, StoredCallback onStored)
    : connection_(std::move(connection)),
      paths_(std::move(paths)),
      logger_(std::move(logger)),
      onStored_(std::move(onStored)) {}

void ZkLeaderStore::publish(const std::string& componentId, const LeaderInformation& info) {
  if (closed_)
    return;
  auto bytes = encodeLeaderInformation(info);
  auto& component = components_[componentId];
  component.pendingBytes.reset();
  if (component.storedBytes == bytes)
    return;  // already stored: never rewrite equal bytes
  if (!fence_) {
    logger_->warn("not publishing '{}': this participant does not hold the latch", componentId);
    return;
  }
  auto fence = *fence_;
  connection_->client().ensurePath(
      paths_.componentDir(componentId),
      [self = shared_from_this(), componentId, bytes, fence](std::error_code error) {
        if (error) {
          self->logger_->error("cannot create {}: {}", self->paths_.componentDir(componentId),
                               error.message());
          if (isRetryable(error))
            self->components_[componentId].pendingBytes = bytes;
          return;
        }
        self->write(componentId, bytes, fence, WriteKind::setData);
      });
}

void ZkLeaderStore::write(const std::string& componentId, const std::string& bytes,
                          const std::string& fence, WriteKind kind) {
  auto path = paths_.connectionInfo(componentId);
  std::vector<ZkOp> ops{ZkOp::check(fence), kind == WriteKind::setData ? ZkOp::setData(path, bytes)
                                                                       : ZkOp::create(path, bytes)};
  connection_->client().multi(std::move(ops),
                              [self = shared_from_this(), componentId, bytes, fence, kind](
                                  std::error_code error, const std::vector<ZkOpResult>& results) {
                                self->onWritten(componentId, bytes, fence, kind, error, results);
                              });
}

void ZkLeaderStore::onWritten(const std::string& componentId, const std::string& bytes,
                              const std::string& fence, WriteKind kind, std::error_code error,
                              const std::vector<ZkOpResult>& results) {
  if (closed_ || !components_.count(componentId))
    return;
  auto& component = components_[componentId];
  if (!error) {
    component.storedBytes = bytes;
    armWatch(componentId);
    return;
  }
  if (opError(results, 0)) {
    logger_->warn("fenced write of '{}' rejected: latch node {} is gone ({})", componentId, fence,
                  opError(results, 0).message());
  } else if (kind == WriteKind::setData && is(opError(results, 1), ZNONODE)) {
    write(componentId, bytes, fence, WriteKind::create);
  } else if (kind == WriteKind::create && is(opError(results, 1), ZNODEEXISTS)) {
    write(componentId, bytes, fence, WriteKind::setData);  // created concurrently: overwrite
  } else if (isRetryable(error)) {
    component.pendingBytes = bytes;  // retried when the session is back
  } else {
    logger_->error("writing {} failed: {}", paths_.connectionInfo(componentId), error.message());
  }
}

void ZkLeaderStore::remove(const std::string& componentId) {
  components_.erase(componentId);
  if (closed_ || !fence_)
    return;
  auto path = paths_.connectionInfo(componentId);
  connection_->client().multi(
      {ZkOp::check(*fence_), ZkOp::remove(path)},
      [self = shared_from_this(), path](std::error_code error, const std::vector<ZkOpResult>&) {
        if (error && !is(error, ZNONODE)) {
          self->logger_->warn("deleting {} failed: {}", path, error.message());
        }
      });
}

void ZkLeaderStore::onNewSession() {
  for (auto& [id, component] : components_) {
    component.watchArmed = false;
    component.storedBytes.reset();
    component.pendingBytes.reset();
  }
}

void ZkLeaderStore::onResumed() {
  for (auto& [id, component] : components_) {
    if (auto bytes = std::exchange(component.pendingBytes, std::nullopt)) {
      auto info = decodeLeaderInformation(*bytes);
      if (info)
        publish(id, *info);
    }
  }
}

void ZkLeaderStore::armWatch(const std::string& componentId) {
  auto& component = components_[componentId];
  if (component.watchArmed)
    return;
  component.watchArmed = true;
  auto self = shared_from_this();
  connection_->client().getData(
      paths_.connectionInfo(componentId),
      [self, componentId](const WatchEvent&) {
        auto it = self->components_.find(componentId);
        if (self->closed_ || it == self->components_.end())
          return;
        it->second.watchArmed = false;
        self->armWatch(componentId);
      },
      [self, componentId](std::error_code error, const std::string& data, const ZkStat&) {
        self->onRead(componentId, error, data);
      });
}

void ZkLeaderStore::onRead(const std::string& componentId, std::error_code error,
                           const std::string& data) {
  auto it = components_.find(componentId);
  if (closed_ || it == components_.end())
    return;
  if (error && !is(error, ZNONODE)) {
    it->second.watchArmed = false;  // re-armed by the next write or session event
    return;
  }
  if (is(error, ZNONODE)) {
    // No watch is left on a missing node; the heal (a new write) arms a new one.
    it->second.watchArmed = false;
    it->second.storedBytes.reset();
    onStored_(componentId, LeaderInformation::empty());
    return;
  }
  it->second.storedBytes = data;
  std::string why;
  auto info = decodeLeaderInformation(data, &why);
  if (!info) {
    logger_->error("{} holds malformed data ({}); treating it as no leader",
                   paths_.connectionInfo(componentId), why);
  }
  onStored_(componentId, info.value_or(LeaderInformation::empty()));
}

}  // namespace baton::zookeeper
