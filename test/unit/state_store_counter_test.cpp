// LeaderStateStore's counters on the in-memory backends: add, raise-to that never decreases,
// the fence, strictly increasing acknowledged values while leadership moves, and resolving an
// unanswered write by reading it back (a store whose answers are lost, over a real one).
#include <catch2/catch.hpp>

#include <atomic>
#include <limits>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <utility>

#include "baton/error.hpp"
#include "baton/standalone/standalone_ha_services.hpp"
#include "unit/embedded_fixture.hpp"

using baton::Errc;
using baton::FencingToken;
using baton::LeaderSessionId;
using baton::LeaderStateStore;
using baton::StoredRecord;
using baton::WriteExpectation;
using baton::embedded::EmbeddedCluster;
using baton::standalone::StandaloneHaServices;
using baton::test::EmbeddedNode;
using baton::test::Granted;
using baton::test::Revoked;

namespace {

const FencingToken kStandaloneToken{LeaderSessionId::defaultId(), 0};
const auto kLost = make_error_code(Errc::leadership_lost);
const auto kUnknown = make_error_code(Errc::outcome_unknown);

FencingToken awaitToken(EmbeddedNode& node) {
  auto granted = node.contender.inbox.expectNext<Granted>();
  auto token = node.election->fencingToken(granted.id);
  REQUIRE(token);
  return *token;
}

// A store over another whose chosen puts lose their answer: applied or dropped, the caller
// hears Errc::outcome_unknown (as after a connection loss mid-write on ZooKeeper).
class LossyStore : public LeaderStateStore {
 public:
  explicit LossyStore(LeaderStateStore& inner) : inner_(inner) {}
  enum class Loss { none, afterApplying, withoutApplying };
  Loss nextPut = Loss::none;

  void asyncPut(const FencingToken& token, std::string_view ns, std::string_view key,
                std::string_view value, WriteExpectation expectation,
                WriteHandler handler) override {
    Loss loss = std::exchange(nextPut, Loss::none);
    if (loss == Loss::withoutApplying)
      return handler(make_error_code(Errc::outcome_unknown), 0);
    inner_.asyncPut(token, ns, key, value, expectation,
                    [loss, handler](std::error_code ec, std::int64_t version) {
                      handler(loss == Loss::none ? ec : make_error_code(Errc::outcome_unknown),
                              version);
                    });
  }
  void asyncErase(const FencingToken& token, std::string_view ns, std::string_view key,
                  WriteExpectation expectation, WriteHandler handler) override {
    inner_.asyncErase(token, ns, key, expectation, std::move(handler));
  }
  void asyncEraseNamespace(const FencingToken& token, std::string_view ns,
                           WriteHandler handler) override {
    inner_.asyncEraseNamespace(token, ns, std::move(handler));
  }
  std::optional<StoredRecord> get(std::string_view ns, std::string_view key) override {
    return inner_.get(ns, key);
  }
  std::vector<StoredRecord> list(std::string_view ns) override { return inner_.list(ns); }

 private:
  LeaderStateStore& inner_;
};

}  // namespace

TEST_CASE("counters: add, raise-to that never decreases, get") {
  StandaloneHaServices services(std::map<std::string, std::string>{{"rm", "akka://rm:6123"}});
  LeaderStateStore& store = services.stateStore();
  CHECK_FALSE(store.getCounter("jobs", "ids"));
  std::int64_t value = -1;
  REQUIRE_FALSE(store.addToCounter(kStandaloneToken, "jobs", "ids", 1, &value));
  CHECK(value == 1);
  REQUIRE_FALSE(store.addToCounter(kStandaloneToken, "jobs", "ids", 5, &value));
  CHECK(value == 6);
  REQUIRE_FALSE(store.raiseCounterTo(kStandaloneToken, "jobs", "ids", 100, &value));
  CHECK(value == 100);
  REQUIRE_FALSE(store.raiseCounterTo(kStandaloneToken, "jobs", "ids", 3, &value));
  CHECK(value == 100);  // below: a no-op reporting the current value
  CHECK(store.getCounter("jobs", "ids") == 100);
  CHECK(store.get("jobs", "ids")->value == "100");  // a record like any other
  REQUIRE_FALSE(store.raiseCounterTo(kStandaloneToken, "jobs", "fresh", -5, &value));
  CHECK(value == 0);  // a missing counter counts as 0: raising it to -5 keeps 0

  CHECK_THROWS_AS(store.addToCounter(kStandaloneToken, "jobs", "ids", 0), std::invalid_argument);
  CHECK_THROWS_AS(store.addToCounter(kStandaloneToken, "jobs", "bad/name", 1),
                  std::invalid_argument);
  REQUIRE_FALSE(store.put(kStandaloneToken, "jobs", "text", "not a number"));
  CHECK(store.addToCounter(kStandaloneToken, "jobs", "text", 1) == std::errc::invalid_argument);
  CHECK_THROWS_AS(store.getCounter("jobs", "text"), std::system_error);
  CHECK(store.get("jobs", "text")->value == "not a number");
  REQUIRE_FALSE(store.raiseCounterTo(kStandaloneToken, "jobs", "max",
                                     std::numeric_limits<std::int64_t>::max()));
  CHECK(store.addToCounter(kStandaloneToken, "jobs", "max", 1) == std::errc::value_too_large);
}

