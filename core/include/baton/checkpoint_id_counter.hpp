#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>

#include "baton/leader_state_store.hpp"

namespace baton {

// Flink's CheckpointIdCounter for one job over a LeaderStateStore counter (the record
// <ns>/<job id> holds the last id handed out; none yet: ids start at kInitialCheckpointId).
// Ids only grow: every id getAndIncrement returns is greater than every one returned before,
// by any leader (the store's counter guarantee), and setCount never lowers the count.
//
// Thread-safety: as the store's blocking forms (any thread, never a callback of the services).
class CheckpointIdCounter {
 public:
  static constexpr std::int64_t kInitialCheckpointId = 1;

  CheckpointIdCounter(LeaderStateStore& store, std::string jobId,
                      std::string ns = "checkpoint-id-counters");

  // Hands out the next id (into *id). Errors: those of LeaderStateStore::addToCounter.
  std::error_code getAndIncrement(const FencingToken& token, std::int64_t* id);
  // The id the next getAndIncrement will hand out (anyone may read). Throws as getCounter.
  std::int64_t get();
  // The next id handed out is at least count (a restore); a lower count changes nothing.
  std::error_code setCount(const FencingToken& token, std::int64_t count);

 private:
  LeaderStateStore& store_;
  const std::string jobId_;
  const std::string ns_;
};

}  // namespace baton
