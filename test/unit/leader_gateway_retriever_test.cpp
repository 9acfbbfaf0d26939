// LeaderGatewayRetriever against a hand-driven retrieval service and connect function, on an
// io_context the test steps: waiting without a leader, deadlines, retries, leader changes,
// invalidation, close, and the callback / future / coroutine forms.
#include <catch2/catch.hpp>

#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "baton/error.hpp"
#include "baton/gateway/leader_gateway_retriever.hpp"
#include "unit/gateway_fixture.hpp"

using namespace std::chrono_literals;
using baton::Errc;
using baton::LeaderSessionId;
using baton::gateway::RetryStrategy;
using baton::test::FakeGateway;
using baton::test::GatewayFixture;
using baton::test::GatewayResult;

TEST_CASE("a request waits while no leader is known and completes once one is connected") {
  GatewayFixture f;
  auto result = f.request(10s);
  f.runFor(20ms);
  CHECK_FALSE(result->done);
  CHECK(f.connects.empty());

  auto id = LeaderSessionId::random();
  f.notify("10.0.0.1:80", id);
  REQUIRE(f.runUntil([&] { return f.connects.size() == 1; }));
  CHECK(f.connects[0].address == "10.0.0.1:80");
  CHECK(f.connects[0].token == id.toString());
  f.succeed(0);
  REQUIRE(f.runUntil([&] { return result->done; }));
  REQUIRE_FALSE(result->ec);
  CHECK(result->gateway->address == "10.0.0.1:80");

  auto again = f.request(1s);  // cached: no second connect
  REQUIRE(f.runUntil([&] { return again->done; }));
  CHECK(again->gateway == result->gateway);
  CHECK(f.connects.size() == 1);
}

TEST_CASE("a request without a leader fails with timed_out at its deadline") {
  GatewayFixture f;
  auto started = std::chrono::steady_clock::now();
  auto result = f.request(50ms);
  REQUIRE(f.runUntil([&] { return result->done; }));
  CHECK(result->ec == make_error_code(Errc::timed_out));
  CHECK(result->gateway == nullptr);
  CHECK(std::chrono::steady_clock::now() - started >= 50ms);
}

TEST_CASE("failed connects are retried after the strategy's delay up to the attempt limit") {
  GatewayFixture f(RetryStrategy::fixedDelay(20ms, 3));
  f.notify("a:1", LeaderSessionId::random());
  auto result = f.request(10s);
  for (std::size_t i = 0; i < 3; ++i) {
    REQUIRE(f.runUntil([&] { return f.connects.size() == i + 1; }));
    f.fail(i, std::make_error_code(std::errc::connection_refused));
  }
  REQUIRE(f.runUntil([&] { return result->done; }));
  CHECK(result->ec == std::make_error_code(std::errc::connection_refused));
  CHECK(f.connects.size() == 3);
  CHECK(f.connects[1].at - f.connects[0].at >= 20ms);
  CHECK(f.connects[2].at - f.connects[1].at >= 20ms);

  SECTION("a later request starts a new round") {
    auto next = f.request(10s);
    REQUIRE(f.runUntil([&] { return f.connects.size() == 4; }));
    f.succeed(3);
    REQUIRE(f.runUntil([&] { return next->done; }));
    CHECK_FALSE(next->ec);
  }
}

TEST_CASE("a connect that never answers counts as failed after the connect timeout") {
  auto options = GatewayFixture::defaultOptions(RetryStrategy::fixedDelay(1ms, 2));
  options.connectTimeout = 30ms;
  GatewayFixture f(options);
  f.notify("a:1", LeaderSessionId::random());
  auto result = f.request(10s);
  REQUIRE(f.runUntil([&] { return result->done; }));
  CHECK(result->ec == make_error_code(Errc::timed_out));
  CHECK(f.connects.size() == 2);
  f.succeed(0);  // too late: dropped
  f.runFor(20ms);
  CHECK(f.connects.size() == 2);
}

