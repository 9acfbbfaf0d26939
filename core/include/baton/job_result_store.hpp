#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "baton/leader_state_store.hpp"

namespace baton {

// Flink's JobResultStore (which replaced the RunningJobsRegistry in Flink 1.15) over a
// LeaderStateStore: a job that reached a globally terminal state gets a "dirty" entry with its
// result (opaque bytes) until its cleanup is done, then the entry is marked "clean". The record
// <ns>/<job id> holds "dirty\n" or "clean\n" followed by the result. A job without an entry
// is still running (or unknown). Writes are fenced by the leader's token.
//
// Thread-safety: as the store's blocking forms (any thread, never a callback of the services).
class JobResultStore {
 public:
  struct Entry {
    std::string jobId;
    std::string result;
    bool clean = false;
    friend bool operator==(const Entry&, const Entry&) = default;
  };

  explicit JobResultStore(LeaderStateStore& store, std::string ns = "job-results");

  // Records a dirty result; Errc::write_conflict when the job has an entry already.
  std::error_code createDirtyResult(const FencingToken& token, std::string_view jobId,
                                    std::string_view result);
  // Marks the job's entry clean; Errc::write_conflict when it has no dirty entry (a missing
  // one, or clean already, or changed under us).
  std::error_code markResultAsClean(const FencingToken& token, std::string_view jobId);
  // nullopt without an entry. Throws std::system_error when the record is not an entry.
  std::optional<Entry> entry(std::string_view jobId);
  bool hasJobResultEntry(std::string_view jobId) { return entry(jobId).has_value(); }
  bool hasDirtyJobResultEntry(std::string_view jobId);
  bool hasCleanJobResultEntry(std::string_view jobId);
  // The dirty entries (jobs whose cleanup a new leader must finish), sorted by job id.
  std::vector<Entry> getDirtyResults();

 private:
  LeaderStateStore& store_;
  const std::string ns_;
};

}  // namespace baton
