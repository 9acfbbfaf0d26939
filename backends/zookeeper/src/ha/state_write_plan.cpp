#include "ha/state_write_plan.hpp"

#include <limits>
#include <stdexcept>

#include <zookeeper/zookeeper.h>

#include "baton/error.hpp"
#include "baton/zookeeper/zk_error.hpp"

namespace baton::zookeeper::state {
namespace {

bool is(std::error_code ec, int zkRc) {
  return ec == make_error_code(zkRc);
}

std::error_code conflict() {
  return make_error_code(Errc::write_conflict);
}

// A version ZooKeeper cannot hold (a znode's version is a 32-bit int) matches no record.
bool representable(std::int64_t version) {
  return version <= std::numeric_limits<std::int32_t>::max();
}

}  // namespace

std::optional<std::size_t> failedOp(const std::vector<ZkOpResult>& results) {
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (results[i].error && !is(results[i].error, ZRUNTIMEINCONSISTENCY))
      return i;
  }
  return std::nullopt;
}

PutStep firstPutStep(const WriteExpectation& expectation) {
  switch (expectation.kind()) {
    case WriteExpectation::Kind::any:
      return PutStep::setAny;
    case WriteExpectation::Kind::absent:
      return PutStep::create;
    case WriteExpectation::Kind::version:
      break;
  }
  return PutStep::setVersion;
}

std::vector<ZkOp> putOps(PutStep step, const RecordPaths& paths, const std::string& value,
                         std::int64_t version) {
  switch (step) {
    case PutStep::setAny:
      return {ZkOp::setData(paths.record, value, -1)};
    case PutStep::setVersion:
      // No op for a version no record can have: the fence check alone still tells a deposed
      // leader (leadership_lost) from a conflict (judgePut).
      if (!representable(version))
        return {};
      return {ZkOp::setData(paths.record, value, static_cast<std::int32_t>(version))};
    case PutStep::create:
      return {ZkOp::create(paths.record, value)};
    case PutStep::createWithNamespace:
      return {ZkOp::create(paths.ns, ""), ZkOp::create(paths.record, value)};
    case PutStep::createWithRoot:
      return {ZkOp::create(paths.stateRoot, ""), ZkOp::create(paths.ns, ""),
              ZkOp::create(paths.record, value)};
  }
  return {};
}

PutVerdict judgePut(PutStep step, const WriteExpectation& expectation, std::error_code ec,
                    const std::vector<ZkOpResult>& results) {
  if (!ec && results.empty())
    return {std::nullopt, conflict(), 0};  // only the fence was checked: see putOps
  if (!ec) {
    bool created = step != PutStep::setAny && step != PutStep::setVersion;
    return {std::nullopt, {}, created || results.empty() ? 0 : results.back().stat.version};
  }
  auto failed = failedOp(results);
  if (&ec.category() != &zookeeperCategory() || !failed)
    return {std::nullopt, ec, 0};  // leadership lost, outcome unknown, a local failure
  const auto& error = results[*failed].error;
  const bool recordOp = *failed + 1 == results.size();
  switch (step) {
    case PutStep::setAny:
      if (is(error, ZNONODE))
        return {PutStep::create, {}, 0};
      break;
    case PutStep::setVersion:
      if (is(error, ZNONODE) || is(error, ZBADVERSION))
        return {std::nullopt, conflict(), 0};
      break;
    case PutStep::create:
    case PutStep::createWithNamespace:
    case PutStep::createWithRoot:
      if (recordOp && is(error, ZNODEEXISTS)) {
        if (expectation.kind() == WriteExpectation::Kind::any)
          return {PutStep::setAny, {}, 0};
        return {std::nullopt, conflict(), 0};
      }
      if (is(error, ZNONODE) && step == PutStep::create)
        return {PutStep::createWithNamespace, {}, 0};
      if (is(error, ZNONODE) && step == PutStep::createWithNamespace && *failed == 0)
        return {PutStep::createWithRoot, {}, 0};
      // A parent we meant to create exists: someone created it meanwhile. One level less.
      if (is(error, ZNODEEXISTS) && step == PutStep::createWithNamespace)
        return {PutStep::create, {}, 0};
      if (is(error, ZNODEEXISTS) && step == PutStep::createWithRoot)
        return {*failed == 0 ? PutStep::createWithNamespace : PutStep::create, {}, 0};
      break;
  }
  return {std::nullopt, error, 0};
}

std::vector<ZkOp> eraseOps(const RecordPaths& paths, const WriteExpectation& expectation) {
  switch (expectation.kind()) {
    case WriteExpectation::Kind::any:
      return {ZkOp::remove(paths.record, -1)};
    case WriteExpectation::Kind::absent:
      return {ZkOp::check(paths.record, -1)};
    case WriteExpectation::Kind::version:
      break;
  }
  if (!representable(expectation.expectedVersion()))
    return {};  // matches no record: only the fence is checked (judgeErase)
  return {ZkOp::remove(paths.record, static_cast<std::int32_t>(expectation.expectedVersion()))};
}

std::error_code judgeErase(const WriteExpectation& expectation, std::error_code ec,
                           const std::vector<ZkOpResult>& results) {
  const auto kind = expectation.kind();
  if (!ec && results.empty())
    return conflict();  // a version no record can have: only the fence was checked
  if (!ec)              // removed; for absent: the check found a record
    return kind == WriteExpectation::Kind::absent ? conflict() : std::error_code{};
  auto failed = failedOp(results);
  if (&ec.category() != &zookeeperCategory() || !failed)
    return ec;
  const auto& error = results[*failed].error;
  if (is(error, ZNONODE))
    return kind == WriteExpectation::Kind::version ? conflict() : std::error_code{};
  if (is(error, ZBADVERSION))
    return conflict();
  return error;
}

}  // namespace baton::zookeeper::state
