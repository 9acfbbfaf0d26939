#pragma once

#include <optional>
#include <string_view>

namespace baton::zookeeper {

// What a leader does while its ZooKeeper connection is down (docs/reliability.md). Both are
// bounded by the same lease deadline (the proven renewal at the ZooKeeper leader + negotiated
// timeout - ha.lease.safety-margin), connected or not:
//   lease     keep leadership until the deadline (rides out outages shorter than the lease)
//   standard  also revoke at once on any sign of a lost connection (every blip costs a
//             leadership change)
// The former `session` policy (keep leadership until the session is reported lost) was
// removed: the servers may expire a session and elect another leader long before a
// partitioned client hears of it.
enum class ConnectionPolicy { standard, lease };

std::string_view toString(ConnectionPolicy policy) noexcept;
std::optional<ConnectionPolicy> parseConnectionPolicy(std::string_view text) noexcept;

}  // namespace baton::zookeeper
