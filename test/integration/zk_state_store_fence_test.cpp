// The state store's fence against a real ensemble (issue 13): a deposed leader's write never
// lands, whether it was in flight across a partition or queued behind a frozen I/O thread;
// counters stay strictly increasing while leadership moves under concurrent writers; and a
// randomized run (fixed seed) finds every acknowledged write stored exactly once, under the
// session that was told "ok", and no refused one. Also the namespace watch of ZkStateStore.
#include <algorithm>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <thread>

#include <catch2/catch.hpp>

#include "baton/error.hpp"
#include "baton/leader_state_store.hpp"
#include "support/fault_proxy.hpp"
#include "support/recording_contender.hpp"
#include "support/zk_test_env.hpp"

using namespace baton;
using namespace baton::test;
using namespace std::chrono_literals;

namespace {

const auto kLost = make_error_code(Errc::leadership_lost);

// One participant of a cluster: its services, election and contender.
struct Member {
  std::unique_ptr<zookeeper::ZooKeeperHaServices> services;
  RecordingContender contender;
  std::unique_ptr<LeaderElection> election;

  Member(const std::string& cluster, const std::string& id,
         std::map<std::string, std::string> extra = {})
      : services(makeZkServices(cluster, id, std::move(extra))),
        election(services->getLeaderElection("rm")) {
    election->startLeaderElection(contender);
  }
  ~Member() {
    election->close();
    services->close();
  }
  FencingToken awaitToken(std::chrono::milliseconds timeout = eventTimeout()) {
    auto id = contender.inbox.await<Granted>(timeout).id;
    auto token = election->fencingToken(id);
    REQUIRE(token);
    return *token;
  }
  LeaderStateStore& store() { return services->stateStore(); }
};

std::string latchOf(const std::string& cluster) {
  return "/baton-test/" + cluster + "/leader/latch";
}

// Deposes the current leader as an operator would: removes the latch node with the lowest
// sequence number (the names' last ten digits).
void deposeLeader(AdminClient& admin, const std::string& cluster) {
  auto nodes = admin.children(latchOf(cluster));
  REQUIRE_FALSE(nodes.empty());
  auto sequence = [](const std::string& name) { return name.substr(name.size() - 10); };
  std::sort(nodes.begin(), nodes.end(),
            [&](const auto& a, const auto& b) { return sequence(a) < sequence(b); });
  admin.remove(latchOf(cluster) + "/" + nodes.front());
}

// Leaves the election everywhere, then removes the cluster's tree (no latch node is made again
// after it).
void cleanUp(const std::vector<Member*>& members) {
  for (auto* member : members)
    member->election->close();
  members.front()->services->cleanupAllData();
}

std::error_code awaitResult(std::future<std::error_code>& result) {
  REQUIRE(result.wait_for(scaled(60s)) == std::future_status::ready);
  return result.get();
}

}  // namespace

TEST_CASE("state store fence: a write held in flight across a partition never lands") {
  auto cluster = uniqueClusterId("fence-partition");
  FaultProxy proxy(zkQuorum());
  AdminClient admin;
  Member a(cluster, "a", {{"ha.zookeeper.quorum", proxy.quorum()}});
  const FencingToken tokenA = a.awaitToken();
  REQUIRE_FALSE(a.store().put(tokenA, "ns", "k", "a-before"));
  Member b(cluster, "b");
  admin.awaitChildren(latchOf(cluster), 2);

  // Nothing a sends reaches a server from here on; its write waits in the proxy.
  for (std::size_t server = 0; server < proxy.servers(); ++server)
    proxy.setHeld(server, FaultProxy::Direction::toServer, true);
  auto done = std::make_shared<std::promise<std::error_code>>();
  auto result = done->get_future();
  a.store().asyncPut(tokenA, "ns", "k", "a-in-flight", WriteExpectation::any(),
                     [done](std::error_code ec, std::int64_t) { done->set_value(ec); });
  // The servers expire a's session (its pings are held too): b leads and writes.
  const FencingToken tokenB = b.awaitToken(scaled(60s));
  REQUIRE_FALSE(b.store().put(tokenB, "ns", "k", "b-after", WriteExpectation::version(0)));
  // The held bytes go on to the servers now, the write among them, under an expired session.
  for (std::size_t server = 0; server < proxy.servers(); ++server)
    proxy.setHeld(server, FaultProxy::Direction::toServer, false);
  const std::error_code ec = awaitResult(result);
  INFO("a's in-flight write: " << ec.message());
  CHECK(ec);  // outcome unknown (the connection went) or leadership lost, never "ok"
  CHECK(ec != make_error_code(Errc::write_conflict));
  // a is back with a new session (its new latch node): the old connection is behind it.
  admin.awaitChildren(latchOf(cluster), 2, scaled(60s));
  CHECK(admin.data("/baton-test/" + cluster + "/state/ns/k") == "b-after");
  CHECK(b.store().get("ns", "k") == StoredRecord{"k", "b-after", 1});
  CHECK(a.store().put(tokenA, "ns", "k", "a-late") == kLost);
  cleanUp({&b, &a});
}

