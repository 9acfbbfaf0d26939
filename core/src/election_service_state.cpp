#include "election_service_state.hpp"

#include <stdexcept>
#include <vector>

#include "baton/component_id.hpp"
#include "baton/error.hpp"
#include "baton/logging.hpp"
#include "baton/support/async_leader_action.hpp"
#include "revoke_reason_word.hpp"

namespace baton {

using detail::ContenderLane;
using support::MetricsOutbox;

void DefaultLeaderElectionService::State::reserve(const std::string& componentId) {
  validateComponentId(componentId);
  std::lock_guard lock(mutex_);
  if (closed_)
    throw std::logic_error("createLeaderElection on a closed service");
  if (!registrations_.try_emplace(componentId).second) {
    throw std::invalid_argument("component '" + componentId +
                                "' already has an open LeaderElection in this service");
  }
}

void DefaultLeaderElectionService::State::start(const std::string& componentId,
                                                LeaderContender& contender) {
  // Built before the lock: it may start a thread. Dropped unused (and its thread joined) if
  // the start fails.
  auto lane = ContenderLane::create(
      contender,
      [weak = weak_from_this(), componentId](const LeaderSessionId& id) {
        auto state = weak.lock();
        return state && state->hasLeadership(componentId, id);
      },
      callbackExecutor_, componentId, logger_);
  MetricsOutbox::DrainAtExit drain(metrics_);
  std::lock_guard lock(mutex_);
  auto it = registrations_.find(componentId);
  if (closed_ || it == registrations_.end()) {
    throw std::logic_error("startLeaderElection on a closed service: " + componentId);
  }
  Registration& registration = it->second;
  if (!active_.driver) {
    // The first contender brings the driver up; it reports a grant asynchronously.
    ++generation_;
    auto listener = std::make_unique<DriverListener>(*this, generation_);
    auto driver = factory_->createDriver(*listener);
    active_ = ActiveDriver{std::move(listener), std::move(driver)};
  }
  registration.lane = std::move(lane);
  logger_->debug("contender for '{}' started", componentId);
  if (isLeadingLocked())
    grantLocked(componentId, registration);
}

void DefaultLeaderElectionService::State::confirm(const std::string& componentId,
                                                  const LeaderSessionId& id,
                                                  const std::string& address) {
  std::lock_guard lock(mutex_);
  Registration* registration = findStartedLocked(componentId);
  if (!registration || !issued_ || *issued_ != id || registration->grantedSession != id) {
    logger_->warn("ignoring confirmation of '{}' for session {}: not the current leader session",
                  componentId, id.toString());
    return;
  }
  LeaderInformation info(id, address);
  if (registration->confirmed == info)
    return;
  registration->confirmed = info;
  logger_->info("publishing leader information of '{}': {}", componentId, info.toString());
  active_.driver->publishLeaderInformation(componentId, info);
}

bool DefaultLeaderElectionService::State::hasLeadership(const std::string& componentId,
                                                        const LeaderSessionId& id) const {
  std::lock_guard lock(mutex_);
  auto it = registrations_.find(componentId);
  if (it == registrations_.end() || !it->second.lane)
    return false;
  return issued_ == id && it->second.grantedSession == id && active_.driver &&
         active_.driver->hasLeadership();
}

std::optional<FencingToken> DefaultLeaderElectionService::State::fencingToken(
    const std::string* componentId, const LeaderSessionId& id) const {
  std::lock_guard lock(mutex_);
  if (issued_ != id || !active_.driver || !active_.driver->hasLeadership())
    return std::nullopt;
  if (componentId) {
    auto it = registrations_.find(*componentId);
    if (it == registrations_.end() || it->second.grantedSession != id)
      return std::nullopt;
  }
  return FencingToken{id, epoch_};
}

std::error_code DefaultLeaderElectionService::State::runIfLeader(
    const std::string& componentId, const LeaderSessionId& id,
    const std::function<void()>& action) {
  std::shared_ptr<ContenderLane> lane;
  {
    std::lock_guard lock(mutex_);
    Registration* registration = findStartedLocked(componentId);
    if (!registration)
      return make_error_code(Errc::leadership_lost);
    lane = registration->lane;
  }
  // Exclusive with the contender's callbacks: a revoke cannot run while the action does.
  std::error_code result = make_error_code(Errc::leadership_lost);
  lane->runExclusive([&] {
    if (!hasLeadership(componentId, id))
      return;
    result = {};
    action();
  });
  return result;
}

std::future<std::error_code> DefaultLeaderElectionService::State::runAsyncIfLeader(
    const std::string& componentId, const LeaderSessionId& id, std::function<void()> action) {
  std::shared_ptr<ContenderLane> lane;
  {
    std::lock_guard lock(mutex_);
    Registration* registration = findStartedLocked(componentId);
    if (!registration)
      return support::leadershipLostFuture();
    lane = registration->lane;
  }
  // Checked again when its turn comes on the lane: leadership may end while it waits.
  auto request =
      support::makeAsyncLeaderAction(std::move(action), [weak = weak_from_this(), componentId, id] {
        auto state = weak.lock();
        return state && state->hasLeadership(componentId, id);
      });
  // A lane closed meanwhile drops the task, which completes the future with leadership_lost.
  lane->post(std::move(request.task));
  return std::move(request.result);
}

std::optional<LeaderSessionId> DefaultLeaderElectionService::State::awaitLeadership(
    const std::string& componentId, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock lock(mutex_);
  Registration* registration = findStartedLocked(componentId);
  if (!registration)
    return std::nullopt;
  const std::shared_ptr<ContenderLane> lane = registration->lane;
  if (lane->inCallback()) {
    throw std::logic_error("awaitLeadership called from inside a callback of the contender of '" +
                           componentId + "': its grant could not be delivered while it waits");
  }
  std::optional<LeaderSessionId> result;
  leadershipChanged_.wait_until(lock, deadline, [&] {
    Registration* current = findStartedLocked(componentId);
    // Gone, or replaced by a later election of the same component: this one has left.
    if (closed_ || !current || current->lane != lane || current->failed)
      return true;
    if (current->grantedSession && issued_ == current->grantedSession && active_.driver &&
        active_.driver->hasLeadership()) {
      result = current->grantedSession;
      return true;
    }
    return false;
  });
  return result;
}

void DefaultLeaderElectionService::State::remove(const std::string& componentId) noexcept {
  std::shared_ptr<ContenderLane> lane;
  ActiveDriver retired;
  bool deleteOnLeaving = false;
  {
    MetricsOutbox::DrainAtExit drain(metrics_);
    std::lock_guard lock(mutex_);
    auto it = registrations_.find(componentId);
    if (it == registrations_.end())
      return;
    Registration& registration = it->second;
    lane = registration.lane;
    reportEndLocked(componentId, registration, "closed");
    bool published =
        registration.grantedSession && !registration.confirmed.isEmpty() && active_.driver;
    registrations_.erase(it);
    if (startedCountLocked() == 0) {
      retired = retireDriverLocked();
      deleteOnLeaving = published;
    } else if (published) {
      active_.driver->deleteLeaderInformation(componentId);
    }
  }
  leadershipChanged_.notify_all();
  // The contender is revoked before the driver leaves the election, so that this process
  // stops acting as leader before a successor can be granted. Closed from inside its own
  // callback, the revoke waits for that callback to return, and so must the driver. A leaving
  // driver is asked to delete the information right before close, back to back, so that a
  // backend can make both one write (ZooKeeper: one multi, docs/zookeeper.md).
  auto retiredDriver = std::make_shared<ActiveDriver>(std::move(retired));
  auto leave = [retiredDriver, componentId, deleteOnLeaving] {
    if (deleteOnLeaving && retiredDriver->driver)
      retiredDriver->driver->deleteLeaderInformation(componentId);
    retiredDriver->close();
  };
  if (!lane) {
    leave();
    return;
  }
  lane->close([leave, keepAlive = shared_from_this()] { leave(); });
}

void DefaultLeaderElectionService::State::close() noexcept {
  std::vector<std::shared_ptr<ContenderLane>> toClose;
  ActiveDriver retired;
  {
    MetricsOutbox::DrainAtExit drain(metrics_);
    std::lock_guard lock(mutex_);
    if (closed_)
      return;
    closed_ = true;
    for (auto& [id, registration] : registrations_) {
      reportEndLocked(id, registration, "closed");
      if (registration.lane)
        toClose.push_back(registration.lane);
    }
    registrations_.clear();
    retired = retireDriverLocked();
  }
  leadershipChanged_.notify_all();
  // One after the other: each waits only for its own contender's running callback.
  for (auto& lane : toClose)
    lane->close(nullptr);
  retired.close();
}

void DefaultLeaderElectionService::State::onGrant(std::uint64_t generation, std::uint64_t epoch) {
  MetricsOutbox::DrainAtExit drain(metrics_);
  std::lock_guard lock(mutex_);
  if (generation != generation_ || !active_.driver)
    return;
  if (issued_) {
    logger_->warn("driver granted leadership twice without a revoke; ignoring the second grant");
    return;
  }
  issued_ = LeaderSessionId::random();
  epoch_ = epoch;
  logger_->info("leadership granted: session {} epoch {}", issued_->toString(), epoch);
  for (auto& [componentId, registration] : registrations_) {
    if (registration.lane && !registration.failed)
      grantLocked(componentId, registration);
  }
}

void DefaultLeaderElectionService::State::onRevoke(std::uint64_t generation,
                                                   const std::string& reason) {
  MetricsOutbox::DrainAtExit drain(metrics_);
  std::lock_guard lock(mutex_);
  if (generation != generation_ || !issued_)
    return;
  logger_->info("leadership of session {} revoked: {}", issued_->toString(), reason);
  issued_.reset();
  const std::string_view word = detail::revokeReasonWord(reason);
  for (auto& [componentId, registration] : registrations_)
    revokeLocked(componentId, registration, word);
}

void DefaultLeaderElectionService::State::onStoredChange(std::uint64_t generation,
                                                         const std::string& componentId,
                                                         const LeaderInformation& stored) {
  std::lock_guard lock(mutex_);
  if (generation != generation_ || !issued_)
    return;
  Registration* registration = findStartedLocked(componentId);
  if (!registration || registration->confirmed.isEmpty() || registration->confirmed == stored) {
    return;
  }
  logger_->warn("leader information of '{}' was changed to {}; restoring {}", componentId,
                stored.toString(), registration->confirmed.toString());
  active_.driver->publishLeaderInformation(componentId, registration->confirmed);
}

void DefaultLeaderElectionService::State::onError(std::uint64_t generation,
                                                  const std::system_error& error) {
  std::lock_guard lock(mutex_);
  if (generation != generation_)
    return;
  logger_->error("leader election driver reports: {}", error.what());
  for (auto& [componentId, registration] : registrations_) {
    if (registration.lane && !registration.failed)
      postErrorLocked(registration, error);
  }
}

void DefaultLeaderElectionService::State::onFailure(std::uint64_t generation,
                                                    const std::system_error& error) {
  ActiveDriver retired;
  {
    MetricsOutbox::DrainAtExit drain(metrics_);
    std::lock_guard lock(mutex_);
    if (generation != generation_ || !active_.driver)
      return;
    logger_->error("leader election driver failed and left the election: {}", error.what());
    metrics_.push([error](HaMetrics& metrics) { metrics.onBackendFailure(error); });
    for (auto& [componentId, registration] : registrations_) {
      if (!registration.lane || registration.failed)
        continue;
      revokeLocked(componentId, registration, "failed");
      postErrorLocked(registration, error);
      registration.failed = true;
    }
    retired = retireDriverLocked();
  }
  leadershipChanged_.notify_all();
  // Outside the lock; from inside the driver's own listener call, so it does not wait.
  retired.close();
}

void DefaultLeaderElectionService::State::postErrorLocked(Registration& registration,
                                                          const std::system_error& error) {
  registration.lane->error(error);
}

void DefaultLeaderElectionService::State::grantLocked(const std::string& componentId,
                                                      Registration& registration) {
  registration.grantedSession = issued_;
  registration.grantedAt = std::chrono::steady_clock::now();
  registration.confirmed = LeaderInformation::empty();
  logger_->debug("granting '{}' session {}", componentId, issued_->toString());
  metrics_.push([componentId](HaMetrics& metrics) {
    metrics.onLeaderStatus(componentId, true);
    metrics.onLeadershipTransition(componentId, HaMetrics::Transition::granted, {});
  });
  // The lane re-checks it before delivery (hasLeadership): a grant that waited while the
  // process froze or the lease ran out must not reach the contender after leadership ended.
  registration.lane->grant(*issued_);
  leadershipChanged_.notify_all();
}

void DefaultLeaderElectionService::State::revokeLocked(const std::string& componentId,
                                                       Registration& registration,
                                                       std::string_view reason) {
  if (!registration.grantedSession)
    return;
  reportEndLocked(componentId, registration, reason);
  registration.grantedSession.reset();
  registration.confirmed = LeaderInformation::empty();
  registration.lane->revoke();
}

void DefaultLeaderElectionService::State::reportEndLocked(const std::string& componentId,
                                                          const Registration& registration,
                                                          std::string_view reason) {
  if (!registration.grantedSession)
    return;
  const auto tenure = std::chrono::steady_clock::now() - registration.grantedAt;
  metrics_.push([componentId, reason = std::string(reason), tenure](HaMetrics& metrics) {
    metrics.onLeaderStatus(componentId, false);
    metrics.onLeadershipTransition(componentId, HaMetrics::Transition::revoked, reason);
    metrics.onLeadershipTenure(componentId, tenure);
  });
}

std::size_t DefaultLeaderElectionService::State::startedCountLocked() const {
  std::size_t n = 0;
  for (const auto& [id, registration] : registrations_)
    n += registration.lane && !registration.failed ? 1 : 0;
  return n;
}

DefaultLeaderElectionService::State::ActiveDriver
DefaultLeaderElectionService::State::retireDriverLocked() {
  ++generation_;  // facts still in flight from the retired driver are now stale
  issued_.reset();
  return std::exchange(active_, ActiveDriver{});
}

DefaultLeaderElectionService::State::Registration*
DefaultLeaderElectionService::State::findStartedLocked(const std::string& componentId) {
  auto it = registrations_.find(componentId);
  return it == registrations_.end() || !it->second.lane ? nullptr : &it->second;
}

}  // namespace baton
