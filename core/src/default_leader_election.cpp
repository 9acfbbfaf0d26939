#include "default_leader_election.hpp"

#include <mutex>
#include <stdexcept>

namespace baton {
namespace {

// The LeaderElection handed to a contender: a thin proxy onto the shared state.
class DefaultLeaderElection final : public LeaderElection {
 public:
  DefaultLeaderElection(std::shared_ptr<DefaultLeaderElectionService::State> state,
                        std::string componentId)
      : state_(std::move(state)), componentId_(std::move(componentId)) {}
  ~DefaultLeaderElection() override { close(); }

  void startLeaderElection(LeaderContender& contender) override {
    std::lock_guard lock(mutex_);
    if (closed_)
      throw std::logic_error("startLeaderElection after close: " + componentId_);
    if (started_)
      throw std::logic_error("startLeaderElection called twice: " + componentId_);
    state_->start(componentId_, contender);
    started_ = true;
  }
  void confirmLeadership(const LeaderSessionId& id, const std::string& address) override {
    state_->confirm(componentId_, id, address);
  }
  bool hasLeadership(const LeaderSessionId& id) const override {
    return state_->hasLeadership(componentId_, id);
  }
  std::optional<FencingToken> fencingToken(const LeaderSessionId& id) const override {
    return state_->fencingToken(&componentId_, id);
  }
  std::error_code runIfLeader(const LeaderSessionId& id,
                              const std::function<void()>& action) override {
    return state_->runIfLeader(componentId_, id, action);
  }
  std::future<std::error_code> runAsyncIfLeader(const LeaderSessionId& id,
                                                std::function<void()> action) override {
    return state_->runAsyncIfLeader(componentId_, id, std::move(action));
  }
  std::optional<LeaderSessionId> awaitLeadership(std::chrono::milliseconds timeout) override {
    {
      std::lock_guard lock(mutex_);
      if (closed_)
        return std::nullopt;
      if (!started_)
        throw std::logic_error("awaitLeadership before startLeaderElection: " + componentId_);
    }
    return state_->awaitLeadership(componentId_, timeout);
  }
  void close() noexcept override {
    {
      std::lock_guard lock(mutex_);
      if (closed_)
        return;
      closed_ = true;
    }
    state_->remove(componentId_);
  }

 private:
  std::shared_ptr<DefaultLeaderElectionService::State> state_;
  const std::string componentId_;
  std::mutex mutex_;
  bool started_ = false;
  bool closed_ = false;
};

}  // namespace

std::unique_ptr<LeaderElection> makeDefaultLeaderElection(
    std::shared_ptr<DefaultLeaderElectionService::State> state, std::string componentId) {
  return std::make_unique<DefaultLeaderElection>(std::move(state), std::move(componentId));
}

}  // namespace baton
