#include "ha/zk_namespace_watch.hpp"

#include <algorithm>
#include <iterator>

#include <zookeeper/zookeeper.h>

#include "baton/zookeeper/zk_error.hpp"

namespace baton::zookeeper {
namespace {

bool is(std::error_code ec, int zkRc) {
  return ec == make_error_code(zkRc);
}

}  // namespace

std::vector<std::string> changedChildren(const std::set<std::string>& before,
                                         const std::vector<std::string>& now) {
  std::set<std::string> after(now.begin(), now.end());
  std::vector<std::string> changed;
  std::set_symmetric_difference(before.begin(), before.end(), after.begin(), after.end(),
                                std::back_inserter(changed));
  return changed;
}

ZkNamespaceWatcher::ZkNamespaceWatcher(std::shared_ptr<ZkConnection> connection, std::string ns,
                                       std::string nsPath,
                                       LeaderStateStore::ChangeListener listener,
                                       std::shared_ptr<support::ListenerGate> gate, Deliver deliver)
    : connection_(std::move(connection)),
      ns_(std::move(ns)),
      nsPath_(std::move(nsPath)),
      listener_(std::move(listener)),
      gate_(std::move(gate)),
      deliver_(std::move(deliver)) {}

void ZkNamespaceWatcher::start() {
  // `connected` comes at once (posted) when a session is up: the first listing starts there.
  subscription_ = connection_->subscribe(
      [weak = weak_from_this()](ConnectionState state, const ZkSessionInfo&) {
        if (auto self = weak.lock())
          self->onState(state);
      });
}

void ZkNamespaceWatcher::stop() {
  if (stopped_)
    return;
  stopped_ = true;
  connection_->unsubscribe(subscription_);
}

std::size_t ZkNamespaceWatcher::watchesHeld() const {
  std::size_t held = 0;
  auto count = [&](const WatchSlot& slot) { held += slot.wantsWatch() ? 0 : 1; };
  count(childSlot_);
  count(existsSlot_);
  for (const auto& [key, slot] : dataSlots_)
    count(slot);
  return held;
}

void ZkNamespaceWatcher::onState(ConnectionState state) {
  if (stopped_)
    return;
  if (state == ConnectionState::connected) {
    // A new session: the old handle's watches are gone, and what changed meanwhile unknown.
    childSlot_.reset();
    existsSlot_.reset();
    dataSlots_.clear();
    relistPending_ = true;
    return readChildren(true);
  }
  if (state != ConnectionState::reconnected)
    return;
  // The same session: standing watches survive; re-read whatever a lost read left unwatched.
  if (childSlot_.wantsWatch() && existsSlot_.wantsWatch())
    readChildren(relistPending_);
  auto batch = std::make_shared<Batch>();
  for (auto& [key, slot] : dataSlots_) {
    if (slot.wantsWatch()) {
      batch->keys.push_back(key);  // it may have changed while unwatched
      readData(key, batch);
    }
  }
  finish(batch);
}

void ZkNamespaceWatcher::readChildren(bool relist) {
  const bool watched = childSlot_.wantsWatch();
  const std::uint64_t token = watched ? childSlot_.issue() : 0;
  ZkClient::WatchHandler watch;
  if (watched) {
    watch = [weak = weak_from_this(), token](const WatchEvent&) {
      auto self = weak.lock();
      if (self && !self->stopped_ && self->childSlot_.fired(token))
        self->readChildren(false);
    };
  }
  connection_->client().getChildren(
      nsPath_, std::move(watch),
      [weak = weak_from_this(), token, watched, relist](std::error_code ec,
                                                        const std::vector<std::string>& children) {
        if (auto self = weak.lock())
          self->onChildren(token, watched, relist, ec, children);
      });
}

void ZkNamespaceWatcher::onChildren(std::uint64_t token, bool watched, bool relist,
                                    std::error_code ec, const std::vector<std::string>& children) {
  // zk_hashtable.c registers a child watch only for ZOK.
  if (watched)
    childSlot_.completed(token, !ec);
  if (stopped_)
    return;
  if (is(ec, ZNONODE)) {
    std::vector<std::string> gone;
    for (const auto& [key, slot] : dataSlots_)
      gone.push_back(key);
    dataSlots_.clear();
    report(std::move(gone), relist);
    return armExists();
  }
  if (ec)
    return;  // a connection loss: re-read on reconnect (onState)
  std::set<std::string> before;
  for (const auto& [key, slot] : dataSlots_)
    before.insert(key);
  auto batch = std::make_shared<Batch>();
  batch->relist = relist;
  batch->keys = changedChildren(before, children);
  for (const auto& key : batch->keys) {
    if (before.count(key))
      dataSlots_.erase(key);
    else
      readData(key, batch);
  }
  // A known record whose data watch fired with "deleted" but which is listed again was
  // recreated in between: re-arm it, and report it.
  for (const auto& key : children) {
    auto it = dataSlots_.find(key);
    if (before.count(key) && it != dataSlots_.end() && it->second.wantsWatch()) {
      batch->keys.push_back(key);
      readData(key, batch);
    }
  }
  finish(batch);
}

void ZkNamespaceWatcher::armExists() {
  if (!existsSlot_.wantsWatch())
    return;
  const std::uint64_t token = existsSlot_.issue();
  connection_->client().exists(
      nsPath_,
      [weak = weak_from_this(), token](const WatchEvent&) {
        // Created (or, from a lost race, deleted): list again and tell the listener.
        auto self = weak.lock();
        if (self && !self->stopped_ && self->existsSlot_.fired(token))
          self->readChildren(true);
      },
      [weak = weak_from_this(), token](std::error_code ec, const ZkStat&) {
        auto self = weak.lock();
        if (!self)
          return;
        // An exists watch is registered for ZOK (a data watch) and ZNONODE (zk_hashtable.c).
        self->existsSlot_.completed(token, !ec || is(ec, ZNONODE));
        if (!ec && !self->stopped_ && self->childSlot_.wantsWatch())
          self->readChildren(true);  // created between the listing and this call
      });
}

void ZkNamespaceWatcher::readData(const std::string& key, const std::shared_ptr<Batch>& batch) {
  WatchSlot& slot = dataSlots_[key];
  if (!slot.wantsWatch())
    return;
  const std::uint64_t token = slot.issue();
  ++batch->pending;
  connection_->client().getData(
      nsPath_ + "/" + key,
      [weak = weak_from_this(), key, token](const WatchEvent& event) {
        auto self = weak.lock();
        if (!self || self->stopped_)
          return;
        auto it = self->dataSlots_.find(key);
        if (it == self->dataSlots_.end() || !it->second.fired(token))
          return;
        // deleted: the child watch reports it and forgets the slot.
        if (event.type != WatchEventType::dataChanged)
          return;
        auto changed = std::make_shared<Batch>();
        changed->keys.push_back(key);
        self->readData(key, changed);
        self->finish(changed);
      },
      [weak = weak_from_this(), key, token, batch](std::error_code ec, const std::string&,
                                                   const ZkStat&) {
        auto self = weak.lock();
        if (!self)
          return;
        // NONODE: erased since the listing; the child watch forgets it.
        if (auto it = self->dataSlots_.find(key); it != self->dataSlots_.end())
          it->second.completed(token, !ec);
        self->finish(batch);
      });
}

void ZkNamespaceWatcher::finish(const std::shared_ptr<Batch>& batch) {
  if (--batch->pending > 0 || stopped_)
    return;
  std::sort(batch->keys.begin(), batch->keys.end());
  batch->keys.erase(std::unique(batch->keys.begin(), batch->keys.end()), batch->keys.end());
  report(std::move(batch->keys), batch->relist);
}

void ZkNamespaceWatcher::report(std::vector<std::string> keys, bool relist) {
  if (relist)
    relistPending_ = false;
  if (keys.empty() && !relist)
    return;
  NamespaceChange change{ns_, relist ? std::vector<std::string>{} : std::move(keys), relist};
  deliver_([gate = gate_, listener = listener_, change = std::move(change)] {
    gate->invoke([&] { listener(change); });
  });
}

}  // namespace baton::zookeeper
