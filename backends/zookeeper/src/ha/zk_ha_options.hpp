#pragma once

#include "baton/config_option.hpp"

namespace baton::zookeeper {

// The keys the ZooKeeper backend reads besides the common ha.* ones (baton/ha_options.hpp),
// each declared once: parseZkHaSettings reads them, zooKeeperOptions() describes them for the
// factory and docs/configuration.md. Defaults come from ZkSettings' and ZkHaSettings' member
// initialisers, so the structs and the keys cannot disagree.
extern const StringOption kParticipantAddressOption;
extern const StringOption kQuorumOption;
extern const StringOption kRootOption;
extern const DurationOption kSessionTimeoutOption;
extern const DurationOption kConnectionTimeoutOption;
extern const DurationOption kOperationTimeoutOption;
extern const DurationOption kRetryBaseDelayOption;
extern const DurationOption kRetryMaxDelayOption;
extern const IntOption kRetryMaxAttemptsOption;
extern const StringOption kAuthDigestOption;
// Its default depends on kAuthDigestOption: creator with credentials, else open.
extern const StringOption kAclOption;
extern const StringOption kConnectionPolicyOption;
extern const DurationOption kLeaseSafetyMarginOption;
extern const DurationOption kTickTimeOption;

}  // namespace baton::zookeeper
