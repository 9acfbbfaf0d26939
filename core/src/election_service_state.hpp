// The shared state behind DefaultLeaderElectionService and every LeaderElection it hands out:
// the registrations, the one driver and the grants it reports. Private to core.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include "baton/default_leader_election_service.hpp"
#include "baton/logging.hpp"
#include "baton/support/metrics_outbox.hpp"
#include "contender_lane.hpp"

namespace baton {

// The service's shared state. Lock order: State::mutex_ is a leaf with respect to contender
// code (never held while a contender runs) but may be held while calling into the driver,
// which is non-blocking and never calls its listener synchronously, and into a
// ContenderLane, whose own lock comes after it.
class DefaultLeaderElectionService::State : public std::enable_shared_from_this<State> {
 public:
  State(std::unique_ptr<LeaderElectionDriverFactory> factory,
        std::optional<boost::asio::any_io_executor> callbackExecutor,
        std::shared_ptr<spdlog::logger> logger, std::shared_ptr<HaMetrics> metrics)
      : factory_(std::move(factory)),
        callbackExecutor_(std::move(callbackExecutor)),
        logger_(loggerOrQuiet(std::move(logger))),
        metrics_(std::move(metrics)) {}

  void reserve(const std::string& componentId);
  void start(const std::string& componentId, LeaderContender& contender);
  void confirm(const std::string& componentId, const LeaderSessionId& id,
               const std::string& address);
  bool hasLeadership(const std::string& componentId, const LeaderSessionId& id) const;
  std::optional<FencingToken> fencingToken(const std::string* componentId,
                                           const LeaderSessionId& id) const;
  std::error_code runIfLeader(const std::string& componentId, const LeaderSessionId& id,
                              const std::function<void()>& action);
  std::future<std::error_code> runAsyncIfLeader(const std::string& componentId,
                                                const LeaderSessionId& id,
                                                std::function<void()> action);
  std::optional<LeaderSessionId> awaitLeadership(const std::string& componentId,
                                                 std::chrono::milliseconds timeout);
  void remove(const std::string& componentId) noexcept;
  void close() noexcept;

  // Driver facts, tagged with the generation of the driver that produced them.
  void onGrant(std::uint64_t generation, std::uint64_t epoch);
  void onRevoke(std::uint64_t generation, const std::string& reason);
  void onStoredChange(std::uint64_t generation, const std::string& componentId,
                      const LeaderInformation& stored);
  void onError(std::uint64_t generation, const std::system_error& error);
  void onFailure(std::uint64_t generation, const std::system_error& error);

 private:
  // Forwards one driver's facts with its generation, so that facts from a retired driver that
  // were already in flight when it was replaced are recognised and dropped.
  class DriverListener final : public LeaderElectionDriver::Listener {
   public:
    DriverListener(State& state, std::uint64_t generation)
        : state_(state), generation_(generation) {}
    void onGrantLeadership(std::uint64_t epoch) override { state_.onGrant(generation_, epoch); }
    void onRevokeLeadership(const std::string& reason) override {
      state_.onRevoke(generation_, reason);
    }
    void onLeaderInformationChange(const std::string& componentId,
                                   const LeaderInformation& stored) override {
      state_.onStoredChange(generation_, componentId, stored);
    }
    void onError(const std::system_error& error) override { state_.onError(generation_, error); }
    void onFailure(const std::system_error& error) override {
      state_.onFailure(generation_, error);
    }

   private:
    State& state_;
    std::uint64_t generation_;
  };

  struct ActiveDriver {
    std::unique_ptr<DriverListener> listener;  // must outlive driver->close()
    std::unique_ptr<LeaderElectionDriver> driver;
    void close() noexcept {
      if (driver)
        driver->close();
      driver.reset();
      listener.reset();
    }
  };

  struct Registration {
    std::shared_ptr<detail::ContenderLane> lane;      // null until started
    std::optional<LeaderSessionId> grantedSession;    // the grant posted and not yet revoked
    LeaderInformation confirmed;                      // confirmed under grantedSession
    std::chrono::steady_clock::time_point grantedAt;  // of grantedSession: for the tenure
    // Its driver failed: it is not granted again; the application rejoins by closing this
    // LeaderElection and starting a new one.
    bool failed = false;
  };

  bool isLeadingLocked() const { return issued_.has_value(); }
  void grantLocked(const std::string& componentId, Registration& registration);
  // reason: the word reported to HaMetrics (revoke_reason_word.hpp).
  void revokeLocked(const std::string& componentId, Registration& registration,
                    std::string_view reason);
  // Reports the end of registration's grant, if it has one (status, transition, tenure).
  void reportEndLocked(const std::string& componentId, const Registration& registration,
                       std::string_view reason);
  void postErrorLocked(Registration& registration, const std::system_error& error);
  std::size_t startedCountLocked() const;
  ActiveDriver retireDriverLocked();
  Registration* findStartedLocked(const std::string& componentId);

  std::unique_ptr<LeaderElectionDriverFactory> factory_;
  // Empty: every started contender gets a lane with a thread of its own.
  std::optional<boost::asio::any_io_executor> callbackExecutor_;
  std::shared_ptr<spdlog::logger> logger_;
  // Grants and revokes are decided under mutex_ and reported after it (DrainAtExit).
  support::MetricsOutbox metrics_;

  mutable std::mutex mutex_;
  // Wakes awaitLeadership: notified on every grant, on a contender's leaving, on failure and
  // on close.
  std::condition_variable leadershipChanged_;
  bool closed_ = false;
  std::map<std::string, Registration> registrations_;
  ActiveDriver active_;
  std::uint64_t generation_ = 0;
  std::optional<LeaderSessionId> issued_;  // set while the driver reports leadership
  std::uint64_t epoch_ = 0;
};

}  // namespace baton