TEST_CASE("a leader change abandons the old leader's connects and retries") {
  GatewayFixture f(RetryStrategy::fixedDelay(30ms));
  auto oldId = LeaderSessionId::random();
  auto newId = LeaderSessionId::random();
  f.notify("old:1", oldId);
  auto result = f.request(10s);
  REQUIRE(f.runUntil([&] { return f.connects.size() == 1; }));
  f.fail(0, std::make_error_code(std::errc::connection_refused));  // a retry is scheduled
  REQUIRE(f.runUntil([&] { return f.connects.size() == 2; }));     // the retry, left pending

  f.notify("new:1", newId);
  REQUIRE(f.runUntil([&] { return f.connects.size() == 3; }));
  CHECK(f.connects[2].address == "new:1");
  CHECK(f.connects[2].token == newId.toString());

  f.succeed(1);  // the old leader's pending connect succeeds late: never handed out
  f.runFor(20ms);
  CHECK_FALSE(result->done);

  f.succeed(2);
  REQUIRE(f.runUntil([&] { return result->done; }));
  CHECK(result->gateway->address == "new:1");
  f.runFor(90ms);  // three of the old leader's retry delays: no connect to it any more
  CHECK(f.connects.size() == 3);
}

TEST_CASE("once a leader change is known, the deposed leader's gateway is never handed out") {
  GatewayFixture f;
  f.notify("a:1", LeaderSessionId::random());
  auto first = f.request(10s);
  REQUIRE(f.runUntil([&] { return f.connects.size() == 1; }));
  f.succeed(0);
  REQUIRE(f.runUntil([&] { return first->done; }));

  SECTION("a new leader") {
    f.notify("b:1", LeaderSessionId::random());
    auto second = f.request(10s);
    REQUIRE(f.runUntil([&] { return f.connects.size() == 2; }));
    CHECK_FALSE(second->done);
    f.succeed(1);
    REQUIRE(f.runUntil([&] { return second->done; }));
    CHECK(second->gateway->address == "b:1");
  }
  SECTION("the same address under a new session id reconnects with the new token") {
    auto id = LeaderSessionId::random();
    f.notify("a:1", id);
    auto second = f.request(10s);
    REQUIRE(f.runUntil([&] { return f.connects.size() == 2; }));
    CHECK(f.connects[1].token == id.toString());
    f.succeed(1);
    REQUIRE(f.runUntil([&] { return second->done; }));
    CHECK(second->gateway != first->gateway);
  }
  SECTION("no leader: requests wait") {
    f.notify("", LeaderSessionId());
    auto second = f.request(40ms);
    REQUIRE(f.runUntil([&] { return second->done; }));
    CHECK(second->ec == make_error_code(Errc::timed_out));
    CHECK(f.connects.size() == 1);
  }
}

TEST_CASE("invalidate drops the cached gateway, but only that one") {
  GatewayFixture f;
  f.notify("a:1", LeaderSessionId::random());
  auto first = f.request(10s);
  REQUIRE(f.runUntil([&] { return f.connects.size() == 1; }));
  f.succeed(0);
  REQUIRE(f.runUntil([&] { return first->done; }));

  f.retriever->invalidate(first->gateway);
  auto second = f.request(10s);
  REQUIRE(f.runUntil([&] { return f.connects.size() == 2; }));
  f.succeed(1);
  REQUIRE(f.runUntil([&] { return second->done; }));
  CHECK(second->gateway != first->gateway);

  f.retriever->invalidate(first->gateway);  // a late report about an old gateway
  auto third = f.request(10s);
  REQUIRE(f.runUntil([&] { return third->done; }));
  CHECK(third->gateway == second->gateway);
  CHECK(f.connects.size() == 2);
}

TEST_CASE("close stops retrieval and fails waiting and later requests with operation_canceled") {
  GatewayFixture f;
  auto waiting = f.request(10s);
  f.runFor(5ms);
  f.retriever->close();
  CHECK(f.retrieval->stopped);
  REQUIRE(f.runUntil([&] { return waiting->done; }));
  CHECK(waiting->ec == std::make_error_code(std::errc::operation_canceled));
  auto later = f.request(10s);
  REQUIRE(f.runUntil([&] { return later->done; }));
  CHECK(later->ec == std::make_error_code(std::errc::operation_canceled));
  f.retriever->close();  // idempotent
}

TEST_CASE("a retrieval error fails waiting requests until the next leader notification") {
  GatewayFixture f;
  auto waiting = f.request(10s);
  f.runFor(5ms);
  f.retrieval->fail(make_error_code(Errc::retrieval_failure));
  REQUIRE(f.runUntil([&] { return waiting->done; }));
  CHECK(waiting->ec == make_error_code(Errc::retrieval_failure));

  f.notify("a:1", LeaderSessionId::random());
  auto next = f.request(10s);
  REQUIRE(f.runUntil([&] { return f.connects.size() == 1; }));
  f.succeed(0);
  REQUIRE(f.runUntil([&] { return next->done; }));
  CHECK_FALSE(next->ec);
}

