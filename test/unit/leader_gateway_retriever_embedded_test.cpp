// LeaderGatewayRetriever over a real retrieval service (the embedded backend) on a
// multi-threaded executor: it follows a handover and fences with the new session id.
#include <catch2/catch.hpp>

#include <chrono>
#include <future>
#include <memory>
#include <string>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_future.hpp>

#include "baton/embedded/embedded_cluster.hpp"
#include "baton/gateway/leader_gateway_retriever.hpp"
#include "support/deadline.hpp"
#include "unit/embedded_fixture.hpp"
#include "unit/gateway_fixture.hpp"

using namespace std::chrono_literals;
using baton::embedded::EmbeddedCluster;
using baton::test::EmbeddedNode;
using baton::test::FakeGateway;
using Retriever = baton::gateway::LeaderGatewayRetriever<FakeGateway>;

namespace {

// Gets a gateway, invalidating ones to other addresses, until one to `address` arrives.
std::shared_ptr<FakeGateway> gatewayTo(Retriever& retriever, const std::string& address) {
  auto deadline = std::chrono::steady_clock::now() + baton::test::eventTimeout();
  while (std::chrono::steady_clock::now() < deadline) {
    auto [ec, gateway] = retriever.async_get_gateway(deadline, boost::asio::use_future).get();
    if (ec)
      continue;
    if (gateway->address == address)
      return gateway;
    retriever.invalidate(gateway);
  }
  FAIL("no gateway to " << address);
  return nullptr;
}

}  // namespace

TEST_CASE("the retriever follows an embedded handover and connects with the new session id") {
  boost::asio::thread_pool pool(2);
  auto cluster = EmbeddedCluster::create();
  EmbeddedNode first(cluster, "first");
  EmbeddedNode second(cluster, "second");
  first.start();
  auto firstId = first.grantAndConfirm("first:1");
  second.start();

  auto observer = baton::embedded::makeEmbeddedHaServices(cluster, "observer");
  Retriever retriever(pool.get_executor(), observer->getLeaderRetriever("rm"),
                      [&pool](const std::string& address, const std::string& token,
                              Retriever::ConnectHandler handler) {
                        boost::asio::post(pool, [address, token, handler] {
                          handler({}, std::make_shared<FakeGateway>(FakeGateway{address, token}));
                        });
                      });

  auto gateway = gatewayTo(retriever, "first:1");
  CHECK(gateway->token == firstId.toString());

  first.election->close();
  auto secondId = second.grantAndConfirm("second:1");
  gateway = gatewayTo(retriever, "second:1");
  CHECK(gateway->token == secondId.toString());

  retriever.close();
  observer->close();
}
