#include <zookeeper/zookeeper.h>
#include <catch2/catch.hpp>

#include "baton/zookeeper/zk_error.hpp"
#include "election/node_cleanup.hpp"
#include "election/recheck_backoff.hpp"

using namespace baton::zookeeper;
using namespace std::chrono_literals;
using Next = NodeCleanup::Next;

namespace {
const RetryPolicy kPolicy{50ms, 400ms, 4};
const std::error_code kLost = make_error_code(ZCONNECTIONLOSS);
const std::error_code kNoNode = make_error_code(ZNONODE);
const std::error_code kDenied = make_error_code(ZNOAUTH);
}  // namespace

TEST_CASE("re-checks back off exponentially to the cap and report once at maxAttempts") {
  RecheckBackoff backoff(kPolicy);
  auto first = backoff.next();
  CHECK(first.delay == 50ms);
  CHECK_FALSE(first.reportStuck);
  CHECK(backoff.next().delay == 100ms);
  CHECK(backoff.next().delay == 200ms);
  auto fourth = backoff.next();
  CHECK(fourth.delay == 400ms);
  CHECK(fourth.reportStuck);  // the 4th in a row: tell the listener, keep retrying
  auto fifth = backoff.next();
  CHECK(fifth.delay == 400ms);
  CHECK_FALSE(fifth.reportStuck);  // once
  backoff.reset();                 // progress: from the base again
  CHECK(backoff.next().delay == 50ms);
  CHECK(backoff.attempts() == 1);
}

TEST_CASE("a delete that succeeded or found nothing is done") {
  CHECK(NodeCleanup::afterDelete({}, true, 0, kPolicy).next == Next::done);
  CHECK(NodeCleanup::afterDelete(kNoNode, true, 3, kPolicy).next == Next::done);
  CHECK(NodeCleanup::afterDelete(kNoNode, false, 3, kPolicy).next == Next::done);
}

TEST_CASE("a delete lost to the connection is retried with backoff while its session lives") {
  auto step = NodeCleanup::afterDelete(kLost, true, 0, kPolicy);
  CHECK(step.next == Next::retry);
  CHECK(step.delay == 50ms);
  CHECK(NodeCleanup::afterDelete(kLost, true, 1, kPolicy).delay == 100ms);
  CHECK(NodeCleanup::afterDelete(kLost, true, 30, kPolicy).delay == 400ms);
  CHECK(NodeCleanup::afterDelete(kLost, false, 1, kPolicy).next == Next::sessionEnded);
}

TEST_CASE("a delete refused for good gives up") {
  CHECK(NodeCleanup::afterDelete(kDenied, true, 0, kPolicy).next == Next::gaveUp);
}

TEST_CASE("the protected-name search deletes only our children and retries connection errors") {
  auto step = NodeCleanup::afterSearch(
      {}, {"_c_p-latch-0000000001", "_c_q-latch-0000000002", "_c_p-latch-0000000003"}, "_c_p-",
      true, 0, kPolicy);
  CHECK(step.next == Next::done);
  CHECK(step.toDelete ==
        std::vector<std::string>{"_c_p-latch-0000000001", "_c_p-latch-0000000003"});
  CHECK(NodeCleanup::afterSearch(kNoNode, {}, "_c_p-", true, 0, kPolicy).next == Next::done);
  auto retry = NodeCleanup::afterSearch(kLost, {}, "_c_p-", true, 2, kPolicy);
  CHECK(retry.next == Next::retry);
  CHECK(retry.delay == 200ms);
  CHECK(NodeCleanup::afterSearch(kLost, {}, "_c_p-", false, 0, kPolicy).next == Next::sessionEnded);
  CHECK(NodeCleanup::afterSearch({}, {"_c_p-latch-0000000001"}, "_c_p-", false, 0, kPolicy).next ==
        Next::sessionEnded);
  CHECK(NodeCleanup::afterSearch(kDenied, {}, "_c_p-", true, 0, kPolicy).next == Next::gaveUp);
}
