#include "leader_info/zk_leader_store.hpp"

#include <zookeeper/zookeeper.h>

#include "baton/zookeeper/zk_error.hpp"
#include "leader_info/znode_codec.hpp"

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
  if (component.storedBytes == bytes && component.owned) {
    // Already stored by our session: never rewrite equal bytes.
    connection_->metrics().onPublish(componentId, HaMetrics::PublishResult::unchanged);
    return;
  }
  if (!fence_) {
    logger_->warn("not publishing '{}': this participant does not hold the latch", componentId);
    connection_->metrics().onPublish(componentId, HaMetrics::PublishResult::fenced);
    return;
  }
  component.publishedBytes = bytes;
  auto fence = *fence_;
  auto kind = firstInfoWrite(component.owned, component.foreign);
  component.removing = false;  // published again: the write replaces the delete
  ++component.writesInFlight;
  connection_->client().ensurePath(
      paths_.componentDir(componentId),
      [self = shared_from_this(), componentId, bytes, fence, kind](std::error_code error) {
        --self->components_[componentId].writesInFlight;  // write() counts its own
        if (error) {
          self->logger_->error("cannot create {}: {}", self->paths_.componentDir(componentId),
                               error.message());
          if (isRetryable(error)) {
            self->components_[componentId].pendingBytes = bytes;  // reported when retried
          } else {
            self->connection_->metrics().onPublish(componentId, HaMetrics::PublishResult::failed);
          }
          return;
        }
        self->write(componentId, bytes, fence, kind, 1);
      });
}

void ZkLeaderStore::write(const std::string& componentId, const std::string& bytes,
                          const std::string& fence, InfoWrite kind, int attempt) {
  auto path = paths_.connectionInfo(componentId);
  ++components_[componentId].writesInFlight;
  std::vector<ZkOp> ops{ZkOp::check(fence)};
  if (kind == InfoWrite::setData) {
    ops.push_back(ZkOp::setData(path, bytes));
  } else {
    if (kind == InfoWrite::replace)
      ops.push_back(ZkOp::remove(path));
    ops.push_back(ZkOp::create(path, bytes, /*ephemeral=*/true));
  }
  connection_->client().multi(
      std::move(ops), [self = shared_from_this(), componentId, bytes, fence, kind, attempt](
                          std::error_code error, const std::vector<ZkOpResult>& results) {
        self->onWritten(componentId, bytes, fence, kind, attempt, error, results);
      });
}

void ZkLeaderStore::onWritten(const std::string& componentId, const std::string& bytes,
                              const std::string& fence, InfoWrite kind, int attempt,
                              std::error_code error, const std::vector<ZkOpResult>& results) {
  // Each wrong guess costs one round trip; only a writer racing us on the node (not through
  // the fence) can make them repeat.
  constexpr int maxAttempts = 5;
  if (closed_ || !components_.count(componentId))
    return;
  auto& component = components_[componentId];
  --component.writesInFlight;
  if (!error) {
    component.storedBytes = bytes;
    component.owned = true;  // created or set in this session (onNewSession clears it)
    component.foreign = false;
    // The setData's own stat, or a node just created (version 0).
    component.version =
        kind == InfoWrite::setData && results.size() > 1 ? results[1].stat.version : 0;
    armWatch(componentId);
    connection_->metrics().onPublish(componentId, HaMetrics::PublishResult::written);
    return;
  }
  if (opError(results, 0)) {
    logger_->warn("fenced write of '{}' rejected: latch node {} is gone ({})", componentId, fence,
                  opError(results, 0).message());
    connection_->metrics().onPublish(componentId, HaMetrics::PublishResult::fenced);
    return;
  }
  std::vector<std::error_code> opErrors;
  for (std::size_t i = 0; i < results.size(); ++i)
    opErrors.push_back(opError(results, i));
  auto next = nextInfoWrite(kind, opErrors);
  if (next && attempt < maxAttempts) {
    component.owned = false;
    component.foreign = *next == InfoWrite::replace;
    write(componentId, bytes, fence, *next, attempt + 1);
  } else if (isRetryable(error)) {
    component.pendingBytes = bytes;  // retried when the session is back, and reported then
  } else {
    logger_->error("writing {} failed after {} attempt(s): {}", paths_.connectionInfo(componentId),
                   attempt, error.message());
    connection_->metrics().onPublish(componentId, HaMetrics::PublishResult::failed);
  }
}

