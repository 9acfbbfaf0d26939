#pragma once

#include <chrono>
#include <string>

#include "client/zk_settings.hpp"

namespace baton::zookeeper::detail {

// The one validation of ZooKeeper connection values, used both when a client is built
// (checkSettings) and when ha.zookeeper.* is read (src/ha/zk_ha_options.cpp). Each throws
// baton::ConfigurationError naming the key and the bad value (never a secret's value).

// Whether a "/chroot" suffix may follow the servers. The C client accepts one; the HA
// configuration refuses it because ha.zookeeper.root says the same thing, checked.
enum class Chroot { allowed, refused };

// "host:port[,host:port...][/chroot]": a host (IPv6 in brackets), a port 1-65535.
void checkQuorum(const std::string& quorum, Chroot chroot);
void checkPositive(const std::string& key, std::chrono::milliseconds value);
// "user:password" with a non-empty user.
void checkDigest(const std::string& key, const std::string& digest);

// All of the above for a client's settings, and at least one retry attempt.
void checkSettings(const ZkSettings& settings);

}  // namespace baton::zookeeper::detail
