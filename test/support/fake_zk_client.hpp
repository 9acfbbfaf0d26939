#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include <zookeeper/zookeeper.h>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/post.hpp>

#include "baton/zookeeper/zk_error.hpp"
#include "client/zk_client.hpp"

namespace baton::test {

// An in-memory ZkClient for driver unit tests: no server, no socket, deterministic. It keeps a
// znode tree with ZooKeeper's bookkeeping (czxid/mzxid from one zxid counter, data version,
// child version, ephemeral owner), creates sequential names from the parent's cversion as the
// server does (%010d), deletes a session's ephemerals when it ends, fires one-shot watches,
// and applies a multi all-or-nothing with the server's per-op results (ops before the failing
// one ZOK, the failing one its code, the later ones ZRUNTIMEINCONSISTENCY: DataTree.processTxn).
//
// Timing: an operation takes effect when it is called (as if the server had answered at once)
// and its completion is posted to the executor; watches fire posted too. Step the executor
// (io_context::poll) to deliver them.
//
// Faults, each for the next operation of a kind: fail it with a code (nothing applied), lose
// its reply (applied, answered ZCONNECTIONLOSS, as after a connection drop), hold its reply
// (applied, answered when the test says). Session faults: suspend/resume the connection (ops
// fail with ZCONNECTIONLOSS meanwhile), expire the session (its ephemerals and watches go, a
// new session with the next generation follows).
//
// "Other sessions": createAs/setDataAs/removeAs change the tree as another client would, firing
// this client's watches.
//
// Thread-safety: none; use it on its executor's thread only (like ZkClient).
class FakeZkClient final : public zookeeper::ZkClient {
 public:
  enum class Op {
    create,
    ensurePath,
    getData,
    exists,
    getChildren,
    statWatchingDeletion,
    setData,
    remove,
    multi
  };

  struct Node {
    std::string data;
    zookeeper::ZkStat stat;
  };

  explicit FakeZkClient(boost::asio::any_io_executor executor,
                        std::chrono::milliseconds negotiatedTimeout = std::chrono::seconds(10))
      : executor_(std::move(executor)), negotiatedTimeout_(negotiatedTimeout) {
    nodes_["/"] = Node{};
  }

  // --- ZkClient ------------------------------------------------------------------------------
  void setStateListener(StateListener listener) override { listener_ = std::move(listener); }
  void start() override { newSession(); }
  void close() noexcept override {
    if (closed_)
      return;
    closed_ = true;
    endSession();
    listener_ = nullptr;
  }
  bool isConnected() const override { return hasSession_ && !suspended_ && !closed_; }
  zookeeper::ZkSessionInfo session() const override { return info_; }
  std::optional<zookeeper::LeaseClock::time_point> renewedSince() const override {
    if (!hasSession_)
      return std::nullopt;
    if (renewedSince_)
      return renewedSince_;
    return suspended_ ? suspendedAt_ : zookeeper::LeaseClock::now();  // just renewed
  }
  void setRenewalListener(std::function<void()> listener) override {
    renewalListener_ = std::move(listener);
  }
  void setKeepalive(zookeeper::KeepaliveMode mode) override { keepalive_ = mode; }

