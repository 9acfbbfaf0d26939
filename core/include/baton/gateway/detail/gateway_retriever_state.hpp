#pragma once

#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <system_error>
#include <utility>

#include <spdlog/logger.h>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "baton/error.hpp"
#include "baton/gateway/detail/completion_slot.hpp"
#include "baton/gateway/retry_strategy.hpp"
#include "baton/leader_retrieval_service.hpp"

// Not API: detail holds only what instantiating the LeaderGatewayRetriever template needs (it
// is installed because a header-only template must be); nothing here is stable across versions.
namespace baton::gateway::detail {

// The strand-bound state a LeaderGatewayRetriever shares with its callbacks; every member below
// `strand_` is touched only on the strand. Entry points (listener callbacks, requests, invalidate,
// shutdown) post onto it.
//
// Connect rounds: a round is the series of connects to one leader (address + session id),
// stopped by success, by the attempt limit, by a leader change, or when no caller waits any
// more at a retry. Every connect and timer carries (round, attempt); a result whose stamp is
// not the current one belongs to an abandoned attempt and is dropped, its gateway with it:
// this is what keeps a deposed leader's gateway from ever being handed out once the change
// has reached the strand.
template <typename Gateway, typename Token>
class GatewayRetrieverState final
    : public LeaderRetrievalListener,
      public std::enable_shared_from_this<GatewayRetrieverState<Gateway, Token>> {
 public:
  using GatewayPtr = std::shared_ptr<Gateway>;
  using Slot = CompletionSlot<std::error_code, GatewayPtr>;
  using ConnectHandler = std::function<void(std::error_code, GatewayPtr)>;
  using ConnectFunction =
      std::function<void(const std::string& address, const Token& token, ConnectHandler)>;
  using TokenMapper = std::function<Token(const LeaderSessionId&)>;

  struct Settings {
    ConnectFunction connect;
    TokenMapper tokenMapper;
    RetryStrategy retry;
    std::chrono::milliseconds connectTimeout;
    std::shared_ptr<spdlog::logger> logger;
  };

  GatewayRetrieverState(boost::asio::any_io_executor executor, Settings settings)
      : executor_(std::move(executor)),
        strand_(boost::asio::make_strand(executor_)),
        settings_(std::move(settings)),
        retryTimer_(strand_),
        attemptTimer_(strand_) {}

  const boost::asio::any_io_executor& executor() const noexcept { return executor_; }

  void notifyLeaderAddress(const std::string& address, const LeaderSessionId& id) override {
    onStrand([address, id](GatewayRetrieverState& self) { self.onLeader(address, id); });
  }
  void handleError(const std::system_error& error) override {
    onStrand([ec = error.code()](GatewayRetrieverState& self) { self.onRetrievalError(ec); });
  }

  void request(std::chrono::steady_clock::time_point deadline, Slot slot) {
    boost::asio::post(
        strand_, [self = this->shared_from_this(), deadline, slot = std::move(slot)]() mutable {
          self->onRequest(deadline, std::move(slot));
        });
  }
  void invalidate(GatewayPtr gateway) {
    onStrand([gateway](GatewayRetrieverState& self) { self.onInvalidate(gateway); });
  }
  void shutdown() {
    onStrand([](GatewayRetrieverState& self) { self.onShutdown(); });
  }

 private:
  struct Waiter {
    Slot slot;
    std::unique_ptr<boost::asio::steady_timer> timer;
  };

  template <typename Fn>
  void onStrand(Fn fn) {
    boost::asio::post(strand_,
                      [self = this->shared_from_this(), fn = std::move(fn)] { fn(*self); });
  }

  void onLeader(const std::string& address, const LeaderSessionId& id) {
    if (closed_)
      return;
    failure_ = {};
    if (address == address_ && id == sessionId_)
      return;
    settings_.logger->info("gateway retriever: leader {} (session {})",
                           address.empty() ? "unknown" : address, id.toString());
    address_ = address;
    sessionId_ = id;
    abandonRound();
    if (!address_.empty() && !waiters_.empty())
      startRound();
  }

  void onRetrievalError(std::error_code ec) {
    if (closed_)
      return;
    settings_.logger->warn("gateway retriever: leader retrieval failed: {}", ec.message());
    failure_ = ec;
    completeAll(ec, nullptr);
  }

  void onRequest(std::chrono::steady_clock::time_point deadline, Slot slot) {
    if (closed_)
      return slot.complete(std::make_error_code(std::errc::operation_canceled), nullptr);
    if (failure_)
      return slot.complete(failure_, nullptr);
    if (gateway_)
      return slot.complete({}, gateway_);
    if (deadline <= std::chrono::steady_clock::now()) {
      return slot.complete(make_error_code(Errc::timed_out), nullptr);
    }
    auto id = ++lastWaiterId_;
    auto timer = std::make_unique<boost::asio::steady_timer>(strand_, deadline);
    timer->async_wait([self = this->shared_from_this(), id](boost::system::error_code ec) {
      if (!ec)
        self->onDeadline(id);
    });
    waiters_.emplace(id, Waiter{std::move(slot), std::move(timer)});
    if (!address_.empty() && !connecting_)
      startRound();
  }

  void onDeadline(std::uint64_t id) {
    auto it = waiters_.find(id);
    if (it == waiters_.end())
      return;
    auto slot = std::move(it->second.slot);
    waiters_.erase(it);
    slot.complete(make_error_code(Errc::timed_out), nullptr);
  }

  void onInvalidate(const GatewayPtr& gateway) {
    if (gateway && gateway == gateway_) {
      settings_.logger->info("gateway retriever: gateway to {} invalidated", address_);
      gateway_.reset();
    }
  }

  void onShutdown() {
    if (closed_)
      return;
    closed_ = true;
    abandonRound();
    completeAll(std::make_error_code(std::errc::operation_canceled), nullptr);
  }

  void startRound() {
    failures_ = 0;
    startAttempt();
  }

  void startAttempt() {
    connecting_ = true;
    auto round = round_;
    auto attempt = ++attempt_;
    attemptTimer_.expires_after(settings_.connectTimeout);
    attemptTimer_.async_wait(
        [self = this->shared_from_this(), round, attempt](boost::system::error_code ec) {
          if (!ec)
            self->onConnectResult(round, attempt, make_error_code(Errc::timed_out), nullptr);
        });
    std::weak_ptr<GatewayRetrieverState> weak = this->shared_from_this();
    auto strand = strand_;
    auto handler = [weak, strand, round, attempt](std::error_code ec, GatewayPtr gateway) {
      auto self = weak.lock();
      if (!self)
        return;
      boost::asio::post(strand, [self, round, attempt, ec, gateway = std::move(gateway)] {
        self->onConnectResult(round, attempt, ec, gateway);
      });
    };
    try {
      settings_.connect(address_, settings_.tokenMapper(sessionId_), std::move(handler));
    } catch (const std::exception& e) {
      settings_.logger->error("gateway retriever: connect to {} threw: {}", address_, e.what());
      onConnectResult(round, attempt, std::make_error_code(std::errc::invalid_argument), nullptr);
    }
  }

  void onConnectResult(std::uint64_t round, std::uint64_t attempt, std::error_code ec,
                       GatewayPtr gateway) {
    if (round != round_ || attempt != attempt_ || !connecting_ || closed_)
      return;  // stale
    attemptTimer_.cancel();
    if (!ec && !gateway)
      ec = std::make_error_code(std::errc::not_connected);
    if (!ec) {
      connecting_ = false;
      gateway_ = std::move(gateway);
      completeAll({}, gateway_);
      return;
    }
    ++failures_;
    auto delay = settings_.retry.delayAfter(failures_);
    settings_.logger->info("gateway retriever: connect {} to {} failed: {}{}", failures_, address_,
                           ec.message(), delay ? "" : " (giving up)");
    if (!delay) {
      abandonRound();
      completeAll(ec, nullptr);
      return;
    }
    ++attempt_;  // no result of the failed attempt may count any more (e.g. a late success)
    retryTimer_.expires_after(*delay);
    retryTimer_.async_wait(
        [self = this->shared_from_this(), round](boost::system::error_code timerError) {
          if (timerError || round != self->round_ || !self->connecting_ || self->closed_)
            return;
          if (self->waiters_.empty()) {
            self->connecting_ = false;  // nobody waits: the next request starts a new round
            return;
          }
          self->startAttempt();
        });
  }

  void abandonRound() {
    ++round_;
    connecting_ = false;
    gateway_.reset();
    retryTimer_.cancel();
    attemptTimer_.cancel();
  }

  void completeAll(std::error_code ec, const GatewayPtr& gateway) {
    auto waiters = std::move(waiters_);
    waiters_.clear();
    for (auto& [id, waiter] : waiters) {
      waiter.timer->cancel();
      waiter.slot.complete(ec, gateway);
    }
  }

  boost::asio::any_io_executor executor_;
  boost::asio::strand<boost::asio::any_io_executor> strand_;
  Settings settings_;

  bool closed_ = false;
  std::error_code failure_;  // the retrieval failed; cleared by the next leader notification
  std::string address_;      // empty: no leader known
  LeaderSessionId sessionId_;
  GatewayPtr gateway_;  // connected to the current leader, until invalidated or changed
  std::uint64_t round_ = 0;
  std::uint64_t attempt_ = 0;
  bool connecting_ = false;  // a connect or a retry delay of the current round is under way
  int failures_ = 0;
  boost::asio::steady_timer retryTimer_;
  boost::asio::steady_timer attemptTimer_;
  std::uint64_t lastWaiterId_ = 0;
  std::map<std::uint64_t, Waiter> waiters_;
};

}  // namespace baton::gateway::detail
