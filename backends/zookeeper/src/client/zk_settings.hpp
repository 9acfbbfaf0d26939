#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace baton::zookeeper {

// Capped exponential backoff for retryable ZooKeeper errors.
struct RetryPolicy {
  std::chrono::milliseconds baseDelay{50};
  std::chrono::milliseconds maxDelay{2000};
  int maxAttempts = 20;  // then the error is reported as fatal
};

enum class AclMode { open, creator };

// Connection settings of one ZooKeeper client (keys ha.zookeeper.* in docs/configuration.md).
struct ZkSettings {
  std::string quorum;  // "host:port,host:port"
  std::chrono::milliseconds sessionTimeout{10000};
  std::chrono::milliseconds connectionTimeout{15000};
  RetryPolicy retry;
  std::optional<std::string> digestCredentials;  // "user:password"
  AclMode acl = AclMode::open;  // creator-only when credentials are set and acl = creator
  std::chrono::milliseconds operationTimeout{10000};  // per request, then Errc::timed_out
  // The servers' tickTime (ZooKeeper's default 2 s). The ZooKeeper leader relays a session's
  // renewals from a follower once per ping, every tickTime/2; the lease assumes at most one
  // tick between two pings (docs/reliability.md).
  std::chrono::milliseconds tickTime{2000};
};

}  // namespace baton::zookeeper
