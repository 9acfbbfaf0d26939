// The counters' decisions without a store: the record's text, the next write, and what an
// answer means (baton/support/counter_step.hpp).
#include <catch2/catch.hpp>

#include <limits>

#include "baton/error.hpp"
#include "baton/support/counter_step.hpp"

using baton::Errc;
using baton::StoredRecord;
using baton::WriteExpectation;
namespace counter = baton::detail::counter;

TEST_CASE("counter text: exactly what encode writes decodes") {
  CHECK(counter::decode("0") == 0);
  CHECK(counter::decode("42") == 42);
  CHECK(counter::decode("-12") == -12);
  CHECK(counter::decode(counter::encode(std::numeric_limits<std::int64_t>::max())) ==
        std::numeric_limits<std::int64_t>::max());
  for (const char* bad : {"", "+1", "007", "-0", "1 ", " 1", "1x", "x", "99999999999999999999"})
    CHECK_FALSE(counter::decode(bad));
}

TEST_CASE("counter plan: a new counter is created from 0 under absent") {
  auto add = counter::plan(counter::Op::add, 3, std::nullopt);
  CHECK_FALSE(add.error);
  CHECK(add.newValue == 3);
  CHECK(add.value == "3");
  CHECK(add.expectation.kind() == WriteExpectation::Kind::absent);
  auto raise = counter::plan(counter::Op::raiseTo, 7, std::nullopt);
  CHECK(raise.newValue == 7);
  CHECK(raise.expectation.kind() == WriteExpectation::Kind::absent);
}

TEST_CASE("counter plan: an existing counter is written under its version") {
  StoredRecord current{"c", "10", 4};
  auto add = counter::plan(counter::Op::add, 5, current);
  CHECK(add.newValue == 15);
  CHECK(add.expectation.kind() == WriteExpectation::Kind::version);
  CHECK(add.expectation.expectedVersion() == 4);

  auto up = counter::plan(counter::Op::raiseTo, 12, current);
  CHECK(up.newValue == 12);
  // Below or at the value: the value stays, rewritten under the version (the fence is proven).
  auto below = counter::plan(counter::Op::raiseTo, 3, current);
  CHECK_FALSE(below.error);
  CHECK(below.newValue == 10);
  CHECK(below.value == "10");
  CHECK(below.expectation.expectedVersion() == 4);
}

TEST_CASE("counter plan: not a counter, or an overflow, writes nothing") {
  CHECK(counter::plan(counter::Op::add, 1, StoredRecord{"c", "hello", 0}).error ==
        std::errc::invalid_argument);
  CHECK(counter::plan(counter::Op::raiseTo, 1, StoredRecord{"c", "", 0}).error ==
        std::errc::invalid_argument);
  auto max = counter::encode(std::numeric_limits<std::int64_t>::max());
  CHECK(counter::plan(counter::Op::add, 1, StoredRecord{"c", max, 0}).error ==
        std::errc::value_too_large);
}

TEST_CASE("counter answers: conflict rereads, unknown reads back, the rest is final") {
  CHECK(counter::next({}) == counter::Next::done);
  CHECK(counter::next(make_error_code(Errc::write_conflict)) == counter::Next::reread);
  CHECK(counter::next(make_error_code(Errc::outcome_unknown)) == counter::Next::readBack);
  CHECK(counter::next(make_error_code(Errc::leadership_lost)) == counter::Next::done);
}

TEST_CASE("counter read-back: landed only at the version the write made, with its value") {
  auto fromFour = counter::plan(counter::Op::add, 1, StoredRecord{"c", "10", 4});
  CHECK(counter::landed(fromFour, StoredRecord{"c", "11", 5}));
  CHECK_FALSE(counter::landed(fromFour, StoredRecord{"c", "10", 4}));  // not (yet) applied
  CHECK_FALSE(counter::landed(fromFour, StoredRecord{"c", "12", 6}));  // a later writer
  CHECK_FALSE(counter::landed(fromFour, StoredRecord{"c", "11", 6}));
  CHECK_FALSE(counter::landed(fromFour, std::nullopt));
  auto created = counter::plan(counter::Op::add, 2, std::nullopt);
  CHECK(counter::landed(created, StoredRecord{"c", "2", 0}));
  CHECK_FALSE(counter::landed(created, std::nullopt));
}
