#include "baton/job_graph_store.hpp"

namespace baton {

JobGraphStore::JobGraphStore(LeaderStateStore& store, std::string ns)
    : store_(store), ns_(std::move(ns)) {
  LeaderStateStore::checkName("namespace", ns_);
}

std::error_code JobGraphStore::putJobGraph(const FencingToken& token, std::string_view jobId,
                                           std::string_view graph) {
  return store_.put(token, ns_, jobId, graph);
}

std::optional<std::string> JobGraphStore::recoverJobGraph(std::string_view jobId) {
  auto record = store_.get(ns_, jobId);
  if (!record)
    return std::nullopt;
  return std::move(record->value);
}

std::error_code JobGraphStore::globalCleanup(const FencingToken& token, std::string_view jobId) {
  return store_.erase(token, ns_, jobId);
}

std::vector<std::string> JobGraphStore::getJobIds() {
  std::vector<std::string> ids;
  for (auto& record : store_.list(ns_))
    ids.push_back(std::move(record.key));
  return ids;
}

}  // namespace baton