  void createNode(const std::string& path, const std::string& data, bool ephemeral, bool sequential,
                  CreateHandler handler) override {
    if (auto ec = refuse(Op::create))
      return answer([h = std::move(handler), ec] { h(ec, ""); });
    std::string created;
    auto ec = applyCreate(path, data, ephemeral ? info_.sessionId : 0, sequential, created);
    reply(Op::create, ec, [h = std::move(handler), created](std::error_code e) {
      h(e, e ? std::string() : created);
    });
  }
  void ensurePath(const std::string& path, VoidHandler handler) override {
    if (auto ec = refuse(Op::ensurePath))
      return answer([h = std::move(handler), ec] { h(ec); });
    std::error_code ec;
    for (std::size_t slash = path.find('/', 1); !ec; slash = path.find('/', slash + 1)) {
      std::string prefix = slash == std::string::npos ? path : path.substr(0, slash);
      std::string ignored;
      if (!nodes_.count(prefix))
        ec = applyCreate(prefix, "", 0, false, ignored);
      if (slash == std::string::npos)
        break;
    }
    reply(Op::ensurePath, ec, [h = std::move(handler)](std::error_code e) { h(e); });
  }
  void getData(const std::string& path, WatchHandler watch, DataHandler handler) override {
    if (auto ec = refuse(Op::getData))
      return answer([h = std::move(handler), ec] { h(ec, "", {}); });
    auto it = nodes_.find(path);
    std::error_code ec =
        it == nodes_.end() ? zookeeper::make_error_code(ZNONODE) : std::error_code();
    Node node = ec ? Node{} : it->second;
    if (!ec && watch)
      dataWatches_.emplace(path, std::move(watch));
    reply(Op::getData, ec, [h = std::move(handler), node](std::error_code e) {
      h(e, e ? std::string() : node.data, e ? zookeeper::ZkStat{} : node.stat);
    });
  }
  void exists(const std::string& path, WatchHandler watch, StatHandler handler) override {
    if (auto ec = refuse(Op::exists))
      return answer([h = std::move(handler), ec] { h(ec, {}); });
    auto it = nodes_.find(path);
    std::error_code ec =
        it == nodes_.end() ? zookeeper::make_error_code(ZNONODE) : std::error_code();
    zookeeper::ZkStat stat = ec ? zookeeper::ZkStat{} : it->second.stat;
    if (watch)  // an exists watch is set on a missing node too (it fires on create)
      dataWatches_.emplace(path, std::move(watch));
    reply(Op::exists, ec, [h = std::move(handler), stat](std::error_code e) { h(e, stat); });
  }
  void getChildren(const std::string& path, WatchHandler watch, ChildrenHandler handler) override {
    if (auto ec = refuse(Op::getChildren))
      return answer([h = std::move(handler), ec] { h(ec, {}); });
    std::error_code ec =
        nodes_.count(path) ? std::error_code() : zookeeper::make_error_code(ZNONODE);
    auto kids = ec ? std::vector<std::string>() : children(path);
    if (!ec && watch)
      childWatches_.emplace(path, std::move(watch));
    reply(Op::getChildren, ec, [h = std::move(handler), kids](std::error_code e) {
      h(e, e ? std::vector<std::string>() : kids);
    });
  }
  void statWatchingDeletion(const std::string& path, WatchHandler watch,
                            StatHandler handler) override {
    if (auto ec = refuse(Op::statWatchingDeletion))
      return answer([h = std::move(handler), ec] { h(ec, {}); });
    auto it = nodes_.find(path);
    std::error_code ec =
        it == nodes_.end() ? zookeeper::make_error_code(ZNONODE) : std::error_code();
    zookeeper::ZkStat stat = ec ? zookeeper::ZkStat{} : it->second.stat;
    if (!ec && watch)  // a child watch: fires when the node is deleted, not when it is written
      childWatches_.emplace(path, std::move(watch));
    reply(Op::statWatchingDeletion, ec,
          [h = std::move(handler), stat](std::error_code e) { h(e, stat); });
  }
  void setData(const std::string& path, const std::string& data, std::int32_t version,
               StatHandler handler) override {
    if (auto ec = refuse(Op::setData))
      return answer([h = std::move(handler), ec] { h(ec, {}); });
    auto ec = applySetData(path, data, version);
    zookeeper::ZkStat stat = ec ? zookeeper::ZkStat{} : nodes_[path].stat;
    reply(Op::setData, ec, [h = std::move(handler), stat](std::error_code e) { h(e, stat); });
  }
  void removeNode(const std::string& path, std::int32_t version, VoidHandler handler) override {
    if (auto ec = refuse(Op::remove))
      return answer([h = std::move(handler), ec] { h(ec); });
    auto ec = applyRemove(path, version);
    reply(Op::remove, ec, [h = std::move(handler)](std::error_code e) { h(e); });
  }
  void multi(std::vector<zookeeper::ZkOp> ops, MultiHandler handler) override {
    auto ec0 = refuse(Op::multi);
    multis_.push_back(ops);
    if (auto ec = ec0) {
      std::vector<zookeeper::ZkOpResult> results(ops.size());
      for (auto& r : results)
        r.error = ec;
      return answer([h = std::move(handler), ec, results] { h(ec, results); });
    }
    auto [ec, results] = applyMulti(ops);
    reply(Op::multi, ec,
          [h = std::move(handler), results = results](std::error_code e) { h(e, results); });
  }
  void removeWatches(const std::string& path, VoidHandler handler) override {
    dataWatches_.erase(path);
    childWatches_.erase(path);
    answer([h = std::move(handler)] { h({}); });
  }
  std::size_t watchCount() const override { return dataWatches_.size() + childWatches_.size(); }