TEST_CASE("state store fence: a write queued behind a frozen I/O thread never lands") {
  auto cluster = uniqueClusterId("fence-freeze");
  AdminClient admin;
  Member a(cluster, "a");
  const FencingToken tokenA = a.awaitToken();
  REQUIRE_FALSE(a.store().put(tokenA, "ns", "k", "a-before"));
  Member b(cluster, "b");
  admin.awaitChildren(latchOf(cluster), 2);

  // Freeze a's I/O thread (like a long GC pause or SIGSTOP): no ping, no event, no request.
  std::promise<void> thaw;
  auto thawed = thaw.get_future().share();
  std::promise<void> frozen;
  a.services->onIoWithConnection([&frozen, thawed](const auto&) {
    frozen.set_value();
    thawed.wait();
  });
  frozen.get_future().wait();
  // a's election has not heard of anything: the write is admitted and queued for the I/O thread.
  auto done = std::make_shared<std::promise<std::error_code>>();
  auto result = done->get_future();
  a.store().asyncPut(tokenA, "ns", "k", "a-frozen", WriteExpectation::any(),
                     [done](std::error_code ec, std::int64_t) { done->set_value(ec); });
  const FencingToken tokenB = b.awaitToken(scaled(60s));  // a's session expired meanwhile
  REQUIRE_FALSE(b.store().put(tokenB, "ns", "k", "b-after", WriteExpectation::version(0)));
  thaw.set_value();
  const std::error_code ec = awaitResult(result);
  INFO("a's write after the freeze: " << ec.message());
  CHECK(ec);
  CHECK(ec != make_error_code(Errc::write_conflict));
  admin.awaitChildren(latchOf(cluster), 2, scaled(60s));
  CHECK(admin.data("/baton-test/" + cluster + "/state/ns/k") == "b-after");
  CHECK(a.store().put(tokenA, "ns", "k", "a-late") == kLost);
  cleanUp({&b, &a});
}

