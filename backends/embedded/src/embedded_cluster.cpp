#include <map>
#include <mutex>

#include "baton/embedded/embedded_cluster.hpp"
#include "embedded_cluster_impl.hpp"

namespace baton::embedded {

std::shared_ptr<EmbeddedCluster> EmbeddedCluster::create(std::shared_ptr<spdlog::logger> logger) {
  return std::make_shared<detail::EmbeddedClusterImpl>(std::move(logger));
}

// Weak references: a cluster lives exactly as long as the services using it, so a later
// services object with the same id after everyone closed starts from a clean state.
std::shared_ptr<EmbeddedCluster> EmbeddedCluster::shared(const std::string& clusterId) {
  static std::mutex mutex;
  static std::map<std::string, std::weak_ptr<EmbeddedCluster>> registry;
  std::lock_guard lock(mutex);
  std::erase_if(registry, [](const auto& entry) { return entry.second.expired(); });
  if (auto existing = registry[clusterId].lock())
    return existing;
  auto cluster = create();
  registry[clusterId] = cluster;
  return cluster;
}

}  // namespace baton::embedded
