// WatchSlot: at most one watch per reader and session, whatever order completions, firings and
// reconnects come in.
#include <catch2/catch.hpp>

#include "client/zk_watch_slot.hpp"

using baton::zookeeper::WatchSlot;
using Phase = WatchSlot::Phase;

TEST_CASE("a registered watch stands until it fires; re-reads meanwhile carry none") {
  WatchSlot slot;
  REQUIRE(slot.wantsWatch());
  auto token = slot.issue();
  CHECK_FALSE(slot.wantsWatch());  // pending: a re-read now must not add another
  slot.completed(token, true);
  CHECK(slot.phase() == Phase::armed);
  for (int reconnect = 0; reconnect < 100; ++reconnect)
    CHECK_FALSE(slot.wantsWatch());  // the C client re-sends it: no new one per reconnect
  CHECK(slot.fired(token));
  CHECK(slot.wantsWatch());
}

TEST_CASE("a watching request that failed leaves no watch behind") {
  WatchSlot slot;
  auto token = slot.issue();
  slot.completed(token, false);  // e.g. ZCONNECTIONLOSS, a timeout, ZNONODE on getData
  CHECK(slot.wantsWatch());
  CHECK_FALSE(slot.fired(token));  // nothing stood
}

TEST_CASE("completions and firings of a superseded request change nothing") {
  WatchSlot slot;
  auto first = slot.issue();
  slot.reset();  // a new session
  auto second = slot.issue();
  slot.completed(first, false);
  CHECK(slot.phase() == Phase::pending);
  CHECK_FALSE(slot.fired(first));
  slot.completed(second, true);
  CHECK(slot.phase() == Phase::armed);
  slot.completed(first, false);
  CHECK(slot.phase() == Phase::armed);
}

TEST_CASE("a watch that fires before its completion is delivered is not re-armed by it") {
  WatchSlot slot;
  auto token = slot.issue();
  CHECK(slot.fired(token));
  slot.completed(token, true);
  CHECK(slot.wantsWatch());
}

TEST_CASE("a new session forgets the old handle's watch") {
  WatchSlot slot;
  auto token = slot.issue();
  slot.completed(token, true);
  slot.reset();
  CHECK(slot.wantsWatch());
  CHECK_FALSE(slot.fired(token));
}
