#include "baton/checkpoint_id_counter.hpp"

#include <stdexcept>

namespace baton {

CheckpointIdCounter::CheckpointIdCounter(LeaderStateStore& store, std::string jobId, std::string ns)
    : store_(store), jobId_(std::move(jobId)), ns_(std::move(ns)) {
  LeaderStateStore::checkName("namespace", ns_);
  LeaderStateStore::checkName("job id", jobId_);
}

std::error_code CheckpointIdCounter::getAndIncrement(const FencingToken& token, std::int64_t* id) {
  // The counter holds the last id handed out; a missing one counts as 0, so the first id is 1.
  static_assert(kInitialCheckpointId == 1);
  std::int64_t handedOut = 0;
  auto ec = store_.addToCounter(token, ns_, jobId_, 1, &handedOut);
  if (!ec && id)
    *id = handedOut;
  return ec;
}

std::int64_t CheckpointIdCounter::get() {
  auto last = store_.getCounter(ns_, jobId_);
  return last ? *last + 1 : kInitialCheckpointId;
}

std::error_code CheckpointIdCounter::setCount(const FencingToken& token, std::int64_t count) {
  if (count < kInitialCheckpointId)
    throw std::invalid_argument("checkpoint id counter of job '" + jobId_ + "': count " +
                                std::to_string(count) + " is below the first checkpoint id");
  return store_.raiseCounterTo(token, ns_, jobId_, count - 1);
}

}  // namespace baton
