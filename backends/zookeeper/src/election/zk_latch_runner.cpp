#include "election/zk_latch_runner.hpp"

#include <fmt/format.h>

#include <algorithm>

#include <zookeeper/zookeeper.h>
#include <boost/asio/post.hpp>

#include "baton/error.hpp"
#include "baton/leader_session_id.hpp"
#include "baton/zookeeper/zk_error.hpp"
#include "client/lease/lease_deadline.hpp"
#include "client/lease/metrics_instant.hpp"
#include "election/node_cleanup.hpp"

namespace baton::zookeeper {

using namespace std::chrono_literals;
using detail::leaseCanBeHeld;

ZkLatchRunner::ZkLatchRunner(std::shared_ptr<ZkConnection> connection, LatchDriverSettings settings,
                             LeaderElectionDriver::Listener& listener,
                             std::shared_ptr<spdlog::logger> logger)
    : connection_(std::move(connection)),
      settings_(std::move(settings)),
      listener_(listener),
      logger_(std::move(logger)),
      machine_(settings_.paths.latchDir()),
      grant_(settings_.policy, settings_.leaseMargin),
      recheck_(settings_.retry),
      recheckTimer_(connection_->executor()),
      leaseTimer_(connection_->executor()) {}

void ZkLatchRunner::start() {
  store_ = std::make_shared<ZkLeaderStore>(
      connection_, settings_.paths, logger_,
      [this](const std::string& componentId, const LeaderInformation& stored) {
        report([&] { listener_.onLeaderInformationChange(componentId, stored); });
      });
  connection_->client().setRenewalListener([weak = weak_from_this()] {
    if (auto self = weak.lock())
      self->onRenewal();
  });
  subscription_ = connection_->subscribe(
      [self = shared_from_this()](ConnectionState state, const ZkSessionInfo& session) {
        self->onConnectionState(state, session);
      });
  feed(latch::Start{});
}

void ZkLatchRunner::close() {
  if (closed_)
    return;
  connection_->unsubscribe(subscription_);
  feed(latch::Close{});  // deletes our node; its Released reaches no one: the gate is closed
  closed_ = true;
  if (joinedNode_) {
    joinedNode_.reset();
    connection_->metrics().onParticipantLeft();
  }
  connection_->client().setRenewalListener(nullptr);
  connection_->client().setKeepalive(KeepaliveMode::none);
  store_->close();
  recheckTimer_.cancel();
  leaseTimer_.cancel();
}

void ZkLatchRunner::publish(const std::string& componentId, const LeaderInformation& info) {
  if (!closed_)
    store_->publish(componentId, info);
}

void ZkLatchRunner::remove(const std::string& componentId) {
  if (closed_)
    return;
  store_->remove(componentId);
  // One executor turn later: a close() posted right after this remove (the service leaving
  // the election) comes first and takes the delete into its one multi.
  boost::asio::post(connection_->executor(), [self = shared_from_this()] {
    if (!self->closed_)
      self->store_->flushRemovals();
  });
}

bool ZkLatchRunner::hasLeadership() const noexcept {
  return granted_ && leaseValid(Clock::now());
}

void ZkLatchRunner::onConnectionState(ConnectionState state, const ZkSessionInfo& session) {
  checkLease();
  if (state == ConnectionState::reconnected && session.generation != generation_) {
    // Started while the connection was suspended: ZkConnection replays only `connected`, so the
    // first news of this session is its reconnect. Entering only at the next new session would
    // keep this participant out of the election for as long as the session lives.
    state = ConnectionState::connected;
  }
  switch (state) {
    case ConnectionState::connected:
      generation_ = session.generation;
      negotiatedTimeout_ = session.negotiatedTimeout;
      suspended_ = false;
      if (!leaseCanBeHeld(negotiatedTimeout_, settings_.leaseMargin, settings_.tickTime)) {
        // It could queue but never lead; queued, and lowest, it would block everyone else.
        feed(latch::Unfit{
            session.generation, make_error_code(Errc::driver_failure),
            fmt::format("the servers negotiated a session timeout of {} ms, too short for a "
                        "lease with ha.lease.safety-margin {} ms and ha.zookeeper.tick-time {} "
                        "ms: this participant can never lead (raise the servers' "
                        "maxSessionTimeout or lower the margin)",
                        negotiatedTimeout_.count(), settings_.leaseMargin.count(),
                        settings_.tickTime.count())});
        return;
      }
      recheck_.reset();
      grant_.onSession(negotiatedTimeout_);
      store_->onNewSession();
      refreshLease();
      armLeaseTimer();
      feed(latch::SessionUp{session.generation, session.sessionId,
                            LeaderSessionId::random().toString()});
      break;
    case ConnectionState::suspended:
      suspended_ = true;
      feed(latch::SessionSuspended{});
      updateGrant("the ZooKeeper connection is suspended");
      break;
    case ConnectionState::reconnected:
      suspended_ = false;
      feed(latch::SessionResumed{});
      store_->onResumed();
      break;
    case ConnectionState::lost:
      suspended_ = false;
      feed(latch::SessionLost{});
      break;
  }
}

void ZkLatchRunner::feed(const latch::Event& event) {
  if (closed_ && !LatchStateMachine::mattersAfterClose(event))
    return;
  checkLease();
  std::string reason = "leadership lost";
  std::vector<latch::Action> actions;
  try {
    actions = machine_.handle(event);
  } catch (const std::logic_error& bug) {
    onLatchBug(bug);
    return;
  }
  for (const auto& action : actions) {
    if (const auto* released = std::get_if<latch::Released>(&action))
      reason = released->reason;
    perform(action);
  }
  updateGrant(reason);
  reportPlace();
}

void ZkLatchRunner::perform(const latch::Action& action) {
  if (const auto* acquired = std::get_if<latch::Acquired>(&action)) {
    epoch_ = acquired->epoch;
    recheck_.reset();
    store_->setFence(acquired->path);
    connection_->latchFence().publish(acquired->path, acquired->epoch);
    logger_->info("latch acquired: {} (epoch {})", acquired->path, acquired->epoch);
  } else if (const auto* released = std::get_if<latch::Released>(&action)) {
    store_->setFence(std::nullopt);
    connection_->latchFence().withdraw();
    logger_->info("latch released: {}", released->reason);
  } else if (std::holds_alternative<latch::ScheduleRecheck>(action)) {
    scheduleRecheck();
  } else if (const auto* fail = std::get_if<latch::Fail>(&action)) {
    // The node is gone (LatchStateMachine::fail): the service may retire this driver and a
    // restarted election rejoin. Revoked first, then nothing is reported after the failure.
    updateGrant("the leader latch failed");
    logger_->error("leader latch failed and left the election: {}: {}", fail->what,
                   fail->error.message());
    std::system_error error(fail->error, "the leader latch left the election: " + fail->what);
    report([&] { listener_.onFailure(error); });
    failed_ = true;
  } else {
    performRequest(action);
  }
}

void ZkLatchRunner::performRequest(const latch::Action& action) {
  auto& client = connection_->client();
  auto self = shared_from_this();
  auto gen = generation_;
  if (std::holds_alternative<latch::EnsureLatchPath>(action)) {
    client.ensurePath(machine_.latchDir(), [self, gen](std::error_code ec) {
      self->feed(latch::PathEnsured{gen, ec});
    });
  } else if (const auto* create = std::get_if<latch::CreateNode>(&action)) {
    client.createNode(create->pathPrefix, encodeParticipant(settings_.participant), true, true,
                      [self, gen](std::error_code ec, const std::string& path) {
                        self->feed(latch::Created{gen, ec, path});
                      });
  } else if (std::holds_alternative<latch::ListChildren>(action)) {
    client.getChildren(machine_.latchDir(), nullptr,
                       [self, gen](std::error_code ec, const std::vector<std::string>& children) {
                         self->feed(latch::Listed{gen, ec, children});
                       });
  } else if (const auto* read = std::get_if<latch::ReadPredecessor>(&action)) {
    auto path = read->path;
    client.getData(
        path,
        [self, gen, path](const WatchEvent&) {
          self->feed(latch::PredecessorGone{gen, path});
        },
        [self, gen, path](std::error_code ec, const std::string&, const ZkStat&) {
          self->feed(latch::PredecessorRead{gen, ec, path});
        });
  } else if (const auto* verify = std::get_if<latch::VerifyOwnNode>(&action)) {
    auto path = verify->path;
    client.statWatchingDeletion(
        path,
        [self, gen, path](const WatchEvent&) {
          self->feed(latch::OwnNodeWatchFired{gen, path});
        },
        [self, gen, path](std::error_code ec, const ZkStat& stat) {
          self->feed(latch::Verified{gen, ec, path, stat.ephemeralOwner, stat.czxid});
        });
  } else if (const auto* del = std::get_if<latch::DeleteNode>(&action)) {
    releaseNode(del->path, store_->releaseOps(del->path), client.session().generation, 0);
  } else if (const auto* find = std::get_if<latch::DeleteProtectedNode>(&action)) {
    deleteProtectedNode(find->namePrefix, client.session().generation, 0);
  } else if (const auto* notify = std::get_if<latch::NotifySuccessor>(&action)) {
    auto path = notify->path;
    client.setData(path, encodeParticipant(settings_.participant), -1,
                   [self, path](std::error_code ec, const ZkStat&) {
                     if (ec) {  // a hint: its loss costs the successor a tick, nothing more
                       self->logger_->debug("notifying the participant behind {} failed: {}", path,
                                            ec.message());
                     }
                   });
  } else if (const auto* remove = std::get_if<latch::RemoveWatches>(&action)) {
    client.removeWatches(remove->path, [](std::error_code) {});
  }
}

void ZkLatchRunner::deleteNode(const std::string& path, std::uint64_t sessionGeneration,
                               int attempt) {
  auto self = shared_from_this();
  connection_->client().removeNode(
      path, -1, [self, path, sessionGeneration, attempt](std::error_code ec) {
        bool sessionLives = self->connection_->client().session().generation == sessionGeneration;
        auto step = NodeCleanup::afterDelete(ec, sessionLives, attempt, self->settings_.retry);
        switch (step.next) {
          case NodeCleanup::Next::done:
            self->feed(latch::NodeDeleted{sessionGeneration, path, {}});
            break;
          case NodeCleanup::Next::gaveUp:
            self->logger_->warn("deleting latch node {} failed: {}", path, ec.message());
            self->feed(latch::NodeDeleted{sessionGeneration, path, ec});
            break;
          case NodeCleanup::Next::sessionEnded:
            break;  // the session took the node with it (SessionLost tells the latch)
          case NodeCleanup::Next::retry:
            self->retryAfter(step.delay, [self, path, sessionGeneration, attempt] {
              self->deleteNode(path, sessionGeneration, attempt + 1);
            });
            break;
        }
      });
}

void ZkLatchRunner::releaseNode(const std::string& path, std::vector<ZkOp> infoOps,
                                std::uint64_t sessionGeneration, int attempt) {
  if (infoOps.empty()) {
    deleteNode(path, sessionGeneration, attempt);
    return;
  }
  auto ops = infoOps;
  ops.push_back(ZkOp::remove(path));
  auto self = shared_from_this();
  connection_->client().multi(std::move(ops), [self, path, infoOps, sessionGeneration, attempt](
                                                  std::error_code ec,
                                                  const std::vector<ZkOpResult>& results) {
    bool sessionLives = self->connection_->client().session().generation == sessionGeneration;
    std::vector<std::error_code> opErrors;
    for (const auto& result : results) {
      opErrors.push_back(result.error == make_error_code(ZRUNTIMEINCONSISTENCY) ? std::error_code()
                                                                                : result.error);
    }
    auto step = NodeCleanup::afterRelease(ec, opErrors, infoOps.size(), sessionLives, attempt,
                                          self->settings_.retry);
    switch (step.next) {
      case NodeCleanup::Next::done:
        self->feed(latch::NodeDeleted{sessionGeneration, path, {}});
        break;
      case NodeCleanup::Next::gaveUp:
        self->logger_->warn("deleting latch node {} and our leader information failed: {}", path,
                            ec.message());
        self->feed(latch::NodeDeleted{sessionGeneration, path, ec});
        break;
      case NodeCleanup::Next::sessionEnded:
        break;
      case NodeCleanup::Next::retry: {
        std::vector<ZkOp> rest;
        for (std::size_t i = 0; i < infoOps.size(); ++i) {
          if (std::find(step.drop.begin(), step.drop.end(), i) == step.drop.end())
            rest.push_back(infoOps[i]);
        }
        if (step.latchGone) {
          // Not ours to delete any more (or deleted by a lost reply's multi): what is left of
          // our information goes in a multi of its own.
          self->feed(latch::NodeDeleted{sessionGeneration, path, {}});
          if (!rest.empty())
            self->connection_->client().multi(std::move(rest), [](auto, const auto&) {});
          break;
        }
        if (step.drop.empty()) {  // a connection problem: the same multi again, later
          self->retryAfter(step.delay, [self, path, infoOps, sessionGeneration, attempt] {
            self->releaseNode(path, infoOps, sessionGeneration, attempt + 1);
          });
        } else {
          self->logger_->info(
              "leader information changed or gone while leaving; deleting the "
              "latch node {} without it",
              path);
          self->releaseNode(path, std::move(rest), sessionGeneration, attempt);
        }
        break;
      }
    }
  });
}

void ZkLatchRunner::deleteProtectedNode(const std::string& namePrefix,
                                        std::uint64_t sessionGeneration, int attempt) {
  auto self = shared_from_this();
  connection_->client().getChildren(
      machine_.latchDir(), nullptr,
      [self, namePrefix, sessionGeneration, attempt](std::error_code ec,
                                                     const std::vector<std::string>& children) {
        bool sessionLives = self->connection_->client().session().generation == sessionGeneration;
        auto step = NodeCleanup::afterSearch(ec, children, namePrefix, sessionLives, attempt,
                                             self->settings_.retry);
        switch (step.next) {
          case NodeCleanup::Next::done:
            for (const auto& child : step.toDelete)
              self->deleteNode(self->machine_.latchDir() + "/" + child, sessionGeneration, 0);
            break;
          case NodeCleanup::Next::gaveUp:
            self->logger_->warn(
                "cannot look for latch node {}* to delete it: {}; it stays until the session "
                "ends",
                namePrefix, ec.message());
            break;
          case NodeCleanup::Next::sessionEnded:
            break;
          case NodeCleanup::Next::retry:
            self->retryAfter(step.delay, [self, namePrefix, sessionGeneration, attempt] {
              self->deleteProtectedNode(namePrefix, sessionGeneration, attempt + 1);
            });
            break;
        }
      });
}

void ZkLatchRunner::retryAfter(std::chrono::milliseconds delay, std::function<void()> retry) {
  auto timer = std::make_shared<boost::asio::steady_timer>(connection_->executor());
  timer->expires_after(delay);
  timer->async_wait([timer, retry = std::move(retry)](std::error_code e) {
    if (!e)
      retry();
  });
}

void ZkLatchRunner::scheduleRecheck() {
  auto plan = recheck_.next();
  if (plan.reportStuck) {
    std::system_error error(make_error_code(ZOPERATIONTIMEOUT),
                            "the leader latch keeps failing with retryable errors; still retrying");
    report([&] { listener_.onError(error); });
  }
  recheckTimer_.expires_after(plan.delay);
  recheckTimer_.async_wait([self = shared_from_this(), gen = generation_](std::error_code ec) {
    if (!ec)
      self->feed(latch::RecheckDue{gen});
  });
}

void ZkLatchRunner::onLatchBug(const std::logic_error& bug) {
  logger_->error("leader latch: {}; leaving the election", bug.what());
  for (const auto& action : machine_.handle(latch::Close{}))
    perform(action);  // Close is an edge from every phase but closed: it cannot throw
  updateGrant("the leader latch failed");
  std::system_error error(make_error_code(Errc::driver_failure),
                          std::string("the leader latch left the election: ") + bug.what());
  report([&] { listener_.onFailure(error); });
  failed_ = true;
}

GrantPolicy::LatchView ZkLatchRunner::latchView() const {
  return {closed_,    machine_.isHeld(),       machine_.phase(),
          suspended_, machine_.isNextInLine(), grant_.leaseValid(Clock::now())};
}

void ZkLatchRunner::updateGrant(const std::string& reason) {
  auto change = grant_.update(latchView(), Clock::now());
  granted_ = grant_.granted();
  if (change == GrantPolicy::Change::grant)
    report([&] { listener_.onGrantLeadership(static_cast<std::uint64_t>(epoch_)); });
  else if (change == GrantPolicy::Change::revoke)
    report([&] { listener_.onRevokeLeadership(reason); });
  armLeaseTimer();
  connection_->client().setKeepalive(GrantPolicy::keepaliveFor(latchView()));
  reportLease();
}

void ZkLatchRunner::onRenewal() {
  if (closed_)
    return;
  checkLease();
  updateGrant("the lease ran out");
}

void ZkLatchRunner::checkLease() {
  // First thing after any wake-up (a state change, a result, a watch, a timer): a process that
  // was frozen past its deadline revokes before the event can make it act (issue requests,
  // report anything else).
  refreshLease();
  if (granted_ && !leaseValid(Clock::now()))
    updateGrant("the lease ran out");
}

bool ZkLatchRunner::leaseValid(Clock::time_point now) const {
  return now.time_since_epoch().count() < leaseDeadline_.load();
}

void ZkLatchRunner::refreshLease() {
  grant_.onRenewal(connection_->client().renewedSince());
  leaseDeadline_ = grant_.deadline().time_since_epoch().count();
  reportLease();
}

void ZkLatchRunner::reportLease() {
  const auto deadline = granted_ ? grant_.deadline() : Clock::time_point::max();
  if (reportedLease_ == deadline)
    return;
  reportedLease_ = deadline;
  connection_->metrics().onLeaseDeadline(toMetricsClock(deadline));
}

void ZkLatchRunner::reportPlace() {
  const auto& own = machine_.ownPath();
  auto nameOf = [](const std::string& path) { return path.substr(path.rfind('/') + 1); };
  auto& metrics = connection_->metrics();
  if (joinedNode_ && (!own || nameOf(*own) != *joinedNode_)) {
    joinedNode_.reset();  // deleted, lost with its session, or replaced by a new node
    metrics.onParticipantLeft();
  }
  const auto& place = machine_.place();
  if (!own || !place || place->listing == reportedListing_ || place->node != nameOf(*own))
    return;
  reportedListing_ = place->listing;
  if (joinedNode_ == place->node) {
    metrics.onQueuePosition(place->position);
  } else {
    joinedNode_ = place->node;
    metrics.onParticipantJoined(place->node, place->position);
  }
}

void ZkLatchRunner::armLeaseTimer() {
  auto wake = grant_.wakeAt(latchView(), Clock::now());
  if (!wake) {
    leaseTimer_.cancel();
    armedDeadline_.reset();
    return;
  }
  if (armedDeadline_ == wake)
    return;
  armedDeadline_ = wake;
  leaseTimer_.expires_at(*wake);
  leaseTimer_.async_wait([self = shared_from_this()](std::error_code ec) {
    if (ec || self->closed_)
      return;
    self->armedDeadline_.reset();
    self->checkLease();
    self->armLeaseTimer();
  });
}

void ZkLatchRunner::report(const std::function<void()>& call) {
  if (!failed_)  // onFailure is the driver's last word
    gate_.invoke(call);
}

}  // namespace baton::zookeeper
