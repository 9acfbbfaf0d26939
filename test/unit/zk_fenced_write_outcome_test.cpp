// What a fenced write reports for each answer to its multi, and what a read-back concludes:
// the sans-io decisions behind ZooKeeperHaServices::fencedWrite and readBackWrite.
#include <zookeeper/zookeeper.h>

#include <catch2/catch.hpp>

#include "baton/error.hpp"
#include "baton/zookeeper/zk_error.hpp"
#include "ha/fenced_write_outcome.hpp"

using namespace baton;
using namespace baton::zookeeper;
using fenced::classifyMultiAnswer;
using fenced::judgeReadBack;

namespace {

std::vector<ZkOpResult> results(std::initializer_list<int> codes) {
  std::vector<ZkOpResult> out;
  for (int code : codes)
    out.push_back(ZkOpResult{zookeeper::make_error_code(code), {}, {}});
  return out;
}

}  // namespace

TEST_CASE("a multi the servers answered: applied, leadership lost, or the op's own error") {
  CHECK_FALSE(classifyMultiAnswer({}, results({ZOK, ZOK})));
  // The latch check failed: the node is gone (or replaced).
  CHECK(classifyMultiAnswer(zookeeper::make_error_code(ZNONODE),
                            results({ZNONODE, ZRUNTIMEINCONSISTENCY})) == Errc::leadership_lost);
  CHECK(classifyMultiAnswer(zookeeper::make_error_code(ZBADVERSION),
                            results({ZBADVERSION, ZRUNTIMEINCONSISTENCY})) ==
        Errc::leadership_lost);
  // The check passed, an application op failed: the servers' error, nothing applied.
  CHECK(classifyMultiAnswer(zookeeper::make_error_code(ZBADVERSION), results({ZOK, ZBADVERSION})) ==
        zookeeper::make_error_code(ZBADVERSION));
}

TEST_CASE("a multi without an answer has an unknown outcome, never a lost leadership") {
  // The C client fails every op of a multi in flight with the overall code.
  for (int code :
       {ZCONNECTIONLOSS, ZOPERATIONTIMEOUT, ZRUNTIMEINCONSISTENCY, ZCLOSING, ZSESSIONEXPIRED}) {
    INFO(zkErrorName(code));
    CHECK(classifyMultiAnswer(zookeeper::make_error_code(code), results({code, code})) ==
          Errc::outcome_unknown);
  }
  CHECK(classifyMultiAnswer(make_error_code(Errc::timed_out), {}) == Errc::outcome_unknown);
  CHECK(classifyMultiAnswer(make_error_code(Errc::not_started), {}) == Errc::not_started);
}

TEST_CASE("outcome_unknown has a message that says what to do") {
  auto message = make_error_code(Errc::outcome_unknown).message();
  CHECK(message.find("may have been applied") != std::string::npos);
}

TEST_CASE("a read-back compares each target with the op's effect") {
  std::vector<ZkOp> ops{ZkOp::check("/fence"), ZkOp::create("/a", "w1"), ZkOp::setData("/b", "w1"),
                        ZkOp::remove("/c")};
  using O = fenced::Observed;
  CHECK(judgeReadBack(ops, {O{}, O{"w1"}, O{"w1"}, O{}}) == WriteOutcome::applied);
  CHECK(judgeReadBack(ops, {O{}, O{}, O{"old"}, O{"c"}}) == WriteOutcome::not_applied);
  // Mixed: some effects show, some do not (a later writer?).
  CHECK(judgeReadBack(ops, {O{}, O{"w1"}, O{"later"}, O{}}) == WriteOutcome::cannot_tell);
  // A create whose node holds other data: not this write's effect.
  CHECK(judgeReadBack({ZkOp::create("/a", "w1")}, {O{"other"}}) == WriteOutcome::not_applied);
  // Unrecognisable by reading: a sequential create; only checks.
  CHECK(judgeReadBack({ZkOp::create("/q-", "w1", false, true)}, {O{}}) ==
        WriteOutcome::cannot_tell);
  CHECK(judgeReadBack({ZkOp::check("/fence")}, {O{}}) == WriteOutcome::cannot_tell);
  CHECK(toString(WriteOutcome::not_applied) == "not applied");
}
