#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "baton/leader_state_store.hpp"

namespace baton {

// Flink's JobGraphStore over a LeaderStateStore: each job's graph (opaque bytes, at most
// LeaderStateStore::kMaxValueBytes) is the record <ns>/<job id>. Writes are fenced by the
// leader's token like every store write; reads are anyone's. A job id is a store key
// (Flink's 32 hex digits are). Errors: those of LeaderStateStore.
//
// Thread-safety: as the store's blocking forms (any thread, never a callback of the services).
class JobGraphStore {
 public:
  explicit JobGraphStore(LeaderStateStore& store, std::string ns = "jobgraphs");

  // Adds or replaces the job's graph.
  std::error_code putJobGraph(const FencingToken& token, std::string_view jobId,
                              std::string_view graph);
  // nullopt when the job has no graph.
  std::optional<std::string> recoverJobGraph(std::string_view jobId);
  // Removes the job's graph (a missing one counts as removed).
  std::error_code globalCleanup(const FencingToken& token, std::string_view jobId);
  // The jobs with a graph, sorted.
  std::vector<std::string> getJobIds();

 private:
  LeaderStateStore& store_;
  const std::string ns_;
};

}  // namespace baton
