// counter_client: keeps incrementing the replicated counter through whoever leads, across
// failovers, with baton's LeaderGatewayRetriever (see docs/embedding.md).
//   counter_client --writes N [--client-id ID] [--acks FILE] [--pause 5ms] [--give-up 120s]
//                  [--zk QUORUM] [--cluster-id ID] [--config FILE]
// Each acknowledged write is appended to FILE as "ACK <write-id> <session> <position> <address>"
// (session: the leader session that stored it).
// Exit status 0 when every write was acknowledged, 1 when it gave up.
#include <unistd.h>

#include <chrono>
#include <exception>
#include <fstream>
#include <iostream>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <utility>  // before Asio's coroutine headers: Boost 1.74 forgets it

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "baton/gateway/awaitable_connect.hpp"
#include "baton/gateway/leader_gateway_retriever.hpp"
#include "baton/ha_services_factory.hpp"
#include "counter_connection.hpp"
#include "example_args.hpp"

namespace {

using namespace std::chrono_literals;
using boost::asio::use_awaitable;
using counter::CounterConnection;
using Retriever = baton::gateway::LeaderGatewayRetriever<CounterConnection>;

std::chrono::milliseconds duration(const counter::Args& args, const std::string& key,
                                   const std::string& fallback) {
  auto config = baton::Configuration::fromMap({{key, args.get(key, fallback)}});
  return config.getDuration(key, {});
}

struct Stats {
  int acked = 0;
  int retries = 0;
  std::set<std::string> tokens;  // leader sessions that acknowledged our writes
};

// Writes one increment until a leader acknowledges it. The write id stays the same across
// retries, so a write whose reply was lost is not counted twice (the server dedupes).
boost::asio::awaitable<bool> writeOnce(Retriever& retriever, const std::string& writeId,
                                       std::chrono::steady_clock::time_point giveUp,
                                       std::ofstream& acks, Stats& stats) {
  boost::asio::steady_timer backoff(co_await boost::asio::this_coro::executor);
  while (std::chrono::steady_clock::now() < giveUp) {
    auto [ec, gateway] = co_await retriever.async_get_gateway(giveUp, use_awaitable);
    if (ec) {
      std::cerr << "no gateway: " << ec.message() << std::endl;
      continue;
    }
    std::string reply;
    try {
      reply = co_await gateway->request("INCR " + gateway->token() + " " + writeId, 2s);
    } catch (const std::system_error& e) {
      reply = std::string("FAILED ") + e.what();
    }
    std::istringstream words(reply);
    std::string ok, position, session;
    if (words >> ok >> position >> session && ok == "OK") {
      acks << "ACK " << writeId << " " << session << " " << position << " " << gateway->address()
           << std::endl;
      ++stats.acked;
      stats.tokens.insert(gateway->token());
      co_return true;
    }
    // NOT_LEADER, FENCED, RETRY or a broken connection: this gateway is done; the retriever
    // connects again (to the new leader once retrieval reports it).
    std::cerr << writeId << " via " << gateway->address() << ": " << reply << std::endl;
    ++stats.retries;
    retriever.invalidate(gateway);
    backoff.expires_after(20ms);
    co_await backoff.async_wait(use_awaitable);
  }
  co_return false;
}

boost::asio::awaitable<void> writeAll(Retriever& retriever, const counter::Args& args,
                                      bool& complete) {
  auto writes = std::stoi(args.get("writes", "100"));
  auto clientId = args.get("client-id", "c" + std::to_string(std::random_device()() % 100000));
  auto pause = duration(args, "pause", "5ms");
  auto giveUp = std::chrono::steady_clock::now() + duration(args, "give-up", "120s");
  std::ofstream acks(args.get("acks", "/dev/null"), std::ios::app);
  Stats stats;
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
  for (int i = 1; i <= writes; ++i) {
    if (!co_await writeOnce(retriever, clientId + "-" + std::to_string(i), giveUp, acks, stats)) {
      break;
    }
    timer.expires_after(pause);
    co_await timer.async_wait(use_awaitable);
  }
  complete = stats.acked == writes;
  std::cout << "acknowledged " << stats.acked << " of " << writes << " writes, through "
            << stats.tokens.size() << " leader sessions, " << stats.retries << " retries"
            << std::endl;
}

int run(const counter::Args& args) {
  boost::asio::io_context io;
  baton::HaServicesOptions options;
  options.callbackExecutor = io.get_executor();
  auto services = baton::createHighAvailabilityServices(counter::haConfiguration(args), options);

  Retriever::Options retrieverOptions;
  retrieverOptions.retryStrategy = baton::gateway::RetryStrategy::exponentialDelay(20ms, 1s);
  retrieverOptions.connectTimeout = 2s;
  auto connect = baton::gateway::connectWithCoroutine<CounterConnection>(
      io.get_executor(), [](const std::string& address, const std::string& token) {
        return CounterConnection::open(address, token, 2s);
      });
  Retriever retriever(io.get_executor(), services->getLeaderRetriever("counter"), connect,
                      retrieverOptions);

  bool complete = false;
  boost::asio::co_spawn(io, writeAll(retriever, args, complete), [&](std::exception_ptr e) {
    if (e) {
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& error) {
        std::cerr << "counter_client: " << error.what() << std::endl;
      }
    }
    retriever.close();
    services->close();
  });
  io.run();
  return complete ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(counter::parseArgs(argc, argv,
                                  {"writes", "client-id", "acks", "pause", "give-up", "zk",
                                   "cluster-id", "session-timeout", "config"}));
  } catch (const std::exception& e) {
    std::cerr << "counter_client: " << e.what() << std::endl;
    return 2;
  }
}
