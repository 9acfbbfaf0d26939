#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>

#include <spdlog/logger.h>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>

#include "baton/gateway/detail/gateway_retriever_state.hpp"
#include "baton/gateway/retry_strategy.hpp"
#include "baton/leader_retrieval_service.hpp"
#include "baton/leader_session_id.hpp"
#include "baton/logging.hpp"

namespace baton::gateway {

template <typename Token>
struct GatewayRetrieverOptions {
  // Derives the fencing token handed to connect from the leader session id. Empty: the
  // session id's canonical string (only when Token is std::string; otherwise required).
  std::function<Token(const LeaderSessionId&)> fencingTokenMapper;
  RetryStrategy retryStrategy =
      RetryStrategy::exponentialDelay(std::chrono::milliseconds(50), std::chrono::seconds(2));
  // A connect that has not called its handler by then counts as failed (Errc::timed_out); a
  // late result is dropped.
  std::chrono::milliseconds connectTimeout{5000};
  // Receives the retriever's log lines; quiet when empty.
  std::shared_ptr<spdlog::logger> logger;
};

// Hands out a connection ("gateway") to whoever leads a component now, across failovers (Flink's
// LeaderGatewayRetriever / RpcGatewayRetriever): it listens to leader retrieval and, for
// the current leader, calls the application's connect function with the leader's address and a
// fencing token derived from its leader session id, retrying failed connects by a RetryStrategy.
//
//   connect(address, token, handler): starts connecting; calls handler(ec, gateway) once, from
//   any thread. It is called on the retriever's strand of the application's executor, so it
//   must not block. The server side should reject requests whose token is not its current one.
//
// async_get_gateway(deadline, token) completes with void(std::error_code, shared_ptr<Gateway>):
//   - at once with the connected gateway of the current leader, if there is one;
//   - else when a connect to the current leader succeeds; while no leader is known it waits;
//   - with Errc::timed_out at the deadline; with the last connect error when the retry strategy
//     gives up; with the retrieval's error when leader retrieval fails (until the next leader
//     notification); with std::errc::operation_canceled after close().
// Any Asio completion token works: a callback, use_future (a future of std::tuple<ec, ptr>),
// use_awaitable (co_await yields std::tuple<ec, ptr>). Completions run on the handler's
// associated executor (default: the retriever's executor), never inline.
//
// A leader change (new address or new session id) drops the cached gateway, abandons every
// connect and retry under way for the old leader and starts over for the new one; results of
// abandoned connects are dropped. So once the change reached the retriever, no gateway of the
// deposed leader is handed out; one handed out earlier may still be in a caller's hands, which
// is why requests carry the fencing token.
//
// Thread-safety: every method is callable from any thread. close() is idempotent and noexcept;
// the destructor closes. The retrieval service given in is started by the constructor and
// stopped and destroyed by close(), so the retriever must be closed before the
// HighAvailabilityServices that made it are.
template <typename Gateway, typename Token = std::string>
class LeaderGatewayRetriever {
  using State = detail::GatewayRetrieverState<Gateway, Token>;

 public:
  using GatewayPtr = std::shared_ptr<Gateway>;
  using ConnectHandler = typename State::ConnectHandler;
  using ConnectFunction = typename State::ConnectFunction;
  using Options = GatewayRetrieverOptions<Token>;

  // Throws std::invalid_argument for a null retrieval or connect function, or a missing token
  // mapper when Token is not std::string.
  LeaderGatewayRetriever(boost::asio::any_io_executor executor,
                         std::unique_ptr<LeaderRetrievalService> retrieval, ConnectFunction connect,
                         Options options = {})
      : retrieval_(std::move(retrieval)) {
    if (!retrieval_)
      throw std::invalid_argument("LeaderGatewayRetriever: no retrieval service");
    if (!connect)
      throw std::invalid_argument("LeaderGatewayRetriever: no connect function");
    typename State::Settings settings{std::move(connect), std::move(options.fencingTokenMapper),
                                      options.retryStrategy, options.connectTimeout,
                                      loggerOrQuiet(std::move(options.logger))};
    if (!settings.tokenMapper) {
      if constexpr (std::is_same_v<Token, std::string>) {
        settings.tokenMapper = [](const LeaderSessionId& id) { return id.toString(); };
      } else {
        throw std::invalid_argument("LeaderGatewayRetriever: no fencing token mapper");
      }
    }
    state_ = std::make_shared<State>(std::move(executor), std::move(settings));
    retrieval_->start(*state_);
  }

  ~LeaderGatewayRetriever() { close(); }
  LeaderGatewayRetriever(const LeaderGatewayRetriever&) = delete;
  LeaderGatewayRetriever& operator=(const LeaderGatewayRetriever&) = delete;

  template <typename CompletionToken>
  auto async_get_gateway(std::chrono::steady_clock::time_point deadline, CompletionToken&& token) {
    return boost::asio::async_initiate<CompletionToken, void(std::error_code, GatewayPtr)>(
        [state = state_](auto handler, std::chrono::steady_clock::time_point until) {
          state->request(until, typename State::Slot(std::move(handler), state->executor()));
        },
        token, deadline);
  }

  template <typename Rep, typename Period, typename CompletionToken>
  auto async_get_gateway(std::chrono::duration<Rep, Period> timeout, CompletionToken&& token) {
    auto deadline = std::chrono::steady_clock::now() +
                    std::chrono::duration_cast<std::chrono::steady_clock::duration>(timeout);
    return async_get_gateway(deadline, std::forward<CompletionToken>(token));
  }

  // The caller found gateway broken (its connection failed, or the server rejected the fencing
  // token): if it is still the cached one, it is dropped and the next request connects anew.
  // A gateway that is no longer cached is ignored, so a late report never drops a newer one.
  void invalidate(const GatewayPtr& gateway) { state_->invalidate(gateway); }

  // Stops leader retrieval (no listener callback after it returns), then fails every waiting
  // request with std::errc::operation_canceled and abandons connects under way.
  void close() noexcept {
    std::lock_guard lock(closeMutex_);
    if (!retrieval_)
      return;
    retrieval_->stop();
    retrieval_.reset();
    state_->shutdown();
  }

 private:
  std::mutex closeMutex_;
  std::unique_ptr<LeaderRetrievalService> retrieval_;
  std::shared_ptr<State> state_;
};

}  // namespace baton::gateway
