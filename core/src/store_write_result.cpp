#include "baton/support/store_write_result.hpp"

#include "baton/error.hpp"

namespace baton::support {

HaMetrics::StoreWriteResult storeWriteResultOf(const std::error_code& ec) noexcept {
  if (!ec)
    return HaMetrics::StoreWriteResult::committed;
  if (ec == make_error_code(Errc::leadership_lost))
    return HaMetrics::StoreWriteResult::fenced;
  if (ec == make_error_code(Errc::outcome_unknown))
    return HaMetrics::StoreWriteResult::outcome_unknown;
  return HaMetrics::StoreWriteResult::failed;
}

}  // namespace baton::support
