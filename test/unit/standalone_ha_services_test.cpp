// StandaloneHaServices and StandaloneLeaderRetrievalService: fixed leaders, the seeds'
// DEFAULT_LEADER_ID, no connection and no external data.
#include <catch2/catch.hpp>

#include "support/configuration_error_of.hpp"

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <stdexcept>
#include <typeinfo>

#include "baton/component_id.hpp"
#include "baton/error.hpp"
#include "baton/standalone/standalone_ha_services.hpp"
#include "standalone_leader_retrieval_service.hpp"
#include "support/recording_contender.hpp"

using baton::ConfigurationError;
using baton::HaServicesOptions;
using baton::LeaderSessionId;
using baton::standalone::StandaloneHaServices;
using baton::standalone::StandaloneLeaderRetrievalService;
using baton::test::configurationErrorOf;
using baton::test::Granted;
using baton::test::LeaderSeen;
using baton::test::RecordingContender;
using baton::test::RecordingRetrievalListener;
using baton::test::Revoked;

namespace {

std::map<std::string, std::string> seedsAddresses() {
  return {{"resourcemanager", "akka://flink@rm:6123/user/rm"},
          {"dispatcher", "akka://flink@jm:6123/user/dispatcher"},
          {"rest_server", "http://jm:8081"}};
}

HaServicesOptions optionsOn(boost::asio::io_context& io) {
  HaServicesOptions options;
  options.callbackExecutor = io.get_executor();
  return options;
}

// Runs fn and returns the message of the ConfigurationError it must throw.
// A std::logic_error that is not an std::invalid_argument (API misuse, not a bad argument).
template <typename Fn>
bool throwsPlainLogicError(Fn&& fn) {
  try {
    fn();
  } catch (const std::invalid_argument&) {
    return false;
  } catch (const std::logic_error&) {
    return true;
  }
  return false;
}

}  // namespace

TEST_CASE("retrieval notifies once the fixed address with the default id") {
  boost::asio::io_context io;
  RecordingRetrievalListener listener;
  StandaloneLeaderRetrievalService retrieval("akka://flink@rm:6123/user/rm", io.get_executor());

  retrieval.start(listener);
  CHECK(listener.inbox.empty());  // never inside start()
  io.poll();
  auto seen = listener.inbox.expectNext<LeaderSeen>(std::chrono::milliseconds(0));
  CHECK(seen.address == "akka://flink@rm:6123/user/rm");
  CHECK(seen.id == LeaderSessionId(LeaderSessionId::Bytes{}));
  CHECK(io.poll() == 0);
  CHECK(listener.inbox.empty());  // once, and nothing changes afterwards
  retrieval.stop();
  retrieval.stop();  // idempotent
  CHECK(listener.inbox.total() == 1);
}

TEST_CASE("retrieval stopped before its notification ran delivers nothing") {
  boost::asio::io_context io;
  RecordingRetrievalListener listener;
  StandaloneLeaderRetrievalService retrieval("addr", io.get_executor());
  retrieval.start(listener);
  retrieval.stop();
  io.poll();
  CHECK(listener.inbox.total() == 0);
}

TEST_CASE("retrieval start twice or after stop throws std::logic_error") {
  boost::asio::io_context io;
  RecordingRetrievalListener listener;
  StandaloneLeaderRetrievalService twice("addr", io.get_executor());
  twice.start(listener);
  CHECK_THROWS_AS(twice.start(listener), std::logic_error);
  StandaloneLeaderRetrievalService stopped("addr", io.get_executor());
  stopped.stop();
  CHECK_THROWS_AS(stopped.start(listener), std::logic_error);
}

TEST_CASE("the services grant every election the default id at once") {
  StandaloneHaServices services(seedsAddresses());  // owns its callback thread
  RecordingContender contender;
  auto election = services.getResourceManagerLeaderElection();
  election->startLeaderElection(contender);
  CHECK(contender.inbox.expectNext<Granted>().id == LeaderSessionId::defaultId());
  CHECK(election->hasLeadership(LeaderSessionId::defaultId()));
  CHECK_FALSE(election->hasLeadership(LeaderSessionId::random()));
  election->confirmLeadership(LeaderSessionId::defaultId(), "akka://flink@rm:6123/user/rm");
  election->close();
  contender.inbox.expectNext<Revoked>(std::chrono::milliseconds(0));
  CHECK(contender.grants() == 1);
  CHECK(contender.revokes() == 1);
  CHECK(contender.violations().empty());
}

TEST_CASE("two elections of one component both lead: nothing coordinates them") {
  boost::asio::io_context io;
  StandaloneHaServices services({}, optionsOn(io));
  RecordingContender first;
  RecordingContender second;
  auto a = services.getDispatcherLeaderElection();
  auto b = services.getDispatcherLeaderElection();
  a->startLeaderElection(first);
  b->startLeaderElection(second);
  io.poll();
  CHECK(first.inbox.expectNext<Granted>(std::chrono::milliseconds(0)).id.isDefault());
  CHECK(second.inbox.expectNext<Granted>(std::chrono::milliseconds(0)).id.isDefault());
  a->close();
  b->close();
  CHECK(first.revokes() == 1);
  CHECK(second.revokes() == 1);
}