void ZkLeaderStore::remove(const std::string& componentId) {
  auto& component = components_[componentId];
  // Forgotten but for its watch, which stands until it fires (a later publish of the same
  // component must not set a second one), and what releaseOps needs to delete it.
  Component kept;
  kept.watch = component.watch;
  kept.owned = component.owned;
  kept.version = component.version;
  kept.writesInFlight = component.writesInFlight;
  kept.removing = !closed_ && fence_.has_value();
  component = kept;
}

void ZkLeaderStore::flushRemovals() {
  if (closed_)
    return;
  for (auto& [id, component] : components_) {
    if (!std::exchange(component.removing, false))
      continue;
    component.owned = false;
    if (fence_)
      sendFencedDelete(id, *fence_);
  }
}

std::vector<ZkOp> ZkLeaderStore::releaseOps(const std::string& latchPath) {
  std::vector<ZkOp> ops;
  if (closed_)
    return ops;
  for (auto& [id, component] : components_) {
    bool published = component.storedBytes.has_value() || component.removing;
    if (component.owned && component.writesInFlight == 0 && published) {
      ops.push_back(ZkOp::remove(paths_.connectionInfo(id), component.version));
    } else if (component.writesInFlight > 0 || (component.removing && !component.owned)) {
      sendFencedDelete(id, latchPath);
    }
    component.owned = false;
    component.removing = false;
    component.storedBytes.reset();
    component.publishedBytes.reset();
    component.pendingBytes.reset();
  }
  return ops;
}

void ZkLeaderStore::sendFencedDelete(const std::string& componentId, const std::string& fence) {
  auto path = paths_.connectionInfo(componentId);
  connection_->client().multi(
      {ZkOp::check(fence), ZkOp::remove(path)},
      [self = shared_from_this(), path](std::error_code error, const std::vector<ZkOpResult>&) {
        if (error && !is(error, ZNONODE)) {
          self->logger_->warn("deleting {} failed: {}", path, error.message());
        }
      });
}

void ZkLeaderStore::onNewSession() {
  for (auto& [id, component] : components_) {
    component.watch.reset();
    component.owned = false;  // the old session's node, if still there, is foreign now
    component.foreign = false;
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
    } else if (component.storedBytes && component.watch.wantsWatch()) {
      armWatch(id);  // its watching read failed with the connection: nothing stands
    }
  }
}

void ZkLeaderStore::armWatch(const std::string& componentId) {
  auto& component = components_[componentId];
  if (!component.watch.wantsWatch())
    return;  // one watch per node and session (WatchSlot)
  auto token = component.watch.issue();
  auto self = shared_from_this();
  connection_->client().getData(
      paths_.connectionInfo(componentId),
      [self, componentId, token](const WatchEvent&) {
        auto it = self->components_.find(componentId);
        if (self->closed_ || it == self->components_.end() || !it->second.watch.fired(token))
          return;
        self->armWatch(componentId);
      },
      [self, componentId, token](std::error_code error, const std::string& data,
                                 const ZkStat& stat) {
        auto it = self->components_.find(componentId);
        if (it != self->components_.end())
          it->second.watch.completed(token, !error);
        self->onRead(componentId, error, data, stat);
      });
}

void ZkLeaderStore::onRead(const std::string& componentId, std::error_code error,
                           const std::string& data, const ZkStat& stat) {
  auto it = components_.find(componentId);
  if (closed_ || it == components_.end())
    return;
  auto& component = it->second;
  if (error && !is(error, ZNONODE))
    return;  // no watch stands; set again when the session is back or by the next write
  if (is(error, ZNONODE)) {
    // No watch is left on a missing node; the heal (a new write) arms a new one.
    component.storedBytes.reset();
    component.owned = false;
    component.foreign = false;
    onStored_(componentId, LeaderInformation::empty());
    return;
  }
  component.storedBytes = data;
  component.owned =
      stat.ephemeralOwner != 0 && stat.ephemeralOwner == connection_->client().session().sessionId;
  component.foreign = !component.owned;
  component.version = stat.version;
  std::string why;
  auto info = decodeLeaderInformation(data, &why);
  if (!info) {
    logger_->error("{} holds malformed data ({}); treating it as no leader",
                   paths_.connectionInfo(componentId), why);
  }
  if (!component.owned && fence_ && component.publishedBytes == data && info) {
    // Our information in a node our session does not own (persistent, or another session's)
    // would outlive us: take it over. The service sees no difference to heal.
    logger_->warn("{} holds our information in a node of session {:#x}; re-creating it as ours",
                  paths_.connectionInfo(componentId), stat.ephemeralOwner);
    publish(componentId, *info);
    return;
  }
  onStored_(componentId, info.value_or(LeaderInformation::empty()));
}

}  // namespace baton::zookeeper
