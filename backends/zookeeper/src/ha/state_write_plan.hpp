#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "baton/leader_state_store.hpp"
#include "client/zk_client.hpp"

// The decisions behind ZkStateStore's writes, without I/O: which ops one fenced attempt sends
// and what its answer means (done, a conflict, or another attempt). Each attempt is one
// fenced multi; the store chains them.
namespace baton::zookeeper::state {

// Where one record lives: <cluster>/state/<ns>/<key>.
struct RecordPaths {
  std::string stateRoot;  // <cluster>/state
  std::string ns;         // <cluster>/state/<ns>
  std::string record;     // <cluster>/state/<ns>/<key>
};

// One attempt of a put. The create steps create the record's missing parents in the same
// multi: first none (the usual case), then the namespace, then the state root as well.
enum class PutStep { setAny, setVersion, create, createWithNamespace, createWithRoot };

// A put stops after this many attempts with Errc::write_conflict: more would mean other
// writers keep creating and removing the same nodes under our feet.
inline constexpr int kMaxPutAttempts = 8;

// The first step for an expectation. Throws std::invalid_argument for a negative version.
PutStep firstPutStep(const WriteExpectation& expectation);

// The application's ops of one attempt (the fence check is added by the fenced writer).
// version is the expectation's (setVersion only).
std::vector<ZkOp> putOps(PutStep step, const RecordPaths& paths, const std::string& value,
                         std::int64_t version);

// What an attempt's answer means.
struct PutVerdict {
  std::optional<PutStep> retry;  // another attempt with this step; else done with `error`
  std::error_code error;         // {} applied; otherwise the store's result
  std::int64_t newVersion = 0;   // with error {}: the record's version now
};

// ec: the fenced writer's result; results: those of putOps(step) (empty without an answer).
// expectation decides whether a record found (NODEEXISTS) is a conflict or a reason to
// replace it (any).
PutVerdict judgePut(PutStep step, const WriteExpectation& expectation, std::error_code ec,
                    const std::vector<ZkOpResult>& results);

// The ops of an erase (remove or, for absent, a check that must find nothing). Empty for a
// version no znode can have (above 2^31-1): the fence alone is checked, then a conflict.
std::vector<ZkOp> eraseOps(const RecordPaths& paths, const WriteExpectation& expectation);
// The store's result for an erase's answer.
std::error_code judgeErase(const WriteExpectation& expectation, std::error_code ec,
                           const std::vector<ZkOpResult>& results);

// The index of the op whose error made the servers roll the multi back; nullopt when none
// did (applied, or no answer).
std::optional<std::size_t> failedOp(const std::vector<ZkOpResult>& results);

}  // namespace baton::zookeeper::state
