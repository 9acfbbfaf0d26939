#pragma once

#include <system_error>

#include "baton/ha_metrics.hpp"

namespace baton::support {

// What HaMetrics::onStoreWrite reports for a LeaderStateStore write that completed with ec:
// committed (no error), fenced (Errc::leadership_lost: the fence refused it), outcome_unknown
// (Errc::outcome_unknown), failed (anything else, a write conflict included). One rule for
// every backend's store. Pure function.
HaMetrics::StoreWriteResult storeWriteResultOf(const std::error_code& ec) noexcept;

}  // namespace baton::support