// Three participants, one writer thread each, adding to one counter whenever their participant
// leads; an operator deposes the leader four times. Each writer's acknowledged values strictly
// increase, no value is acknowledged twice, and the counter ends at the sum of the acknowledged
// deltas (no add lost, none applied twice).
TEST_CASE("state store counters: strictly increasing under contention while leadership moves") {
  auto cluster = uniqueClusterId("counter-contention");
  AdminClient admin;
  std::vector<std::unique_ptr<Member>> members;
  for (const char* id : {"a", "b", "c"})
    members.push_back(std::make_unique<Member>(cluster, id));
  admin.awaitChildren(latchOf(cluster), 3);

  struct Acknowledged {
    std::vector<std::int64_t> values;
    std::int64_t deltas = 0;
    std::error_code unexpected;
  };
  // Two writers per participant, so the leader's own writers contend too: the primary takes
  // the grants from the contender's inbox and shares the token with the secondary.
  std::vector<Acknowledged> results(members.size() * 2);
  std::mutex tokenMutex;
  std::vector<std::optional<FencingToken>> shared(members.size());
  std::atomic<bool> stop{false};
  std::atomic<int> acknowledged{0};
  auto writer = [&](std::size_t m, bool primary, Acknowledged* out) {
    Member* member = members[m].get();
    for (int round = 0; round < 100000 && !stop; ++round) {
      std::optional<FencingToken> token;
      {
        std::lock_guard lock(tokenMutex);
        token = shared[m];
      }
      if (!token) {
        if (!primary) {
          std::this_thread::sleep_for(5ms);  // waits for the primary's grant, bounded
          continue;
        }
        try {
          auto event = member->contender.inbox.next(200ms);  // a bounded wait for a grant
          if (auto* granted = std::get_if<Granted>(&event)) {
            std::lock_guard lock(tokenMutex);
            shared[m] = member->election->fencingToken(granted->id);
          }
        } catch (const std::runtime_error&) {
        }
        continue;
      }
      std::int64_t delta = 1 + round % 4;
      std::int64_t value = 0;
      auto ec = member->store().addToCounter(*token, "jobs", "ids", delta, &value);
      if (ec == kLost) {
        std::lock_guard lock(tokenMutex);
        if (shared[m] == token)
          shared[m].reset();
        continue;
      }
      if (ec == make_error_code(Errc::write_conflict))
        continue;  // outrun kMaxCounterAttempts times: nothing stored
      if (ec) {
        out->unexpected = ec;
        return;
      }
      out->values.push_back(value);
      out->deltas += delta;
      ++acknowledged;
    }
  };
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < members.size(); ++i) {
    threads.emplace_back(writer, i, true, &results[2 * i]);
    threads.emplace_back(writer, i, false, &results[2 * i + 1]);
  }
  for (int handover = 1; handover <= 4; ++handover) {
    const auto deadline = std::chrono::steady_clock::now() + scaled(60s);
    while (acknowledged < handover * 20 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(10ms);  // waits on progress, bounded; not a verdict
    REQUIRE(acknowledged >= handover * 20);
    deposeLeader(admin, cluster);
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
  REQUIRE_FALSE(all.empty());
  CHECK(members[0]->store().getCounter("jobs", "ids") == deltas);
  CHECK(*all.rbegin() == deltas);
  cleanUp({members[0].get(), members[1].get(), members[2].get()});
}

// A fixed-seed run: at each step a random participant writes with the token of its latest
// grant (stale once it was deposed), a unique record or a counter add; now and then the leader
// is deposed. Afterwards: every acknowledged record is there once with the value naming the
// session that was told "ok", no refused one is, and the counter equals the acknowledged adds.
TEST_CASE("state store: randomized writers, every acknowledged write stored exactly once") {
  constexpr std::uint32_t kSeed = 13;
  constexpr int kSteps = 300;
  INFO("seed " << kSeed);
  std::mt19937 random(kSeed);
  auto cluster = uniqueClusterId("store-random");
  AdminClient admin;
  std::vector<std::unique_ptr<Member>> members;
  for (const char* id : {"a", "b", "c"})
    members.push_back(std::make_unique<Member>(cluster, id));
  std::vector<std::optional<FencingToken>> tokens(members.size());
  // Takes in every grant delivered so far (bounded: the inbox holds what happened).
  auto drain = [&] {
    for (std::size_t i = 0; i < members.size(); ++i) {
      while (!members[i]->contender.inbox.empty()) {
        auto event = members[i]->contender.inbox.next();
        if (auto* granted = std::get_if<Granted>(&event)) {
          if (auto token = members[i]->election->fencingToken(granted->id))
            tokens[i] = token;
        }
      }
    }
  };
  auto awaitAnyGrant = [&] {
    for (int i = 0; i < 600; ++i) {  // 600 * 100 ms at most
      for (std::size_t m = 0; m < members.size(); ++m) {
        try {
          auto event = members[m]->contender.inbox.next(100ms / members.size());
          if (auto* granted = std::get_if<Granted>(&event)) {
            if (auto token = members[m]->election->fencingToken(granted->id)) {
              tokens[m] = token;
              return;
            }
          }
        } catch (const std::runtime_error&) {
        }
      }
    }
    FAIL("no participant was granted leadership");
  };
  awaitAnyGrant();

  std::map<std::string, std::string> acknowledgedRecords;  // key -> value
  std::set<std::string> refusedRecords;
  std::int64_t acknowledgedAdds = 0;
  int unknown = 0;
  for (int step = 0; step < kSteps; ++step) {
    drain();
    const int dice = static_cast<int>(random() % 100);
    if (dice < 5) {
      deposeLeader(admin, cluster);
      awaitAnyGrant();
      continue;
    }
    const std::size_t writer = random() % members.size();
    if (!tokens[writer])
      continue;
    const FencingToken token = *tokens[writer];
    if (dice < 60) {
      const std::string key = "w" + std::to_string(step);
      const std::string value = key + "@" + token.sessionId.toString();
      auto ec = members[writer]->store().put(token, "log", key, value, WriteExpectation::absent());
      if (!ec)
        acknowledgedRecords[key] = value;
      else if (ec == kLost)
        refusedRecords.insert(key);
      else
        ++unknown;
    } else {
      auto ec = members[writer]->store().addToCounter(token, "log", "adds", 1);
      if (!ec)
        ++acknowledgedAdds;
      else if (ec != kLost)
        ++unknown;
    }
  }
  CHECK(unknown == 0);  // no faults injected: every write has a definite answer
  CHECK(acknowledgedRecords.size() > 10);
  std::map<std::string, std::string> stored;
  for (const auto& record : members[0]->store().list("log")) {
    if (record.key != "adds")
      CHECK(stored.emplace(record.key, record.value).second);
  }
  CHECK(stored == acknowledgedRecords);
  for (const auto& key : refusedRecords)
    CHECK(stored.count(key) == 0);
  CHECK(members[0]->store().getCounter("log", "adds").value_or(0) == acknowledgedAdds);
  cleanUp({members[0].get(), members[1].get(), members[2].get()});
}

TEST_CASE("state store watch on ZooKeeper: a follower sees records change, bounded watches") {
  auto cluster = uniqueClusterId("store-watch");
  Member leader(cluster, "leader");
  const FencingToken token = leader.awaitToken();
  Member reader(cluster, "reader");
  EventInbox<NamespaceChange> seen;
  auto watch = reader.store().watchNamespace(
      "app", [&](const NamespaceChange& change) { seen.push(change); });
  CHECK(seen.next() == NamespaceChange{"app", {}, true});  // no namespace yet: relist
  REQUIRE_FALSE(leader.store().put(token, "app", "k1", "v1"));
  // The namespace's creation: a relist (the exists watch), then the record is known.
  CHECK(seen.next() == NamespaceChange{"app", {}, true});
  REQUIRE_FALSE(leader.store().put(token, "app", "k1", "v2"));
  CHECK(seen.next() == NamespaceChange{"app", {"k1"}, false});  // its data watch
  REQUIRE_FALSE(leader.store().put(token, "app", "k2", "x"));
  CHECK(seen.next() == NamespaceChange{"app", {"k2"}, false});  // the child watch
  REQUIRE_FALSE(leader.store().erase(token, "app", "k1"));
  CHECK(seen.next() == NamespaceChange{"app", {"k1"}, false});
  REQUIRE_FALSE(leader.store().addToCounter(token, "app", "k2c", 1));
  CHECK(seen.next() == NamespaceChange{"app", {"k2c"}, false});
  watch.reset();
  REQUIRE_FALSE(leader.store().put(token, "app", "k2", "y"));
  // A second watch, on the same callback thread: its events come after any of the first's.
  EventInbox<NamespaceChange> later;
  auto second = reader.store().watchNamespace(
      "app", [&](const NamespaceChange& change) { later.push(change); });
  CHECK(later.next() == NamespaceChange{"app", {}, true});
  CHECK(seen.empty());
  second.reset();
  cleanUp({&leader, &reader});
}
