// The attempts of a ZkStateStore write and what each answer means: the sans-io decisions of
// state_write_plan.hpp. results are those of the application's ops (the fenced writer leaves
// its latch check out); ec is what the fenced writer reported.
#include <zookeeper/zookeeper.h>

#include <limits>
#include <stdexcept>

#include <catch2/catch.hpp>

#include "baton/error.hpp"
#include "baton/zookeeper/zk_error.hpp"
#include "ha/state_write_plan.hpp"

using namespace baton;
using namespace baton::zookeeper;
using namespace baton::zookeeper::state;

namespace {

std::vector<ZkOpResult> results(std::initializer_list<int> codes) {
  std::vector<ZkOpResult> out;
  for (int code : codes)
    out.push_back(ZkOpResult{zookeeper::make_error_code(code), {}, {}});
  return out;
}

std::error_code zk(int code) {
  return zookeeper::make_error_code(code);
}

const RecordPaths kPaths{"/c/state", "/c/state/ns", "/c/state/ns/key"};

}  // namespace

TEST_CASE("the first attempt follows the expectation") {
  CHECK(firstPutStep(WriteExpectation::any()) == PutStep::setAny);
  CHECK(firstPutStep(WriteExpectation::absent()) == PutStep::create);
  CHECK(firstPutStep(WriteExpectation::version(3)) == PutStep::setVersion);
  CHECK_THROWS_AS(firstPutStep(WriteExpectation::version(-1)), std::invalid_argument);
}

TEST_CASE("create attempts add the missing parents in the same multi") {
  auto ops = putOps(PutStep::createWithRoot, kPaths, "v", 0);
  REQUIRE(ops.size() == 3);
  CHECK(ops[0].path == kPaths.stateRoot);
  CHECK(ops[1].path == kPaths.ns);
  CHECK(ops[2].path == kPaths.record);
  CHECK(ops[2].data == "v");
  CHECK_FALSE(ops[2].ephemeral);
  ops = putOps(PutStep::setVersion, kPaths, "v", 7);
  REQUIRE(ops.size() == 1);
  CHECK(ops[0].kind == ZkOp::Kind::setData);
  CHECK(ops[0].version == 7);
}

TEST_CASE("a missing parent escalates one level, a parent created meanwhile steps back") {
  auto absent = WriteExpectation::absent();
  auto v = judgePut(PutStep::create, absent, zk(ZNONODE), results({ZNONODE}));
  CHECK(v.retry == PutStep::createWithNamespace);
  v = judgePut(PutStep::createWithNamespace, absent, zk(ZNONODE),
               results({ZNONODE, ZRUNTIMEINCONSISTENCY}));
  CHECK(v.retry == PutStep::createWithRoot);
  v = judgePut(PutStep::createWithNamespace, absent, zk(ZNODEEXISTS),
               results({ZNODEEXISTS, ZRUNTIMEINCONSISTENCY}));
  CHECK(v.retry == PutStep::create);
  v = judgePut(PutStep::createWithRoot, absent, zk(ZNODEEXISTS),
               results({ZNODEEXISTS, ZRUNTIMEINCONSISTENCY, ZRUNTIMEINCONSISTENCY}));
  CHECK(v.retry == PutStep::createWithNamespace);
  v = judgePut(PutStep::createWithRoot, absent, zk(ZNODEEXISTS),
               results({ZOK, ZNODEEXISTS, ZRUNTIMEINCONSISTENCY}));
  CHECK(v.retry == PutStep::create);
}

TEST_CASE("a record found against the expectation is a conflict; with any it is replaced") {
  auto v = judgePut(PutStep::create, WriteExpectation::absent(), zk(ZNODEEXISTS),
                    results({ZNODEEXISTS}));
  CHECK_FALSE(v.retry);
  CHECK(v.error == Errc::write_conflict);
  v = judgePut(PutStep::create, WriteExpectation::any(), zk(ZNODEEXISTS), results({ZNODEEXISTS}));
  CHECK(v.retry == PutStep::setAny);
  v = judgePut(PutStep::setAny, WriteExpectation::any(), zk(ZNONODE), results({ZNONODE}));
  CHECK(v.retry == PutStep::create);
  for (int code : {ZBADVERSION, ZNONODE}) {
    v = judgePut(PutStep::setVersion, WriteExpectation::version(2), zk(code), results({code}));
    CHECK_FALSE(v.retry);
    CHECK(v.error == Errc::write_conflict);
  }
}

TEST_CASE("an applied put reports the record's version") {
  auto applied = results({ZOK});
  applied[0].stat.version = 5;
  auto v = judgePut(PutStep::setVersion, WriteExpectation::version(4), {}, applied);
  CHECK_FALSE(v.error);
  CHECK(v.newVersion == 5);
  v = judgePut(PutStep::createWithRoot, WriteExpectation::absent(), {}, results({ZOK, ZOK, ZOK}));
  CHECK_FALSE(v.error);
  CHECK(v.newVersion == 0);
}

TEST_CASE("the fence's verdicts and unknown outcomes pass through, never retried") {
  for (auto ec : {make_error_code(Errc::leadership_lost), make_error_code(Errc::outcome_unknown)}) {
    auto v = judgePut(PutStep::create, WriteExpectation::absent(), ec, {});
    CHECK_FALSE(v.retry);
    CHECK(v.error == ec);
    CHECK(judgeErase(WriteExpectation::any(), ec, {}) == ec);
  }
}

TEST_CASE("a version no znode can hold checks only the fence, then conflicts") {
  auto huge = static_cast<std::int64_t>(std::numeric_limits<std::int32_t>::max()) + 1;
  CHECK(putOps(PutStep::setVersion, kPaths, "v", huge).empty());
  auto v = judgePut(PutStep::setVersion, WriteExpectation::version(huge), {}, {});
  CHECK(v.error == Errc::write_conflict);
  CHECK(eraseOps(kPaths, WriteExpectation::version(huge)).empty());
  CHECK(judgeErase(WriteExpectation::version(huge), {}, {}) == Errc::write_conflict);
}

TEST_CASE("erase: missing is fine with any, a conflict against a version; absent checks") {
  CHECK_FALSE(judgeErase(WriteExpectation::any(), zk(ZNONODE), results({ZNONODE})));
  CHECK_FALSE(judgeErase(WriteExpectation::any(), {}, results({ZOK})));
  CHECK(judgeErase(WriteExpectation::version(1), zk(ZNONODE), results({ZNONODE})) ==
        Errc::write_conflict);
  CHECK(judgeErase(WriteExpectation::version(1), zk(ZBADVERSION), results({ZBADVERSION})) ==
        Errc::write_conflict);
  auto ops = eraseOps(kPaths, WriteExpectation::absent());
  REQUIRE(ops.size() == 1);
  CHECK(ops[0].kind == ZkOp::Kind::check);
  CHECK_FALSE(judgeErase(WriteExpectation::absent(), zk(ZNONODE), results({ZNONODE})));
  CHECK(judgeErase(WriteExpectation::absent(), {}, results({ZOK})) == Errc::write_conflict);
}

TEST_CASE("the failed op is the first with an error of its own") {
  CHECK_FALSE(failedOp(results({ZOK, ZOK})));
  CHECK(failedOp(results({ZOK, ZNONODE, ZRUNTIMEINCONSISTENCY})) == 1u);
  CHECK_FALSE(failedOp({}));
}
