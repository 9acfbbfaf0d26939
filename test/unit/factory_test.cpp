// createHighAvailabilityServices and registerHaServicesFactory: type selection, validation of
// every value read, and errors that name their key.
#include <catch2/catch.hpp>

#include "support/configuration_error_of.hpp"

#include <spdlog/sinks/ostream_sink.h>
#include <boost/asio/io_context.hpp>
#include <sstream>

#include "baton/error.hpp"
#include "baton/ha_services_factory.hpp"
#include "baton/standalone/standalone_ha_services.hpp"
#include "support/recording_contender.hpp"

using baton::Configuration;
using baton::ConfigurationError;
using baton::createHighAvailabilityServices;
using baton::HaServicesOptions;
using baton::registerHaServicesFactory;
using baton::standalone::StandaloneHaServices;
using baton::test::configurationErrorOf;
using baton::test::Granted;
using baton::test::LeaderSeen;
using baton::test::RecordingContender;
using baton::test::RecordingRetrievalListener;

namespace {

bool isStandalone(const std::unique_ptr<baton::HighAvailabilityServices>& services) {
  return dynamic_cast<StandaloneHaServices*>(services.get()) != nullptr;
}

}  // namespace

TEST_CASE("no ha.type: standalone, with the configured fixed addresses") {
  boost::asio::io_context io;
  HaServicesOptions options;
  options.callbackExecutor = io.get_executor();
  auto services = createHighAvailabilityServices(
      Configuration::fromMap({{"ha.standalone.address.resourcemanager", "rm:6123"}}), options);
  REQUIRE(isStandalone(services));

  RecordingContender contender;
  RecordingRetrievalListener listener;
  auto election = services->getResourceManagerLeaderElection();
  auto retriever = services->getResourceManagerLeaderRetriever();
  election->startLeaderElection(contender);
  retriever->start(listener);
  io.poll();
  CHECK(contender.inbox.expectNext<Granted>(std::chrono::milliseconds(0)).id.isDefault());
  auto seen = listener.inbox.expectNext<LeaderSeen>(std::chrono::milliseconds(0));
  CHECK(seen.address == "rm:6123");
  CHECK(seen.id.isDefault());
  election->close();
  retriever->stop();
  CHECK(configurationErrorOf([&] { services->getDispatcherLeaderRetriever(); }).key() ==
        "ha.standalone.address.dispatcher");
}

TEST_CASE("an empty configuration gives standalone services") {
  CHECK(isStandalone(createHighAvailabilityServices(Configuration())));
}

TEST_CASE("ha.type none and standalone give standalone services") {
  CHECK(isStandalone(createHighAvailabilityServices(Configuration().set("ha.type", "none"))));
  CHECK(isStandalone(createHighAvailabilityServices(Configuration().set("ha.type", "standalone"))));
}

TEST_CASE("an unknown ha.type names the key and lists the valid values") {
  for (std::string type : {"zk", "", "Standalone", "embedded "}) {
    CAPTURE(type);
    auto error = configurationErrorOf(
        [&] { createHighAvailabilityServices(Configuration().set("ha.type", type)); });
    CHECK(error.key() == "ha.type");
    CHECK_THAT(error.what(), Catch::Contains("ha.type") && Catch::Contains("'" + type + "'") &&
                                 Catch::Contains("standalone, none, embedded, zookeeper"));
  }
}

#ifndef BATON_HAS_ZOOKEEPER
TEST_CASE("ha.type zookeeper without the zookeeper backend is a configuration error") {
  auto error = configurationErrorOf([&] {
    createHighAvailabilityServices(Configuration::fromMap(
        {{"ha.type", "zookeeper"}, {"ha.zookeeper.quorum", "localhost:2181"}}));
  });
  CHECK(error.key() == "ha.type");
  CHECK_THAT(error.what(), Catch::EndsWith("zookeeper backend is not built into this binary"));
}
#endif

