#include "baton/high_availability_services.hpp"

#include <exception>
#include <stdexcept>

#include "baton/component_id.hpp"

namespace baton {

void HighAvailabilityServices::closeWithOptionalClean(bool cleanupData) {
  std::exception_ptr cleanupError;
  if (cleanupData) {
    try {
      cleanupAllData();
    } catch (...) {
      cleanupError = std::current_exception();
    }
  }
  close();
  if (cleanupError)
    std::rethrow_exception(cleanupError);
}

std::unique_ptr<LeaderElection> HighAvailabilityServices::getResourceManagerLeaderElection() {
  return getLeaderElection(std::string(kResourceManagerComponent));
}
std::unique_ptr<LeaderElection> HighAvailabilityServices::getDispatcherLeaderElection() {
  return getLeaderElection(std::string(kDispatcherComponent));
}
std::unique_ptr<LeaderElection> HighAvailabilityServices::getClusterRestEndpointLeaderElection() {
  return getLeaderElection(std::string(kRestEndpointComponent));
}
std::unique_ptr<LeaderElection> HighAvailabilityServices::getJobManagerLeaderElection(
    std::string_view jobId) {
  return getLeaderElection(jobManagerComponentId(jobId));
}

std::unique_ptr<LeaderRetrievalService>
HighAvailabilityServices::getResourceManagerLeaderRetriever() {
  return getLeaderRetriever(std::string(kResourceManagerComponent));
}
std::unique_ptr<LeaderRetrievalService> HighAvailabilityServices::getDispatcherLeaderRetriever() {
  return getLeaderRetriever(std::string(kDispatcherComponent));
}
std::unique_ptr<LeaderRetrievalService>
HighAvailabilityServices::getClusterRestEndpointLeaderRetriever() {
  return getLeaderRetriever(std::string(kRestEndpointComponent));
}
std::unique_ptr<LeaderRetrievalService> HighAvailabilityServices::getJobManagerLeaderRetriever(
    std::string_view jobId) {
  return getLeaderRetriever(jobManagerComponentId(jobId));
}
std::unique_ptr<LeaderRetrievalService> HighAvailabilityServices::getJobManagerLeaderRetriever(
    std::string_view jobId, const std::string& /*defaultJobManagerAddress*/) {
  return getLeaderRetriever(jobManagerComponentId(jobId));
}

}  // namespace baton
