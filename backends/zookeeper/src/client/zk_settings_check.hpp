#pragma once

#include "client/zk_settings.hpp"

namespace baton::zookeeper::detail {

// Throws baton::ConfigurationError naming the key (ha.zookeeper.quorum, ...) and the bad value
// when settings cannot work: a malformed quorum ("host:port[,host:port...][/chroot]"), a
// non-positive timeout, digest credentials that are not "user:password".
void checkSettings(const ZkSettings& settings);

}  // namespace baton::zookeeper::detail
