// Environment overrides (BATON_*) and the precedence file < map < environment. Variables map
// back to the keys the built-in backends declare (baton::knownConfigurationOptions()).
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "baton/configuration.hpp"
#include "baton/known_options.hpp"

using baton::Configuration;

namespace {

// A NULL-terminated envp array owning its strings.
class Environment {
 public:
  Environment(std::initializer_list<std::string> entries) : entries_(entries) {
    for (auto& entry : entries_)
      pointers_.push_back(entry.c_str());
    pointers_.push_back(nullptr);
  }
  const char* const* envp() const { return pointers_.data(); }

 private:
  std::vector<std::string> entries_;
  std::vector<const char*> pointers_;
};

}  // namespace

TEST_CASE("the environment variable of a key") {
  CHECK(baton::environmentVariableFor("ha.zookeeper.quorum") == "BATON_HA_ZOOKEEPER_QUORUM");
  CHECK(baton::environmentVariableFor("ha.zookeeper.session-timeout") ==
        "BATON_HA_ZOOKEEPER_SESSION_TIMEOUT");
  CHECK(baton::environmentVariableFor("ha.cluster-id") == "BATON_HA_CLUSTER_ID");
}

TEST_CASE("BATON_ variables override keys; other variables are ignored") {
  Environment env{"BATON_HA_ZOOKEEPER_QUORUM=zk1:2181,zk2:2181",
                  "BATON_HA_TYPE=zookeeper",
                  "HOME=/root",
                  "PATH=/usr/bin",
                  "BATON_=nothing",
                  "BATON_NO_VALUE"};
  auto configuration =
      Configuration().withEnvironmentOverrides(baton::knownConfigurationOptions(), env.envp());
  CHECK(configuration.entries() ==
        std::map<std::string, std::string>{{"ha.type", "zookeeper"},
                                           {"ha.zookeeper.quorum", "zk1:2181,zk2:2181"}});
}

TEST_CASE("known keys containing '-' map back from their variable") {
  Environment env{"BATON_HA_CLUSTER_ID=prod", "BATON_HA_ZOOKEEPER_SESSION_TIMEOUT=30s",
                  "BATON_HA_ZOOKEEPER_RETRY_MAX_ATTEMPTS=5", "BATON_HA_CONNECTION_POLICY=lease",
                  "BATON_HA_STANDALONE_ADDRESS_REST_SERVER=http://jm:8081"};
  auto configuration =
      Configuration().withEnvironmentOverrides(baton::knownConfigurationOptions(), env.envp());
  CHECK(configuration.get("ha.cluster-id") == "prod");
  CHECK(configuration.get("ha.zookeeper.session-timeout") == "30s");
  CHECK(configuration.get("ha.zookeeper.retry.max-attempts") == "5");
  CHECK(configuration.get("ha.connection-policy") == "lease");
  CHECK(configuration.get("ha.standalone.address.rest_server") == "http://jm:8081");
  CHECK(configuration.entries().size() == 5);
}

TEST_CASE("every known key round-trips through its environment variable") {
  for (const auto& known : baton::knownConfigurationOptions()) {
    if (known.isFamily())
      continue;  // a family, not a key
    std::string key(known.key);
    CAPTURE(key);
    Environment env{baton::environmentVariableFor(key) + "=value"};
    auto configuration =
        Configuration().withEnvironmentOverrides(baton::knownConfigurationOptions(), env.envp());
    CHECK(configuration.entries() == std::map<std::string, std::string>{{key, "value"}});
  }
}

TEST_CASE("without known options, '-' cannot be told from '.'; applyEnvironmentOverrides knows") {
  Environment env{"BATON_HA_ZOOKEEPER_SESSION_TIMEOUT=30s"};
  CHECK(Configuration().withEnvironmentOverrides({}, env.envp()).entries() ==
        std::map<std::string, std::string>{{"ha.zookeeper.session.timeout", "30s"}});
  CHECK(baton::applyEnvironmentOverrides(Configuration(), env.envp()).entries() ==
        std::map<std::string, std::string>{{"ha.zookeeper.session-timeout", "30s"}});
}

TEST_CASE("unknown variables: lower-cased, '_' -> '.', unless a key already set matches") {
  Environment env{"BATON_MY_APP_SETTING=1", "BATON_HA_STANDALONE_ADDRESS_JOB_ABC=jm:6123",
                  "BATON_HA_STANDALONE_ADDRESS_MY_COMPONENT=mc:1"};
  auto configuration =
      Configuration::fromMap({{"ha.standalone.address.my_component", "old"}})
          .withEnvironmentOverrides(baton::knownConfigurationOptions(), env.envp());
  CHECK(configuration.get("my.app.setting") == "1");
  CHECK(configuration.get("ha.standalone.address.job.abc") == "jm:6123");
  CHECK(configuration.get("ha.standalone.address.my_component") == "mc:1");
  CHECK_FALSE(configuration.contains("ha.standalone.address.my.component"));
}

TEST_CASE("an empty variable sets an empty value") {
  Environment env{"BATON_HA_ZOOKEEPER_ROOT="};
  auto configuration =
      Configuration::fromMap({{"ha.zookeeper.root", "/x"}})
          .withEnvironmentOverrides(baton::knownConfigurationOptions(), env.envp());
  CHECK(configuration.get("ha.zookeeper.root") == "");
}

TEST_CASE("precedence: file < map < environment") {
  auto path = std::filesystem::temp_directory_path() /
              ("baton-precedence-test-" + std::to_string(getpid()) + ".conf");
  std::ofstream(path) << "ha.type = zookeeper\n"
                         "ha.zookeeper.quorum = file:2181\n"
                         "ha.zookeeper.root = /from-file\n"
                         "ha.cluster-id = from-file\n";
  auto fromFile = Configuration::fromFile(path);
  std::filesystem::remove(path);
  auto fromMap = Configuration::fromMap(
      {{"ha.zookeeper.quorum", "map:2181"}, {"ha.zookeeper.root", "/from-map"}});
  Environment env{"BATON_HA_ZOOKEEPER_QUORUM=env:2181"};

  auto configuration = fromFile.mergedWith(fromMap).withEnvironmentOverrides(
      baton::knownConfigurationOptions(), env.envp());
  CHECK(configuration.get("ha.type") == "zookeeper");             // file only
  CHECK(configuration.get("ha.cluster-id") == "from-file");       // file only
  CHECK(configuration.get("ha.zookeeper.root") == "/from-map");   // map beats file
  CHECK(configuration.get("ha.zookeeper.quorum") == "env:2181");  // environment beats both
}

TEST_CASE("the process environment is the default source") {
  REQUIRE(::setenv("BATON_HA_ZOOKEEPER_ACL", "creator", 1) == 0);
  auto configuration = Configuration::fromMap({{"ha.zookeeper.acl", "open"}})
                           .withEnvironmentOverrides(baton::knownConfigurationOptions());
  REQUIRE(::unsetenv("BATON_HA_ZOOKEEPER_ACL") == 0);
  CHECK(configuration.get("ha.zookeeper.acl") == "creator");
}
