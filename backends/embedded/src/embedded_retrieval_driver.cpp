#include "embedded_retrieval_driver.hpp"

namespace baton::embedded::detail {

EmbeddedLeaderRetrievalDriver::EmbeddedLeaderRetrievalDriver(
    std::shared_ptr<EmbeddedClusterImpl> cluster, const std::string& componentId,
    LeaderRetrievalDriver::Listener& listener)
    : cluster_(std::move(cluster)), watch_(cluster_->watch(componentId, listener)) {}

EmbeddedLeaderRetrievalDriver::~EmbeddedLeaderRetrievalDriver() {
  close();
}

void EmbeddedLeaderRetrievalDriver::close() noexcept {
  if (closed_.exchange(true))
    return;
  // Closed before unwatching: no report is delivered once close() returned, including one
  // already queued on the delivery strand.
  watch_->mailbox->close();
  cluster_->unwatch(watch_);
}

}  // namespace baton::embedded::detail
