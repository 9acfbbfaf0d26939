#pragma once

#include <optional>
#include <system_error>
#include <vector>

#include <zookeeper/zookeeper.h>

#include "baton/zookeeper/zk_error.hpp"

namespace baton::zookeeper {

// Which fenced multi-op writes a leader's connection_info (ZkLeaderStore), decided from what is
// known of the node and from the servers' answers; no I/O.
//   setData   [check(latch), setData]                    the node is an ephemeral of our session
//   create    [check(latch), create ephemeral]           the node is absent
//   replace   [check(latch), delete, create ephemeral]   the node is someone else's, or persistent
// Flink decides the same way (ZooKeeperUtils.writeLeaderInformationToZooKeeper), but with
// separate requests; here each form is one transaction that fails whole if we no longer lead.
enum class InfoWrite { setData, create, replace };

inline InfoWrite firstInfoWrite(bool ownedBySession, bool existsForeign) noexcept {
  if (ownedBySession)
    return InfoWrite::setData;
  return existsForeign ? InfoWrite::replace : InfoWrite::create;
}

// After a failed write: the form that the failure shows to be right, or nullopt when none is
// (the fence failed: we no longer lead; or the error is not about the node, e.g. a lost
// connection). opErrors: the per-op errors of the multi, in op order, ZRUNTIMEINCONSISTENCY
// (an op not tried because an earlier one failed) and ZOK given as empty codes.
inline std::optional<InfoWrite> nextInfoWrite(InfoWrite tried,
                                              const std::vector<std::error_code>& opErrors) {
  auto at = [&](std::size_t i) { return i < opErrors.size() ? opErrors[i] : std::error_code(); };
  if (at(0))
    return std::nullopt;  // the check of our latch node failed: deposed
  if (at(1) == make_error_code(ZNONODE))
    return InfoWrite::create;  // setData's or delete's node was deleted meanwhile
  if (tried == InfoWrite::create && at(1) == make_error_code(ZNODEEXISTS))
    return InfoWrite::replace;  // created meanwhile by someone else
  if (tried == InfoWrite::replace && at(2) == make_error_code(ZNODEEXISTS))
    return InfoWrite::replace;
  return std::nullopt;
}

}  // namespace baton::zookeeper
