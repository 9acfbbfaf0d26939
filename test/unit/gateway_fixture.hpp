#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "baton/gateway/leader_gateway_retriever.hpp"
#include "baton/leader_retrieval_service.hpp"
#include "support/deadline.hpp"

namespace baton::test {

// What a connect produced: the leader's address and the token it was given.
struct FakeGateway {
  std::string address;
  std::string token;
};

// A retrieval service the test drives by hand through its shared Control (which outlives the
// service, destroyed by the retriever's close()): notify() and fail() call the listener
// directly, as the real services do from their callback queue.
class FakeRetrievalService : public LeaderRetrievalService {
 public:
  struct Control {
    void notify(const std::string& address, const LeaderSessionId& id) {
      if (listener)
        listener->notifyLeaderAddress(address, id);
    }
    void fail(std::error_code ec) {
      if (listener)
        listener->handleError(std::system_error(ec, "retrieval"));
    }
    LeaderRetrievalListener* listener = nullptr;
    bool stopped = false;
  };

  void start(LeaderRetrievalListener& listener) override { control->listener = &listener; }
  void stop() noexcept override {
    control->stopped = true;
    control->listener = nullptr;
  }
  std::shared_ptr<Control> control = std::make_shared<Control>();
};

struct GatewayResult {
  bool done = false;
  std::error_code ec;
  std::shared_ptr<FakeGateway> gateway;
};

// A retriever on an io_context that only the test runs (single-threaded: the fake connect's
// calls are recorded without locks), a fake retrieval service and a connect function whose
// calls the test completes with succeed(i) / fail(i, ec).
struct GatewayFixture {
  using Retriever = gateway::LeaderGatewayRetriever<FakeGateway>;

  struct Connect {
    std::string address;
    std::string token;
    Retriever::ConnectHandler handler;
    std::chrono::steady_clock::time_point at;
  };

  static Retriever::Options defaultOptions(
      gateway::RetryStrategy retry =
          gateway::RetryStrategy::fixedDelay(std::chrono::milliseconds(1))) {
    Retriever::Options options;
    options.retryStrategy = retry;
    options.connectTimeout = std::chrono::seconds(30);
    return options;
  }

  explicit GatewayFixture(gateway::RetryStrategy retry) : GatewayFixture(defaultOptions(retry)) {}
  explicit GatewayFixture(Retriever::Options options = defaultOptions()) {
    auto service = std::make_unique<FakeRetrievalService>();
    retrieval = service->control;
    retriever = std::make_unique<Retriever>(
        io.get_executor(), std::move(service),
        [this](const std::string& address, const std::string& token,
               Retriever::ConnectHandler handler) {
          connects.push_back(
              {address, token, std::move(handler), std::chrono::steady_clock::now()});
        },
        std::move(options));
  }
  ~GatewayFixture() {
    retriever->close();
    io.poll();
  }

  void notify(const std::string& address, const LeaderSessionId& id) {
    retrieval->notify(address, id);
  }
  void succeed(std::size_t i) {
    connects.at(i).handler(
        {}, std::make_shared<FakeGateway>(FakeGateway{connects[i].address, connects[i].token}));
  }
  void fail(std::size_t i, std::error_code ec) { connects.at(i).handler(ec, nullptr); }

  std::shared_ptr<GatewayResult> request(std::chrono::milliseconds timeout) {
    auto result = std::make_shared<GatewayResult>();
    retriever->async_get_gateway(timeout,
                                 [result](std::error_code ec, std::shared_ptr<FakeGateway> g) {
                                   *result = GatewayResult{true, ec, std::move(g)};
                                 });
    return result;
  }

  // Runs the io_context until pred holds or the (scaled) deadline passes.
  bool runUntil(const std::function<bool()>& pred,
                std::chrono::milliseconds timeout = eventTimeout()) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!pred()) {
      if (std::chrono::steady_clock::now() >= deadline)
        return false;
      if (io.stopped())
        io.restart();
      io.run_one_for(std::chrono::milliseconds(5));
    }
    return true;
  }
  // Runs the io_context for a while: for checks that something does NOT happen in that time.
  void runFor(std::chrono::milliseconds duration) {
    auto deadline = std::chrono::steady_clock::now() + duration;
    runUntil([&] { return std::chrono::steady_clock::now() >= deadline; }, duration * 2);
  }

  boost::asio::io_context io;
  std::vector<Connect> connects;
  std::shared_ptr<FakeRetrievalService::Control> retrieval;
  std::unique_ptr<Retriever> retriever;
};

}  // namespace baton::test