  // --- the tree, as seen or changed by another session --------------------------------------
  std::optional<Node> node(const std::string& path) const {
    auto it = nodes_.find(path);
    return it == nodes_.end() ? std::nullopt : std::optional<Node>(it->second);
  }
  std::vector<std::string> children(const std::string& path) const {
    std::vector<std::string> out;
    std::string prefix = path == "/" ? "/" : path + "/";
    for (auto it = nodes_.lower_bound(prefix); it != nodes_.end(); ++it) {
      if (it->first.rfind(prefix, 0) != 0)
        break;
      if (it->first.find('/', prefix.size()) == std::string::npos)
        out.push_back(it->first.substr(prefix.size()));
    }
    return out;
  }
  // Creates a node owned by session `owner` (0: persistent); returns its path or throws.
  std::string createAs(std::int64_t owner, const std::string& path, const std::string& data = "",
                       bool sequential = false) {
    std::string created;
    if (auto ec = applyCreate(path, data, owner, sequential, created))
      throw std::system_error(ec, "FakeZkClient::createAs " + path);
    return created;
  }
  void setDataAs(const std::string& path, const std::string& data) {
    if (auto ec = applySetData(path, data, -1))
      throw std::system_error(ec, "FakeZkClient::setDataAs " + path);
  }
  void removeAs(const std::string& path) {
    if (auto ec = applyRemove(path, -1))
      throw std::system_error(ec, "FakeZkClient::removeAs " + path);
  }

  // --- requests, counted as they are issued (refused or not) -------------------------------
  int issued(Op op) const {
    auto it = issued_.find(op);
    return it == issued_.end() ? 0 : it->second;
  }
  int issuedTotal() const {
    int total = 0;
    for (const auto& [op, n] : issued_)
      total += n;
    return total;
  }
  // Every multi issued, its ops in order.
  const std::vector<std::vector<zookeeper::ZkOp>>& multis() const { return multis_; }
  void resetCounts() {
    issued_.clear();
    multis_.clear();
  }

  // --- faults --------------------------------------------------------------------------------
  void failNext(Op op, std::error_code error) { faults_[op].push_back({Fault::fail, error}); }
  void loseNextReply(Op op) { faults_[op].push_back({Fault::lose, {}}); }
  void holdNextReply(Op op) { faults_[op].push_back({Fault::hold, {}}); }
  // Delivers the held replies, in order; returns how many.
  std::size_t releaseHeld() {
    auto held = std::move(held_);
    held_.clear();
    for (auto& deliver : held)
      answer(std::move(deliver));
    return held.size();
  }
  std::size_t heldCount() const { return held_.size(); }

  void suspend() {
    if (!hasSession_ || suspended_)
      return;
    suspended_ = true;
    suspendedAt_ = zookeeper::LeaseClock::now();
    report(ConnectionState::suspended);
  }
  void resume() {
    if (!hasSession_ || !suspended_)
      return;
    suspended_ = false;
    report(ConnectionState::reconnected);
  }
  // The servers expired the session: its ephemerals and watches are gone; a new one follows.
  void expireSession() {
    endSession();
    info_.error = zookeeper::make_error_code(ZSESSIONEXPIRED);
    report(ConnectionState::lost);
    newSession();
  }
  // A fixed renewal proof instead of "just renewed"; nullopt: back to just renewed.
  void setRenewedSince(std::optional<zookeeper::LeaseClock::time_point> at) { renewedSince_ = at; }
  // As the client does when its proof advances: tells the renewal listener.
  void renew(zookeeper::LeaseClock::time_point at) {
    renewedSince_ = at;
    if (renewalListener_)
      boost::asio::post(executor_, renewalListener_);
  }
  zookeeper::KeepaliveMode keepalive() const { return keepalive_; }
  std::int64_t sessionId() const { return info_.sessionId; }

 private:
  enum class Fault { fail, lose, hold };
  struct PendingFault {
    Fault kind;
    std::error_code error;
  };