TEST_CASE("a standalone address key with an invalid component names the key") {
  for (std::string key :
       {"ha.standalone.address.latch", "ha.standalone.address.", "ha.standalone.address.."}) {
    CAPTURE(key);
    auto error = configurationErrorOf([&] {
      createHighAvailabilityServices(Configuration::fromMap({{key, "host:1"}}));
    });
    CHECK(error.key() == key);
    CHECK_THAT(error.what(), Catch::Contains(key));
  }
}

TEST_CASE("an empty standalone address names the key") {
  auto error = configurationErrorOf([&] {
    createHighAvailabilityServices(Configuration::fromMap(
        {{"ha.type", "standalone"}, {"ha.standalone.address.dispatcher", " "}}));
  });
  CHECK(error.key() == "ha.standalone.address.dispatcher");
}

TEST_CASE("embedded: an invalid ha.cluster-id or ha.participant-id names the key") {
  for (const std::string& bad :
       std::vector<std::string>{"", "a/b", "..", "latch", std::string(129, 'x'), "with space"}) {
    CAPTURE(bad);
    auto cluster = configurationErrorOf([&] {
      createHighAvailabilityServices(
          Configuration::fromMap({{"ha.type", "embedded"}, {"ha.cluster-id", bad}}));
    });
    CHECK(cluster.key() == "ha.cluster-id");
    CHECK_THAT(cluster.what(), Catch::Contains("ha.cluster-id"));
    auto participant = configurationErrorOf([&] {
      createHighAvailabilityServices(
          Configuration::fromMap({{"ha.type", "embedded"}, {"ha.participant-id", bad}}));
    });
    CHECK(participant.key() == "ha.participant-id");
  }
}

TEST_CASE("a malformed ha.participant-id or ha.cluster-id is an error under every built-in type") {
  std::vector<std::string> types{"standalone", "none", "embedded"};
#ifdef BATON_HAS_ZOOKEEPER
  types.push_back("zookeeper");
#endif
  for (const auto& type : types) {
    for (std::string key : {"ha.participant-id", "ha.cluster-id"}) {
      CAPTURE(type, key);
      auto error = configurationErrorOf([&] {
        createHighAvailabilityServices(Configuration::fromMap(
            {{"ha.type", type}, {"ha.zookeeper.quorum", "zk:2181"}, {key, "a/b"}}));
      });
      CHECK(error.key() == key);
    }
  }
}

TEST_CASE("registering a built-in name, an empty name or an empty factory is refused") {
  auto factory = [](const Configuration&, const HaServicesOptions&) {
    return std::unique_ptr<baton::HighAvailabilityServices>();
  };
  for (std::string builtIn : {"standalone", "none", "embedded", "zookeeper"}) {
    CAPTURE(builtIn);
    try {
      registerHaServicesFactory(builtIn, factory);
      FAIL("registered a built-in name");
    } catch (const std::invalid_argument& e) {
      CHECK_THAT(e.what(), Catch::Contains("'" + builtIn + "'") && Catch::Contains("ha.type"));
    }
  }
  CHECK_THROWS_AS(registerHaServicesFactory("", factory), std::invalid_argument);
  CHECK_THROWS_AS(registerHaServicesFactory("custom-empty", nullptr), std::invalid_argument);
}

TEST_CASE("a registered factory is used for its type and gets configuration and options") {
  boost::asio::io_context io;
  HaServicesOptions options;
  options.callbackExecutor = io.get_executor();
  int calls = 0;
  std::string seenSetting;
  bool seenExecutor = false;
  registerHaServicesFactory(
      "factory-test", [&](const Configuration& configuration, const HaServicesOptions& given) {
        ++calls;
        seenSetting = configuration.getString("factory-test.setting", "");
        seenExecutor = given.callbackExecutor.has_value();
        return std::make_unique<StandaloneHaServices>(
            std::map<std::string, std::string>{{"dispatcher", "custom:1"}}, given);
      });
  auto configuration =
      Configuration::fromMap({{"ha.type", "factory-test"}, {"factory-test.setting", "42"}});
  auto services = createHighAvailabilityServices(configuration, options);
  CHECK(calls == 1);
  CHECK(seenSetting == "42");
  CHECK(seenExecutor);
  RecordingRetrievalListener listener;
  auto retriever = services->getDispatcherLeaderRetriever();
  retriever->start(listener);
  io.poll();
  CHECK(listener.inbox.expectNext<LeaderSeen>(std::chrono::milliseconds(0)).address == "custom:1");
  retriever->stop();

  SECTION("a later registration of the same name replaces it") {
    int replacementCalls = 0;
    registerHaServicesFactory("factory-test", [&](const Configuration&, const HaServicesOptions&) {
      ++replacementCalls;
      return std::make_unique<StandaloneHaServices>(std::map<std::string, std::string>{});
    });
    createHighAvailabilityServices(configuration);
    CHECK(replacementCalls == 1);
    CHECK(calls == 1);
  }
  SECTION("registered names are listed as valid values") {
    auto error = configurationErrorOf(
        [&] { createHighAvailabilityServices(Configuration().set("ha.type", "nope")); });
    CHECK_THAT(error.what(), Catch::Contains("factory-test"));
  }
}

