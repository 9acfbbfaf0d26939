// The ZooKeeper backend's keys: parsed from their declarations (src/ha/zk_ha_options.cpp), with
// the one quorum validator the client uses too and the common ha.participant-id check.
#include <catch2/catch.hpp>

#include <map>

#include "baton/error.hpp"
#include "baton/known_options.hpp"
#include "client/zk_settings_check.hpp"
#include "ha/zookeeper_ha_services.hpp"

using baton::Configuration;
using baton::ConfigurationError;
using baton::zookeeper::parseZkHaSettings;

namespace {

Configuration withQuorum(std::map<std::string, std::string> extra = {}) {
  extra.emplace("ha.zookeeper.quorum", "zk1:2181,zk2:2181");
  return Configuration::fromMap(std::move(extra));
}

template <typename Fn>
std::string keyOfError(Fn&& fn) {
  try {
    fn();
  } catch (const ConfigurationError& e) {
    return e.key();
  }
  return "(no ConfigurationError)";
}

}  // namespace

TEST_CASE("zookeeper: ha.participant-id is checked as a name, as for embedded") {
  for (std::string bad : {"", "a/b", "..", "latch", "with space"}) {
    CAPTURE(bad);
    CHECK(keyOfError([&] {
            parseZkHaSettings(withQuorum({{"ha.participant-id", bad}}));
          }) == "ha.participant-id");
  }
  CHECK(parseZkHaSettings(withQuorum({{"ha.participant-id", "node-1"}})).election.participant.id ==
        "node-1");
}

TEST_CASE("zookeeper: the default participant id is a valid name") {
  auto id = parseZkHaSettings(withQuorum()).election.participant.id;
  CHECK_NOTHROW(parseZkHaSettings(withQuorum({{"ha.participant-id", id}})));
}

TEST_CASE("zookeeper: the HA configuration and the client refuse the same malformed quorums") {
  for (std::string bad : {"", "zk1", "zk1:", "zk1:0", "zk1:65536", ":2181", "zk1:2181,", "::1:2181",
                          "[::1:2181", "zk1:21x1"}) {
    CAPTURE(bad);
    baton::zookeeper::ZkSettings client;
    client.quorum = bad;
    CHECK(keyOfError([&] { baton::zookeeper::detail::checkSettings(client); }) ==
          "ha.zookeeper.quorum");
    CHECK(keyOfError([&] {
            parseZkHaSettings(withQuorum({{"ha.zookeeper.quorum", bad}}));
          }) == "ha.zookeeper.quorum");
  }
  CHECK_NOTHROW(parseZkHaSettings(withQuorum({{"ha.zookeeper.quorum", "[::1]:2181,zk:1"}})));
}

TEST_CASE("zookeeper: a chroot is the client's business, refused by the HA configuration") {
  baton::zookeeper::ZkSettings client;
  client.quorum = "zk1:2181/apps";
  CHECK_NOTHROW(baton::zookeeper::detail::checkSettings(client));
  try {
    parseZkHaSettings(withQuorum({{"ha.zookeeper.quorum", "zk1:2181/apps"}}));
    FAIL("accepted a chroot");
  } catch (const ConfigurationError& e) {
    CHECK(e.key() == "ha.zookeeper.quorum");
    CHECK_THAT(e.what(), Catch::Contains("ha.zookeeper.root"));
  }
}

TEST_CASE("zookeeper: a malformed digest names the key and never shows the secret") {
  try {
    parseZkHaSettings(withQuorum({{"ha.zookeeper.auth.digest", "s3cret"}}));
    FAIL("accepted a digest without ':'");
  } catch (const ConfigurationError& e) {
    CHECK(e.key() == "ha.zookeeper.auth.digest");
    CHECK_THAT(e.what(), !Catch::Contains("s3cret"));
  }
  CHECK_FALSE(parseZkHaSettings(withQuorum({{"ha.zookeeper.auth.digest", ""}}))
                  .client.digestCredentials.has_value());
}

TEST_CASE("zookeeper: every documented default, set explicitly, parses to the same settings") {
  std::map<std::string, std::string> explicitDefaults;
  for (const auto& option : baton::knownConfigurationOptions()) {
    const auto& cell = option.defaultCell;
    if (option.backend != "zookeeper" || !cell.starts_with('`'))
      continue;  // another backend's, or no default
    explicitDefaults.emplace(option.key, cell.substr(1, cell.find('`', 1) - 1));
  }
  CHECK(explicitDefaults.size() >= 10);
  auto implicit = parseZkHaSettings(withQuorum());
  auto written = parseZkHaSettings(withQuorum(explicitDefaults));
  CHECK(written.client.sessionTimeout == implicit.client.sessionTimeout);
  CHECK(written.client.connectionTimeout == implicit.client.connectionTimeout);
  CHECK(written.client.operationTimeout == implicit.client.operationTimeout);
  CHECK(written.client.retry.baseDelay == implicit.client.retry.baseDelay);
  CHECK(written.client.retry.maxDelay == implicit.client.retry.maxDelay);
  CHECK(written.client.retry.maxAttempts == implicit.client.retry.maxAttempts);
  CHECK(written.client.tickTime == implicit.client.tickTime);
  CHECK(written.client.acl == implicit.client.acl);
  CHECK(written.election.paths.root == implicit.election.paths.root);
  CHECK(written.election.policy == implicit.election.policy);
  CHECK(written.election.leaseMargin == implicit.election.leaseMargin);
}
