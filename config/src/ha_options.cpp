#include "baton/ha_options.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <stdexcept>
#include <vector>

#include "baton/component_id.hpp"
#include "baton/error.hpp"

namespace baton {

const StringOption kHaTypeOption{
    .key = "ha.type",
    .type = "enum",
    .doc =
        "Which services to build: `standalone` (or its alias `none`): fixed leaders, no "
        "election; `embedded`: an in-process election; `zookeeper`: a ZooKeeper election; or "
        "a name registered with `registerHaServicesFactory`. Only an absent key selects "
        "standalone implicitly; an unknown value is an error listing the valid ones. "
        "Example: `ha.type = zookeeper`",
    .documentedDefault = "absent: `standalone`"};

const StringOption kClusterIdOption{
    .key = "ha.cluster-id",
    .type = "name",
    .defaultValue = "default",
    .doc =
        "The election domain. Embedded: every services object of one process with the same "
        "cluster id takes part in the same election. ZooKeeper: the cluster's znodes live "
        "under `<ha.zookeeper.root>/<ha.cluster-id>`. Example: `ha.cluster-id = orders-prod`",
    .check = checkName};

const StringOption kParticipantIdOption{
    .key = "ha.participant-id",
    .type = "name",
    .doc =
        "This participant's name in the election (`EmbeddedCluster::participants()`, and the "
        "data of its ZooKeeper latch node); the default is unique per services object. "
        "Example: `ha.participant-id = node-1`",
    .check = checkName,
    .documentedDefault = "`<hostname>-<pid>-<counter>`"};

std::span<const OptionDescription> commonHaOptions() {
  static const std::vector<OptionDescription> options = {
      describe(kHaTypeOption, "all"),
      describe(kClusterIdOption, "embedded, zookeeper"),
      describe(kParticipantIdOption, "embedded, zookeeper"),
  };
  return options;
}

std::string readParticipantId(const Configuration& configuration) {
  auto configured = read(configuration, kParticipantIdOption);
  return configuration.contains(std::string(kParticipantIdOption.key)) ? configured
                                                                       : defaultParticipantId();
}

std::string defaultParticipantId() {
  static std::atomic<std::uint64_t> counter{0};
  char host[256] = {};
  std::string hostname = gethostname(host, sizeof host - 1) == 0 ? host : "";
  for (char& c : hostname) {
    bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == '.' || c == '_' || c == '-';
    if (!allowed)
      c = '-';
  }
  if (hostname.empty())
    hostname = "localhost";
  hostname.resize(std::min<std::size_t>(hostname.size(), 64));
  return hostname + "-" + std::to_string(getpid()) + "-" + std::to_string(++counter);
}

void checkName(const std::string& key, const std::string& value) {
  try {
    validateComponentId(value);
  } catch (const std::invalid_argument& e) {
    throw ConfigurationError(key, e.what());
  }
}

}  // namespace baton
