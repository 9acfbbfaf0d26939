#pragma once

#include <atomic>
#include <future>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/asio/post.hpp>

#include "baton/leader_election_driver.hpp"
#include "baton/support/executor_thread.hpp"
#include "baton/support/listener_gate.hpp"
#include "support/recording_contender.hpp"

namespace baton::test {

struct Published {
  std::string componentId;
  LeaderInformation info;  // empty: a delete
};

// A driver for unit tests of DefaultLeaderElectionService: the test says when leadership is
// granted or revoked and what the store reports; the driver records what the service writes.
// Listener calls are posted to the driver's own thread, as a real backend's would be.
//
// Thread-safety: every method may be called from any thread.
class TestingElectionDriver final : public LeaderElectionDriver {
 public:
  // thread delivers the facts; it belongs to the factory so that it outlives every driver (a
  // contender may close the last election, and so destroy the driver, while a test call on
  // that driver is still posting).
  TestingElectionDriver(LeaderElectionDriver::Listener& listener, std::atomic<int>& closedCount,
                        support::ExecutorThread& thread)
      : listener_(listener), closedCount_(closedCount), thread_(thread) {}
  ~TestingElectionDriver() override { close(); }

  // Test controls: each delivers one fact asynchronously.
  void grant(std::uint64_t epoch = 1) {
    leading_ = true;
    deliver([this, epoch] { listener_.onGrantLeadership(epoch); });
  }
  void revoke(std::string reason = "test revoke") {
    leading_ = false;
    deliver([this, reason] { listener_.onRevokeLeadership(reason); });
  }
  // Waits until every fact posted so far was delivered to the service (they run in order on
  // the driver's thread), so that the service's view is the test's last word.
  void awaitDelivered() {
    std::promise<void> delivered;
    auto future = delivered.get_future();
    boost::asio::post(thread_.executor(), [&delivered] { delivered.set_value(); });
    if (future.wait_for(eventTimeout()) != std::future_status::ready)
      throw std::runtime_error("the driver's thread did not deliver its facts in time");
  }
  // Leadership ends without a fact yet: a lease that ran out while the process was frozen,
  // seen by hasLeadership() before the driver's revoke is delivered.
  void lapse() { leading_ = false; }
  void reportStored(std::string componentId, LeaderInformation stored) {
    deliver(
        [this, componentId, stored] { listener_.onLeaderInformationChange(componentId, stored); });
  }
  void fail(std::error_code code) {
    deliver([this, code] { listener_.onError(std::system_error(code, "test failure")); });
  }
  // The driver leaves the election for good.
  void failForGood(std::error_code code) {
    leading_ = false;
    deliver([this, code] { listener_.onFailure(std::system_error(code, "test failure")); });
  }

  bool hasLeadership() const noexcept override { return leading_; }
  void publishLeaderInformation(const std::string& componentId,
                                const LeaderInformation& info) override {
    writes.push(Published{componentId, info});
  }
  void deleteLeaderInformation(const std::string& componentId) override {
    writes.push(Published{componentId, LeaderInformation::empty()});
  }
  void close() noexcept override {
    if (closed_.exchange(true))
      return;
    gate_->close();
    ++closedCount_;
  }
  bool isClosed() const { return closed_; }

  EventInbox<Published> writes;

 private:
  // The posted call holds the gate, not the driver: once closed, the gate runs nothing.
  void deliver(std::function<void()> fn) {
    boost::asio::post(thread_.executor(), [gate = gate_, fn = std::move(fn)] { gate->invoke(fn); });
  }

  LeaderElectionDriver::Listener& listener_;
  std::atomic<int>& closedCount_;
  support::ExecutorThread& thread_;
  std::shared_ptr<support::ListenerGate> gate_ = std::make_shared<support::ListenerGate>();
  std::atomic<bool> leading_{false};
  std::atomic<bool> closed_{false};
};

// Hands the test every driver the service creates (one per first-contender start).
class TestingDriverFactory final : public LeaderElectionDriverFactory {
 public:
  struct Shared {
    std::mutex mutex;
    std::vector<TestingElectionDriver*> drivers;
    EventInbox<TestingElectionDriver*> created;
    std::atomic<int> closed{0};  // drivers the service closed (they are destroyed after)
    support::ExecutorThread thread{"test-driver"};
  };
  explicit TestingDriverFactory(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {}

  std::unique_ptr<LeaderElectionDriver> createDriver(
      LeaderElectionDriver::Listener& listener) override {
    auto driver =
        std::make_unique<TestingElectionDriver>(listener, shared_->closed, shared_->thread);
    {
      std::lock_guard lock(shared_->mutex);
      shared_->drivers.push_back(driver.get());
    }
    shared_->created.push(driver.get());
    return driver;
  }

 private:
  std::shared_ptr<Shared> shared_;
};

}  // namespace baton::test
