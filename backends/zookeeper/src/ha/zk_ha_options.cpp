#include "ha/zk_ha_options.hpp"

#include <vector>

#include "baton/error.hpp"
#include "baton/zookeeper/zookeeper_configuration.hpp"
#include "client/zk_settings_check.hpp"
#include "election/connection_policy.hpp"
#include "ha/zookeeper_ha_services.hpp"
#include "leader_info/zk_paths.hpp"

namespace baton::zookeeper {
namespace {

using namespace std::chrono_literals;

const ZkSettings kClientDefaults{};
const ZkHaSettings kHaDefaults{};

void checkHaQuorum(const std::string&, const std::string& quorum) {
  detail::checkQuorum(quorum, detail::Chroot::refused);
}

void checkSessionTimeout(const std::string& key, const std::chrono::milliseconds& value) {
  if (value < 1s)
    throw ConfigurationError(key, "must be at least 1s");
}

void checkPositive(const std::string& key, const std::chrono::milliseconds& value) {
  detail::checkPositive(key, value);
}

void checkAttempts(const std::string& key, const std::int64_t& value) {
  checkRange(key, value, 1, 1000000);
}

// Empty means "no credentials", as if the key were absent.
void checkDigestUnlessEmpty(const std::string& key, const std::string& digest) {
  if (!digest.empty())
    detail::checkDigest(key, digest);
}

void checkAcl(const std::string& key, const std::string& acl) {
  if (acl != "open" && acl != "creator")
    throw ConfigurationError(key, "'" + acl + "' is not open or creator");
}

void checkPolicy(const std::string& key, const std::string& policy) {
  if (policy == "session") {
    throw ConfigurationError(key,
                             "'session' was removed: it kept leadership after the servers could "
                             "have expired the session (two leaders under a partition); use "
                             "lease (rides out outages) or standard");
  }
  if (!parseConnectionPolicy(policy))
    throw ConfigurationError(key, "'" + policy + "' is not lease or standard");
}

}  // namespace

const StringOption kParticipantAddressOption{
    .key = kParticipantAddressKey,
    .type = "string",
    .doc =
        "An address stored with the participant in its latch node, for tools listing the "
        "participants. Example: `ha.participant-address = http://node-1:8080`"};

const StringOption kQuorumOption{
    .key = kQuorumKey,
    .type = "string",
    .doc =
        "The ensemble, `host:port` pairs separated by commas (IPv6 hosts in brackets), ports "
        "1 to 65535, no chroot suffix (use `ha.zookeeper.root`). Example: "
        "`ha.zookeeper.quorum = zk1:2181,zk2:2181,zk3:2181`",
    .check = checkHaQuorum,
    .required = true};

const StringOption kRootOption{.key = "ha.zookeeper.root",
                               .type = "string",
                               .defaultValue = "/baton",
                               .doc =
                                   "The znode under which baton keeps its data. Example: "
                                   "`ha.zookeeper.root = /services/baton`",
                               .check = validateZkRoot};

const DurationOption kSessionTimeoutOption{
    .key = "ha.zookeeper.session-timeout",
    .type = "duration",
    .defaultValue = kClientDefaults.sessionTimeout,
    .doc =
        "The session timeout asked of the server; at least `1s`. Example: "
        "`ha.zookeeper.session-timeout = 30s`",
    .check = checkSessionTimeout};

const DurationOption kConnectionTimeoutOption{
    .key = "ha.zookeeper.connection-timeout",
    .type = "duration",
    .defaultValue = kClientDefaults.connectionTimeout,
    .doc =
        "How long the first connection may take. Example: "
        "`ha.zookeeper.connection-timeout = 5s`",
    .check = checkPositive};

const DurationOption kOperationTimeoutOption{
    .key = "ha.zookeeper.operation-timeout",
    .type = "duration",
    .defaultValue = kClientDefaults.operationTimeout,
    .doc =
        "How long one request may take before it fails with a timeout. Example: "
        "`ha.zookeeper.operation-timeout = 20s`",
    .check = checkPositive};

const DurationOption kRetryBaseDelayOption{
    .key = "ha.zookeeper.retry.base-delay",
    .type = "duration",
    .defaultValue = kClientDefaults.retry.baseDelay,
    .doc =
        "The first delay of the capped exponential backoff for retryable errors. Example: "
        "`ha.zookeeper.retry.base-delay = 100ms`"};

const DurationOption kRetryMaxDelayOption{
    .key = "ha.zookeeper.retry.max-delay",
    .type = "duration",
    .defaultValue = kClientDefaults.retry.maxDelay,
    .doc = "The cap of that backoff. Example: `ha.zookeeper.retry.max-delay = 5s`"};

const IntOption kRetryMaxAttemptsOption{
    .key = "ha.zookeeper.retry.max-attempts",
    .type = "int",
    .defaultValue = kClientDefaults.retry.maxAttempts,
    .doc =
        "Retries of one operation before the error is reported as fatal; 1 to 1000000. "
        "Example: `ha.zookeeper.retry.max-attempts = 10`",
    .check = checkAttempts};

const StringOption kAuthDigestOption{.key = "ha.zookeeper.auth.digest",
                                     .type = "string",
                                     .doc =
                                         "Digest credentials, `user:password`. Example: "
                                         "`ha.zookeeper.auth.digest = baton:s3cret`",
                                     .check = checkDigestUnlessEmpty};

const StringOption kAclOption{
    .key = "ha.zookeeper.acl",
    .type = "enum",
    .defaultValue = kClientDefaults.acl == AclMode::open ? "open" : "creator",
    .doc =
        "ACL of the nodes baton creates: `open` (world-accessible) or `creator` "
        "(creator-only; requires `ha.zookeeper.auth.digest`). Example: "
        "`ha.zookeeper.acl = creator`",
    .check = checkAcl,
    .documentedDefault = "`open`; `creator` when `ha.zookeeper.auth.digest` is set"};

const StringOption kConnectionPolicyOption{
    .key = "ha.connection-policy",
    .type = "enum",
    .defaultValue = std::string(toString(kHaDefaults.election.policy)),
    .doc =
        "What a leader does while its connection is down. Both policies end leadership at "
        "the lease deadline (the proven renewal of the session at the ZooKeeper leader + the "
        "negotiated session timeout - `ha.lease.safety-margin`; see `docs/reliability.md`), "
        "connected or not: `lease` keeps leadership until then (rides out short outages); "
        "`standard` also revokes at once on any sign of a lost connection (every blip costs "
        "a leadership change). The former `session` policy is refused: it was unsafe under "
        "partitions. Example: `ha.connection-policy = standard`",
    .check = checkPolicy};

const DurationOption kLeaseSafetyMarginOption{
    .key = "ha.lease.safety-margin",
    .type = "duration",
    .defaultValue = kHaDefaults.election.leaseMargin,
    .doc =
        "How much earlier than the servers could expire the session leadership ends: covers "
        "the rate difference of the client's and the ZooKeeper leader's clocks over the "
        "session timeout, and the delay of a revoke reaching the application. The session "
        "timeout must exceed it + twice the leader keepalive period (min(tick-time/2, "
        "session-timeout/6)) + `ha.zookeeper.tick-time`, or the configuration is refused. "
        "Example: `ha.lease.safety-margin = 1s`"};

const DurationOption kTickTimeOption{
    .key = "ha.zookeeper.tick-time",
    .type = "duration",
    .defaultValue = kClientDefaults.tickTime,
    .doc =
        "The ZooKeeper servers' `tickTime` (ZooKeeper's default is 2 s). The ZooKeeper "
        "leader relays a session's renewals from a follower in its pings, every tickTime/2; "
        "the lease assumes at most one tick between two of them (`docs/reliability.md`). Set "
        "it to your servers' value; a larger value only shortens the lease. Example: "
        "`ha.zookeeper.tick-time = 500ms`",
    .check = checkPositive};

std::span<const OptionDescription> zooKeeperOptions() {
  static const std::vector<OptionDescription> options = [] {
    std::vector<OptionDescription> all;
    for (const auto* option : {&kParticipantAddressOption, &kQuorumOption, &kRootOption})
      all.push_back(describe(*option, "zookeeper"));
    for (const auto* option :
         {&kSessionTimeoutOption, &kConnectionTimeoutOption, &kOperationTimeoutOption,
          &kRetryBaseDelayOption, &kRetryMaxDelayOption})
      all.push_back(describe(*option, "zookeeper"));
    all.push_back(describe(kRetryMaxAttemptsOption, "zookeeper"));
    for (const auto* option : {&kAuthDigestOption, &kAclOption, &kConnectionPolicyOption})
      all.push_back(describe(*option, "zookeeper"));
    for (const auto* option : {&kLeaseSafetyMarginOption, &kTickTimeOption})
      all.push_back(describe(*option, "zookeeper"));
    return all;
  }();
  return options;
}

}  // namespace baton::zookeeper