TEST_CASE("retrievers report each component's configured address with the default id") {
  boost::asio::io_context io;
  StandaloneHaServices services(seedsAddresses(), optionsOn(io));
  RecordingRetrievalListener rm;
  RecordingRetrievalListener dispatcher;
  RecordingRetrievalListener rest;
  auto rmRetriever = services.getResourceManagerLeaderRetriever();
  auto dispatcherRetriever = services.getDispatcherLeaderRetriever();
  auto restRetriever = services.getClusterRestEndpointLeaderRetriever();
  rmRetriever->start(rm);
  dispatcherRetriever->start(dispatcher);
  restRetriever->start(rest);
  io.poll();
  auto seenRm = rm.inbox.expectNext<LeaderSeen>(std::chrono::milliseconds(0));
  auto seenDispatcher = dispatcher.inbox.expectNext<LeaderSeen>(std::chrono::milliseconds(0));
  auto seenRest = rest.inbox.expectNext<LeaderSeen>(std::chrono::milliseconds(0));
  CHECK(seenRm.address == "akka://flink@rm:6123/user/rm");
  CHECK(seenDispatcher.address == "akka://flink@jm:6123/user/dispatcher");
  CHECK(seenRest.address == "http://jm:8081");
  CHECK(seenRm.id.isDefault());
  CHECK(seenDispatcher.id.isDefault());
  CHECK(seenRest.id.isDefault());
}

TEST_CASE("a retriever for a component without an address names the configuration key") {
  boost::asio::io_context io;
  StandaloneHaServices services({{"resourcemanager", "rm"}}, optionsOn(io));
  auto error = configurationErrorOf([&] { services.getDispatcherLeaderRetriever(); });
  CHECK(error.key() == "ha.standalone.address.dispatcher");
  CHECK_THAT(error.what(), Catch::Contains("ha.standalone.address.dispatcher"));

  auto jobError = configurationErrorOf([&] { services.getJobManagerLeaderRetriever("j1"); });
  CHECK(jobError.key() == "ha.standalone.address.job-j1");
}

TEST_CASE("the job manager retriever with a default address reports that address") {
  boost::asio::io_context io;
  StandaloneHaServices services({{"job-j1", "configured"}}, optionsOn(io));
  RecordingRetrievalListener listener;
  auto retriever = services.getJobManagerLeaderRetriever("j1", "akka://flink@jm:6123/user/jm");
  retriever->start(listener);
  io.poll();
  auto seen = listener.inbox.expectNext<LeaderSeen>(std::chrono::milliseconds(0));
  CHECK(seen.address == "akka://flink@jm:6123/user/jm");  // the default, as the seeds
  CHECK(seen.id.isDefault());
  CHECK_THROWS_AS(services.getJobManagerLeaderRetriever("bad/job", "x"), std::invalid_argument);
}

TEST_CASE("component ids are validated") {
  boost::asio::io_context io;
  StandaloneHaServices services(seedsAddresses(), optionsOn(io));
  CHECK_THROWS_AS(services.getLeaderElection("latch"), std::invalid_argument);
  CHECK_THROWS_AS(services.getLeaderElection(""), std::invalid_argument);
  CHECK_THROWS_AS(services.getLeaderRetriever("a/b"), std::invalid_argument);
  CHECK_THROWS_AS(StandaloneHaServices({{"a/b", "x"}}, optionsOn(io)), std::invalid_argument);
  CHECK_THROWS_AS(StandaloneHaServices({{"dispatcher", ""}}, optionsOn(io)), std::invalid_argument);
}

TEST_CASE("close is idempotent and the getters throw std::logic_error afterwards") {
  boost::asio::io_context io;
  StandaloneHaServices services(seedsAddresses(), optionsOn(io));
  services.close();
  services.close();
  CHECK(throwsPlainLogicError([&] { services.getResourceManagerLeaderElection(); }));
  CHECK(throwsPlainLogicError([&] { services.getResourceManagerLeaderRetriever(); }));
  CHECK(throwsPlainLogicError([&] { services.getJobManagerLeaderRetriever("j1", "jm"); }));
  CHECK(throwsPlainLogicError([&] { services.getJobManagerLeaderElection("j1"); }));
}

TEST_CASE("an owned callback thread: close after the elections, then the services") {
  auto services = std::make_unique<StandaloneHaServices>(seedsAddresses());
  RecordingContender contender;
  RecordingRetrievalListener listener;
  auto election = services->getJobManagerLeaderElection("j1");
  auto retriever = services->getDispatcherLeaderRetriever();
  election->startLeaderElection(contender);
  retriever->start(listener);
  contender.inbox.expectNext<Granted>();
  CHECK(listener.awaitAddress("akka://flink@jm:6123/user/dispatcher").id.isDefault());
  retriever->stop();
  election->close();
  contender.inbox.expectNext<Revoked>(std::chrono::milliseconds(0));
  services->close();
  services.reset();
  CHECK(contender.violations().empty());
}

TEST_CASE("no connection: the state callback is kept and never called; no data to clean") {
  boost::asio::io_context io;
  StandaloneHaServices services(seedsAddresses(), optionsOn(io));
  std::atomic<int> calls{0};
  services.setConnectionStateCallback([&](baton::ConnectionState, const std::string&) { ++calls; });
  RecordingContender contender;
  auto election = services.getResourceManagerLeaderElection();
  election->startLeaderElection(contender);
  io.poll();
  election->close();
  CHECK_NOTHROW(services.removeConnectionStateCallback());
  CHECK_NOTHROW(services.removeConnectionStateCallback());  // idempotent
  CHECK_NOTHROW(services.cleanupAllData());
  CHECK_NOTHROW(services.closeWithOptionalClean(true));
  CHECK_NOTHROW(services.removeConnectionStateCallback());  // after close too
  io.poll();
  CHECK(calls == 0);
}
