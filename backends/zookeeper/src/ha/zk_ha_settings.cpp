#include <unistd.h>

#include <atomic>

#include "baton/component_id.hpp"
#include "baton/configuration_keys.hpp"
#include "baton/error.hpp"
#include "client/lease/lease_deadline.hpp"
#include "ha/zookeeper_ha_services.hpp"

namespace baton::zookeeper {
namespace {

using namespace std::chrono_literals;

std::string key(std::string_view k) {
  return std::string(k);
}

// "host:port[,host:port...]" with ports 1..65535; a chroot suffix is refused (use the root key).
void validateQuorum(const std::string& quorum) {
  const std::string k = key(kZooKeeperQuorumKey);
  if (quorum.find('/') != std::string::npos) {
    throw ConfigurationError(k, "'" + quorum + "' has a chroot; set ha.zookeeper.root instead");
  }
  std::size_t start = 0;
  while (start <= quorum.size()) {
    auto end = quorum.find(',', start);
    auto server = quorum.substr(start, end == std::string::npos ? end : end - start);
    auto colon = server.rfind(':');
    if (server.empty() || colon == std::string::npos || colon == 0) {
      throw ConfigurationError(k, "'" + server + "' is not host:port");
    }
    auto port = server.substr(colon + 1);
    bool digits = !port.empty() && port.size() <= 5 &&
                  port.find_first_not_of("0123456789") == std::string::npos;
    if (!digits || std::stoi(port) < 1 || std::stoi(port) > 65535) {
      throw ConfigurationError(k, "'" + server + "' has no valid port (1-65535)");
    }
    if (end == std::string::npos)
      break;
    start = end + 1;
  }
}

std::string defaultParticipantId() {
  static std::atomic<int> counter{0};
  char host[256] = "host";
  gethostname(host, sizeof host - 1);
  return std::string(host) + "-" + std::to_string(getpid()) + "-" + std::to_string(++counter);
}

}  // namespace

ZkHaSettings parseZkHaSettings(const Configuration& c) {
  ZkHaSettings s;
  s.client.quorum = c.require(key(kZooKeeperQuorumKey));
  validateQuorum(s.client.quorum);
  s.paths.root = c.getString(key(kZooKeeperRootKey), "/baton");
  validateZkRoot(key(kZooKeeperRootKey), s.paths.root);
  s.paths.clusterId = c.getString(key(kClusterIdKey), "default");
  try {
    validateComponentId(s.paths.clusterId);
  } catch (const std::invalid_argument& e) {
    throw ConfigurationError(key(kClusterIdKey), e.what());
  }
  s.client.sessionTimeout = c.getDuration(key(kZooKeeperSessionTimeoutKey), 10s);
  s.client.connectionTimeout = c.getDuration(key(kZooKeeperConnectionTimeoutKey), 15s);
  s.client.operationTimeout = c.getDuration(key(kZooKeeperOperationTimeoutKey), 10s);
  s.client.retry.baseDelay = c.getDuration(key(kZooKeeperRetryBaseDelayKey), 50ms);
  s.client.retry.maxDelay = c.getDuration(key(kZooKeeperRetryMaxDelayKey), 2s);
  s.client.retry.maxAttempts =
      static_cast<int>(c.getInt(key(kZooKeeperRetryMaxAttemptsKey), 20, 1, 1000000));
  if (s.client.sessionTimeout < 1s) {
    throw ConfigurationError(key(kZooKeeperSessionTimeoutKey), "must be at least 1s");
  }
  if (auto digest = c.get(key(kZooKeeperAuthDigestKey)); digest && !digest->empty()) {
    if (digest->find(':') == std::string::npos || digest->front() == ':') {
      throw ConfigurationError(key(kZooKeeperAuthDigestKey), "must be user:password");
    }
    s.client.digestCredentials = *digest;
  }
  auto acl = c.getString(key(kZooKeeperAclKey), s.client.digestCredentials ? "creator" : "open");
  if (acl != "open" && acl != "creator") {
    throw ConfigurationError(key(kZooKeeperAclKey), "'" + acl + "' is not open or creator");
  }
  if (acl == "creator" && !s.client.digestCredentials) {
    throw ConfigurationError(key(kZooKeeperAclKey), "creator needs ha.zookeeper.auth.digest");
  }
  s.client.acl = acl == "creator" ? AclMode::creator : AclMode::open;
  auto policy = c.getString(key(kConnectionPolicyKey), "lease");
  auto parsed = parseConnectionPolicy(policy);
  if (policy == "session") {
    throw ConfigurationError(key(kConnectionPolicyKey),
                             "'session' was removed: it kept leadership after the servers could "
                             "have expired the session (two leaders under a partition); use "
                             "lease (rides out outages) or standard");
  }
  if (!parsed) {
    throw ConfigurationError(key(kConnectionPolicyKey),
                             "'" + policy + "' is not lease or standard");
  }
  s.policy = *parsed;
  s.leaseMargin = c.getDuration(key(kLeaseSafetyMarginKey), 500ms);
  s.client.tickTime = c.getDuration(key(kZooKeeperTickTimeKey), 2s);
  if (s.client.tickTime <= 0ms) {
    throw ConfigurationError(key(kZooKeeperTickTimeKey), "must be positive");
  }
  if (!detail::leaseCanBeHeld(s.client.sessionTimeout, s.leaseMargin, s.client.tickTime)) {
    throw ConfigurationError(
        key(kZooKeeperSessionTimeoutKey),
        "a lease could never be held: ha.zookeeper.session-timeout (" +
            std::to_string(s.client.sessionTimeout.count()) +
            " ms) must exceed ha.lease.safety-margin (" + std::to_string(s.leaseMargin.count()) +
            " ms) + twice the leader's keepalive period + ha.zookeeper.tick-time (" +
            std::to_string(s.client.tickTime.count()) + " ms); see docs/reliability.md");
  }
  s.participant.id = c.getString(key(kParticipantIdKey), defaultParticipantId());
  s.participant.address = c.getString(key(kParticipantAddressKey), "");
  return s;
}

}  // namespace baton::zookeeper