  template <typename Fn>
  void answer(Fn fn) {
    boost::asio::post(executor_, std::function<void()>(std::move(fn)));
  }
  // The error an operation is refused with before it reaches the "server", if any.
  std::error_code refuse(Op op) {
    ++issued_[op];
    if (closed_)
      return zookeeper::make_error_code(ZCLOSING);
    if (!hasSession_ || suspended_)
      return zookeeper::make_error_code(ZCONNECTIONLOSS);
    auto& queue = faults_[op];
    if (!queue.empty() && queue.front().kind == Fault::fail) {
      auto error = queue.front().error;
      queue.pop_front();
      return error;
    }
    return {};
  }
  // Answers an applied operation, unless a fault loses or holds its reply.
  void reply(Op op, std::error_code ec, std::function<void(std::error_code)> deliver) {
    auto& queue = faults_[op];
    if (!queue.empty() && queue.front().kind == Fault::lose) {
      queue.pop_front();
      answer([d = std::move(deliver)] { d(zookeeper::make_error_code(ZCONNECTIONLOSS)); });
      return;
    }
    if (!queue.empty() && queue.front().kind == Fault::hold) {
      queue.pop_front();
      held_.push_back([d = std::move(deliver), ec] { d(ec); });
      return;
    }
    answer([d = std::move(deliver), ec] { d(ec); });
  }

  static std::string parentOf(const std::string& path) {
    auto slash = path.rfind('/');
    return slash == 0 ? "/" : path.substr(0, slash);
  }

  std::error_code applyCreate(const std::string& path, const std::string& data, std::int64_t owner,
                              bool sequential, std::string& created) {
    auto parent = nodes_.find(parentOf(path));
    if (parent == nodes_.end())
      return zookeeper::make_error_code(ZNONODE);
    if (parent->second.stat.ephemeralOwner != 0)
      return zookeeper::make_error_code(ZNOCHILDRENFOREPHEMERALS);
    created = path;
    if (sequential) {
      char digits[16];
      std::snprintf(digits, sizeof digits, "%010d", parent->second.stat.cversion);
      created += digits;
    }
    if (nodes_.count(created))
      return zookeeper::make_error_code(ZNODEEXISTS);
    Node node{data, {}};
    node.stat.czxid = node.stat.mzxid = ++zxid_;
    node.stat.ephemeralOwner = owner;
    nodes_[created] = node;
    auto& p = nodes_[parentOf(created)].stat;
    ++p.cversion;
    ++p.numChildren;
    fire(dataWatches_, created, zookeeper::WatchEventType::created);
    fire(childWatches_, parentOf(created), zookeeper::WatchEventType::childrenChanged);
    return {};
  }
  std::error_code applyRemove(const std::string& path, std::int32_t version) {
    auto it = nodes_.find(path);
    if (it == nodes_.end())
      return zookeeper::make_error_code(ZNONODE);
    if (version != -1 && version != it->second.stat.version)
      return zookeeper::make_error_code(ZBADVERSION);
    if (it->second.stat.numChildren > 0)
      return zookeeper::make_error_code(ZNOTEMPTY);
    nodes_.erase(it);
    auto& p = nodes_[parentOf(path)].stat;
    ++p.cversion;
    --p.numChildren;
    ++zxid_;
    fire(dataWatches_, path, zookeeper::WatchEventType::deleted);
    fire(childWatches_, path, zookeeper::WatchEventType::deleted);
    fire(childWatches_, parentOf(path), zookeeper::WatchEventType::childrenChanged);
    return {};
  }
  std::error_code applySetData(const std::string& path, const std::string& data,
                               std::int32_t version) {
    auto it = nodes_.find(path);
    if (it == nodes_.end())
      return zookeeper::make_error_code(ZNONODE);
    if (version != -1 && version != it->second.stat.version)
      return zookeeper::make_error_code(ZBADVERSION);
    it->second.data = data;
    it->second.stat.mzxid = ++zxid_;
    ++it->second.stat.version;
    fire(dataWatches_, path, zookeeper::WatchEventType::dataChanged);
    return {};
  }
  std::pair<std::error_code, std::vector<zookeeper::ZkOpResult>> applyMulti(
      const std::vector<zookeeper::ZkOp>& ops) {
    // All or nothing: try on a copy with watches parked, keep it only if every op succeeded.
    auto savedNodes = nodes_;
    auto savedZxid = zxid_;
    auto savedData = dataWatches_;
    auto savedChild = childWatches_;
    auto savedFired = fired_;
    inMulti_ = true;
    std::vector<zookeeper::ZkOpResult> results(ops.size());
    std::error_code first;
    std::size_t failedAt = ops.size();
    for (std::size_t i = 0; i < ops.size() && !first; ++i) {
      const auto& op = ops[i];
      std::error_code ec;
      switch (op.kind) {
        case zookeeper::ZkOp::Kind::create:
          ec = applyCreate(op.path, op.data, op.ephemeral ? info_.sessionId : 0, op.sequential,
                           results[i].createdPath);
          break;
        case zookeeper::ZkOp::Kind::remove:
          ec = applyRemove(op.path, op.version);
          break;
        case zookeeper::ZkOp::Kind::setData:
          ec = applySetData(op.path, op.data, op.version);
          if (!ec)
            results[i].stat = nodes_[op.path].stat;
          break;
        case zookeeper::ZkOp::Kind::check: {
          auto it = nodes_.find(op.path);
          if (it == nodes_.end())
            ec = zookeeper::make_error_code(ZNONODE);
          else if (op.version != -1 && op.version != it->second.stat.version)
            ec = zookeeper::make_error_code(ZBADVERSION);
          break;
        }
      }
      if (ec) {
        first = ec;
        failedAt = i;
      }
    }
    inMulti_ = false;
    if (!first) {
      flushFired();
      return {first, results};
    }
    nodes_ = std::move(savedNodes);
    zxid_ = savedZxid;
    dataWatches_ = std::move(savedData);
    childWatches_ = std::move(savedChild);
    fired_ = std::move(savedFired);
    for (std::size_t i = 0; i < ops.size(); ++i) {
      results[i] = zookeeper::ZkOpResult{};
      results[i].error = i < failedAt    ? std::error_code()
                         : i == failedAt ? first
                                         : zookeeper::make_error_code(ZRUNTIMEINCONSISTENCY);
    }
    return {first, results};
  }