TEST_CASE("counters: a deposed leader's add and raise change nothing, even a no-op raise") {
  auto cluster = EmbeddedCluster::create();
  EmbeddedNode a(cluster, "a");
  EmbeddedNode b(cluster, "b");
  a.start();
  const FencingToken old = awaitToken(a);
  b.start();
  LeaderStateStore& store = a.services->stateStore();
  REQUIRE_FALSE(store.addToCounter(old, "app", "c", 10));
  cluster->transferLeadership("b");
  const FencingToken next = awaitToken(b);
  std::int64_t value = -1;
  CHECK(store.addToCounter(old, "app", "c", 1, &value) == kLost);
  CHECK(store.raiseCounterTo(old, "app", "c", 50, &value) == kLost);
  CHECK(store.raiseCounterTo(old, "app", "c", 1, &value) == kLost);
  CHECK(value == -1);
  CHECK(store.get("app", "c") == StoredRecord{"c", "10", 0});
  REQUIRE_FALSE(b.services->stateStore().addToCounter(next, "app", "c", 1, &value));
  CHECK(value == 11);
}

// Four writers (two threads on each of two participants) add concurrently while leadership
// moves between the participants five times; each writer uses its participant's token of the
// moment. Every value acknowledged to a writer is greater than the one before it, no value is
// acknowledged twice (each came from its own version of the record), and the counter ends at
// the sum of the acknowledged deltas: every acknowledged add stored exactly once, none lost.
TEST_CASE("counters: concurrent writers while leadership moves keep acknowledged values unique") {
  auto cluster = EmbeddedCluster::create();
  EmbeddedNode a(cluster, "a");
  EmbeddedNode b(cluster, "b");
  a.start();
  b.start();
  std::mutex mutex;  // guards tokens (never held during a write)
  std::map<std::string, std::optional<FencingToken>> tokens;
  tokens["a"] = awaitToken(a);
  std::atomic<bool> stop{false};
  struct Acknowledged {
    std::vector<std::int64_t> values;
    std::int64_t deltas = 0;
    std::error_code unexpected;
  };
  std::vector<Acknowledged> results(4);
  auto writer = [&](EmbeddedNode* node, Acknowledged* out) {
    for (int i = 0; i < 1'000'000 && !stop; ++i) {
      std::optional<FencingToken> token;
      {
        std::lock_guard lock(mutex);
        token = tokens[node->participantId];
      }
      if (!token) {
        std::this_thread::yield();
        continue;
      }
      std::int64_t delta = 1 + i % 3;
      std::int64_t value = 0;
      auto ec = node->services->stateStore().addToCounter(*token, "app", "c", delta, &value);
      if (ec == kLost || ec == make_error_code(Errc::write_conflict))
        continue;  // deposed, or outrun kMaxCounterAttempts times: nothing was stored
      if (ec) {
        out->unexpected = ec;
        return;
      }
      out->values.push_back(value);
      out->deltas += delta;
    }
  };
  std::vector<std::thread> threads;
  threads.emplace_back(writer, &a, &results[0]);
  threads.emplace_back(writer, &a, &results[1]);
  threads.emplace_back(writer, &b, &results[2]);
  threads.emplace_back(writer, &b, &results[3]);
  EmbeddedNode* leader = &a;
  EmbeddedNode* follower = &b;
  for (int handover = 0; handover < 5; ++handover) {
    auto before = a.services->stateStore().getCounter("app", "c").value_or(0);
    for (int i = 0; i < 100000; ++i) {  // let the writers make progress under this leader
      if (a.services->stateStore().getCounter("app", "c").value_or(0) >= before + 50)
        break;
      std::this_thread::yield();
    }
    cluster->transferLeadership(follower->participantId);
    {
      std::lock_guard lock(mutex);
      tokens[leader->participantId].reset();  // stale tokens are still tried below, once
    }
    auto next = awaitToken(*follower);
    leader->contender.inbox.expectNext<Revoked>();
    {
      std::lock_guard lock(mutex);
      tokens[follower->participantId] = next;
    }
    std::swap(leader, follower);
  }
  stop = true;
  for (auto& thread : threads)
    thread.join();

  std::set<std::int64_t> all;
  std::int64_t deltas = 0;
  for (const auto& result : results) {
    CHECK_FALSE(result.unexpected);
    for (std::size_t i = 1; i < result.values.size(); ++i)
      CHECK(result.values[i] > result.values[i - 1]);
    for (auto value : result.values)
      CHECK(all.insert(value).second);
    deltas += result.deltas;
  }
  CHECK(all.size() > 50);
  CHECK(a.services->stateStore().getCounter("app", "c") == deltas);
  CHECK(a.services->stateStore().getCounter("app", "c") == *all.rbegin());
}

TEST_CASE("counters: an unanswered write is resolved by reading it back") {
  StandaloneHaServices services(std::map<std::string, std::string>{{"rm", "akka://rm:6123"}});
  LossyStore store(services.stateStore());
  REQUIRE_FALSE(store.addToCounter(kStandaloneToken, "app", "c", 5));
  std::int64_t value = -1;

  SECTION("applied, its answer lost: the read-back shows it, reported as a success") {
    store.nextPut = LossyStore::Loss::afterApplying;
    REQUIRE_FALSE(store.addToCounter(kStandaloneToken, "app", "c", 2, &value));
    CHECK(value == 7);
    CHECK(store.getCounter("app", "c") == 7);  // once, not twice
  }
  SECTION("never applied: outcome unknown, nothing added, the caller resolves it") {
    store.nextPut = LossyStore::Loss::withoutApplying;
    CHECK(store.addToCounter(kStandaloneToken, "app", "c", 2, &value) == kUnknown);
    CHECK(value == -1);
    CHECK(store.getCounter("app", "c") == 5);
  }
}
