#include "baton/error.hpp"
#include "baton/ha_options.hpp"
#include "client/lease/lease_deadline.hpp"
#include "ha/zk_ha_options.hpp"
#include "ha/zookeeper_ha_services.hpp"

namespace baton::zookeeper {
namespace {

// The keys are declared (and checked one by one) in zk_ha_options.cpp; what is left here is
// what one key cannot decide alone.

AclMode readAcl(const Configuration& c, bool hasCredentials) {
  const std::string key(kAclOption.key);
  const std::string acl = c.contains(key)  ? read(c, kAclOption)
                          : hasCredentials ? "creator"
                                           : "open";
  if (acl == "creator" && !hasCredentials)
    throw ConfigurationError(key, "creator needs ha.zookeeper.auth.digest");
  return acl == "creator" ? AclMode::creator : AclMode::open;
}

void checkLeaseCanBeHeld(const ZkHaSettings& s) {
  if (detail::leaseCanBeHeld(s.client.sessionTimeout, s.election.leaseMargin, s.client.tickTime))
    return;
  throw ConfigurationError(
      std::string(kSessionTimeoutOption.key),
      "a lease could never be held: ha.zookeeper.session-timeout (" +
          std::to_string(s.client.sessionTimeout.count()) +
          " ms) must exceed ha.lease.safety-margin (" +
          std::to_string(s.election.leaseMargin.count()) +
          " ms) + twice the leader's keepalive period + ha.zookeeper.tick-time (" +
          std::to_string(s.client.tickTime.count()) + " ms); see docs/reliability.md");
}

}  // namespace

ZkHaSettings parseZkHaSettings(const Configuration& c) {
  ZkHaSettings s;
  s.client.quorum = read(c, kQuorumOption);
  s.election.paths.root = read(c, kRootOption);
  s.election.paths.clusterId = read(c, kClusterIdOption);
  s.client.sessionTimeout = read(c, kSessionTimeoutOption);
  s.client.connectionTimeout = read(c, kConnectionTimeoutOption);
  s.client.operationTimeout = read(c, kOperationTimeoutOption);
  s.client.retry.baseDelay = read(c, kRetryBaseDelayOption);
  s.client.retry.maxDelay = read(c, kRetryMaxDelayOption);
  s.client.retry.maxAttempts = static_cast<int>(read(c, kRetryMaxAttemptsOption));
  if (auto digest = read(c, kAuthDigestOption); !digest.empty())
    s.client.digestCredentials = std::move(digest);
  s.client.acl = readAcl(c, s.client.digestCredentials.has_value());
  s.election.policy =
      *parseConnectionPolicy(read(c, kConnectionPolicyOption));  // checked by the option
  s.election.leaseMargin = read(c, kLeaseSafetyMarginOption);
  s.client.tickTime = read(c, kTickTimeOption);
  checkLeaseCanBeHeld(s);
  s.election.participant.id = readParticipantId(c);
  s.election.participant.address = read(c, kParticipantAddressOption);
  return s;
}

}  // namespace baton::zookeeper