  using Watches = std::multimap<std::string, WatchHandler>;
  void fire(Watches& watches, const std::string& path, zookeeper::WatchEventType type) {
    auto [begin, end] = watches.equal_range(path);
    for (auto it = begin; it != end; ++it) {
      auto event = zookeeper::WatchEvent{type, path};
      fired_.push_back([h = std::move(it->second), event] { h(event); });
    }
    watches.erase(begin, end);
    if (!inMulti_)  // a multi's watches fire only if it succeeds (applyMulti)
      flushFired();
  }
  void flushFired() {
    for (auto& fn : fired_)
      answer(std::move(fn));
    fired_.clear();
  }

  void newSession() {
    if (closed_)
      return;
    hasSession_ = true;
    suspended_ = false;
    info_ = zookeeper::ZkSessionInfo{};
    info_.sessionId = nextSessionId_++;
    info_.generation = ++generation_;
    info_.negotiatedTimeout = negotiatedTimeout_;
    report(ConnectionState::connected);
  }
  void endSession() {
    if (!hasSession_)
      return;
    hasSession_ = false;
    dataWatches_.clear();
    childWatches_.clear();
    std::vector<std::string> ephemerals;
    for (const auto& [path, n] : nodes_) {
      if (n.stat.ephemeralOwner == info_.sessionId)
        ephemerals.push_back(path);
    }
    for (const auto& path : ephemerals)
      applyRemove(path, -1);
  }
  void report(ConnectionState state) {
    auto info = info_;
    answer([this, state, info] {
      if (listener_)
        listener_(state, info);
    });
  }

  boost::asio::any_io_executor executor_;
  std::chrono::milliseconds negotiatedTimeout_;
  StateListener listener_;
  std::function<void()> renewalListener_;
  std::map<std::string, Node> nodes_;
  Watches dataWatches_;
  Watches childWatches_;
  std::vector<std::function<void()>> fired_;
  std::map<Op, std::deque<PendingFault>> faults_;
  std::map<Op, int> issued_;
  std::vector<std::vector<zookeeper::ZkOp>> multis_;
  std::vector<std::function<void()>> held_;
  zookeeper::ZkSessionInfo info_;
  std::int64_t zxid_ = 0;
  std::int64_t nextSessionId_ = 0x100;
  std::uint64_t generation_ = 0;
  bool hasSession_ = false;
  bool suspended_ = false;
  bool closed_ = false;
  bool inMulti_ = false;
  zookeeper::LeaseClock::time_point suspendedAt_{};
  std::optional<zookeeper::LeaseClock::time_point> renewedSince_;
  zookeeper::KeepaliveMode keepalive_ = zookeeper::KeepaliveMode::none;
};

}  // namespace baton::test