TEST_CASE("the fencing token mapper can be replaced") {
  auto options = GatewayFixture::defaultOptions(RetryStrategy::fixedDelay(1ms));
  options.fencingTokenMapper = [](const LeaderSessionId& id) { return "fence:" + id.toString(); };
  GatewayFixture f(options);
  auto id = LeaderSessionId::random();
  f.notify("a:1", id);
  auto result = f.request(10s);
  REQUIRE(f.runUntil([&] { return f.connects.size() == 1; }));
  CHECK(f.connects[0].token == "fence:" + id.toString());
}

TEST_CASE("the future form yields a tuple of error code and gateway") {
  GatewayFixture f;
  f.notify("a:1", LeaderSessionId::random());
  auto future = f.retriever->async_get_gateway(10s, boost::asio::use_future);
  REQUIRE(f.runUntil([&] { return f.connects.size() == 1; }));
  f.succeed(0);
  REQUIRE(f.runUntil([&] { return future.wait_for(0s) == std::future_status::ready; }));
  auto [ec, gateway] = future.get();
  CHECK_FALSE(ec);
  REQUIRE(gateway);
  CHECK(gateway->address == "a:1");
}

#if defined(BOOST_ASIO_HAS_CO_AWAIT)
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

TEST_CASE("the coroutine form: co_await through use_awaitable") {
  GatewayFixture f;
  std::optional<GatewayResult> seen;
  boost::asio::co_spawn(
      f.io,
      [&]() -> boost::asio::awaitable<void> {
        auto [ec, gateway] =
            co_await f.retriever->async_get_gateway(10s, boost::asio::use_awaitable);
        seen = GatewayResult{true, ec, gateway};
        auto [ec2, none] = co_await f.retriever->async_get_gateway(1ms, boost::asio::use_awaitable);
        (void)ec2;
        (void)none;
      },
      boost::asio::detached);
  f.runFor(5ms);
  f.notify("a:1", LeaderSessionId::random());
  REQUIRE(f.runUntil([&] { return f.connects.size() == 1; }));
  f.succeed(0);
  REQUIRE(f.runUntil([&] { return seen.has_value(); }));
  CHECK_FALSE(seen->ec);
  CHECK(seen->gateway->address == "a:1");
}
#endif

TEST_CASE("RetryStrategy: fixed and capped exponential delays, attempt limits, bad values") {
  auto fixed = RetryStrategy::fixedDelay(100ms, 3);
  CHECK(fixed.delayAfter(1) == 100ms);
  CHECK(fixed.delayAfter(2) == 100ms);
  CHECK_FALSE(fixed.delayAfter(3).has_value());

  auto exponential = RetryStrategy::exponentialDelay(10ms, 70ms, 2.0);
  CHECK(exponential.delayAfter(1) == 10ms);
  CHECK(exponential.delayAfter(2) == 20ms);
  CHECK(exponential.delayAfter(3) == 40ms);
  CHECK(exponential.delayAfter(4) == 70ms);
  CHECK(exponential.delayAfter(1000) == 70ms);

  CHECK_THROWS_AS(RetryStrategy::fixedDelay(-1ms), std::invalid_argument);
  CHECK_THROWS_AS(RetryStrategy::fixedDelay(1ms, -1), std::invalid_argument);
  CHECK_THROWS_AS(RetryStrategy::exponentialDelay(10ms, 5ms), std::invalid_argument);
  CHECK_THROWS_AS(RetryStrategy::exponentialDelay(10ms, 50ms, 0.5), std::invalid_argument);
}

TEST_CASE("a non-string token needs a mapper") {
  boost::asio::io_context io;
  auto retrieval = std::make_unique<baton::test::FakeRetrievalService>();
  using Retriever = baton::gateway::LeaderGatewayRetriever<FakeGateway, long>;
  auto connect = [](const std::string&, const long&, Retriever::ConnectHandler) {};
  CHECK_THROWS_AS(Retriever(io.get_executor(), std::move(retrieval), connect),
                  std::invalid_argument);
}