TEST_CASE("a registered factory that returns no services is an error, not a null") {
  registerHaServicesFactory("factory-test-null",
                            [](const Configuration&, const HaServicesOptions&) {
                              return std::unique_ptr<baton::HighAvailabilityServices>();
                            });
  CHECK_THROWS_AS(
      createHighAvailabilityServices(Configuration().set("ha.type", "factory-test-null")),
      std::logic_error);
}

TEST_CASE("a factory may register another factory from inside (no deadlock)") {
  registerHaServicesFactory("factory-test-outer", [](const Configuration&,
                                                     const HaServicesOptions& options) {
    registerHaServicesFactory("factory-test-inner", [](const Configuration&,
                                                       const HaServicesOptions& inner) {
      return std::make_unique<StandaloneHaServices>(std::map<std::string, std::string>{}, inner);
    });
    return std::make_unique<StandaloneHaServices>(std::map<std::string, std::string>{}, options);
  });
  CHECK(createHighAvailabilityServices(Configuration().set("ha.type", "factory-test-outer")));
  CHECK(createHighAvailabilityServices(Configuration().set("ha.type", "factory-test-inner")));
}

// Captures what the factory logs.
struct CapturedLog {
  std::ostringstream text;
  HaServicesOptions options;
  CapturedLog() {
    options.logger = std::make_shared<spdlog::logger>(
        "factory-test", std::make_shared<spdlog::sinks::ostream_sink_mt>(text));
  }
  std::string str() {
    options.logger->flush();
    return text.str();
  }
};

TEST_CASE("an unknown ha.* key is logged as a warning, not silently ignored") {
  CapturedLog log;
  createHighAvailabilityServices(
      Configuration::fromMap({{"ha.zookeper.quorum", "typo:2181"}, {"ha.type", "none"}}),
      log.options);
  CHECK_THAT(log.str(), Catch::Contains("'ha.zookeper.quorum' is not known"));
}

TEST_CASE("a key of another backend is logged as ignored: ha.type decides") {
  CapturedLog log;
  auto services = createHighAvailabilityServices(
      Configuration::fromMap({{"ha.zookeeper.quorum", "zk:2181"}, {"ha.cluster-id", "c"}}),
      log.options);
  CHECK(isStandalone(services));
  CHECK_THAT(log.str(), Catch::Contains("'ha.zookeeper.quorum' is read by the zookeeper") &&
                            Catch::Contains("'ha.cluster-id' is read by the embedded, zookeeper"));
}

#ifdef BATON_HAS_ZOOKEEPER
TEST_CASE("ha.type zookeeper: the backend validates its keys, naming them") {
  auto missing = configurationErrorOf(
      [&] { createHighAvailabilityServices(Configuration().set("ha.type", "zookeeper")); });
  CHECK(missing.key() == "ha.zookeeper.quorum");
  auto bad = configurationErrorOf([&] {
    createHighAvailabilityServices(Configuration::fromMap(
        {{"ha.type", "zookeeper"}, {"ha.zookeeper.quorum", "zk:2181"}, {"ha.cluster-id", "a/b"}}));
  });
  CHECK(bad.key() == "ha.cluster-id");
}
#endif
