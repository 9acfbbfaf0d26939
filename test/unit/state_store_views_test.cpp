// The typed views over LeaderStateStore with Flink's names: JobGraphStore,
// CheckpointIdCounter, JobResultStore (standalone store; a deposed leader on embedded).
#include <catch2/catch.hpp>

#include <map>

#include "baton/checkpoint_id_counter.hpp"
#include "baton/error.hpp"
#include "baton/job_graph_store.hpp"
#include "baton/job_result_store.hpp"
#include "baton/standalone/standalone_ha_services.hpp"
#include "unit/embedded_fixture.hpp"

using baton::CheckpointIdCounter;
using baton::Errc;
using baton::FencingToken;
using baton::JobGraphStore;
using baton::JobResultStore;
using baton::LeaderSessionId;
using baton::embedded::EmbeddedCluster;
using baton::standalone::StandaloneHaServices;
using baton::test::EmbeddedNode;
using baton::test::Granted;

namespace {

const FencingToken kToken{LeaderSessionId::defaultId(), 0};
const std::string kJob = "a6f3c2e0b1d84f5e9c7a0b1c2d3e4f50";
const std::string kOtherJob = "00000000000000000000000000000001";

}  // namespace

TEST_CASE("JobGraphStore: put, recover, list and clean up job graphs") {
  StandaloneHaServices services(std::map<std::string, std::string>{{"rm", "akka://rm:6123"}});
  JobGraphStore graphs(services.stateStore());
  CHECK_FALSE(graphs.recoverJobGraph(kJob));
  REQUIRE_FALSE(graphs.putJobGraph(kToken, kJob, std::string("\0graph", 6)));
  REQUIRE_FALSE(graphs.putJobGraph(kToken, kOtherJob, "g2"));
  CHECK(graphs.recoverJobGraph(kJob) == std::string("\0graph", 6));
  CHECK(graphs.getJobIds() == std::vector<std::string>{kOtherJob, kJob});
  REQUIRE_FALSE(graphs.globalCleanup(kToken, kJob));
  REQUIRE_FALSE(graphs.globalCleanup(kToken, kJob));  // gone already: fine
  CHECK(graphs.getJobIds() == std::vector<std::string>{kOtherJob});
  CHECK(services.stateStore().get("jobgraphs", kOtherJob)->value == "g2");
}

TEST_CASE("CheckpointIdCounter: ids start at 1, only grow, and setCount never lowers them") {
  StandaloneHaServices services(std::map<std::string, std::string>{{"rm", "akka://rm:6123"}});
  CheckpointIdCounter counter(services.stateStore(), kJob);
  CHECK(counter.get() == 1);
  std::int64_t id = 0;
  REQUIRE_FALSE(counter.getAndIncrement(kToken, &id));
  CHECK(id == 1);
  REQUIRE_FALSE(counter.getAndIncrement(kToken, &id));
  CHECK(id == 2);
  CHECK(counter.get() == 3);
  REQUIRE_FALSE(counter.setCount(kToken, 10));
  CHECK(counter.get() == 10);
  REQUIRE_FALSE(counter.setCount(kToken, 4));  // lower: no change
  REQUIRE_FALSE(counter.getAndIncrement(kToken, &id));
  CHECK(id == 10);
  CHECK_THROWS_AS(counter.setCount(kToken, 0), std::invalid_argument);
  CheckpointIdCounter other(services.stateStore(), kOtherJob);  // one counter per job
  CHECK(other.get() == 1);
}

TEST_CASE("JobResultStore: dirty, then clean; dirty entries for a new leader") {
  StandaloneHaServices services(std::map<std::string, std::string>{{"rm", "akka://rm:6123"}});
  JobResultStore results(services.stateStore());
  CHECK_FALSE(results.hasJobResultEntry(kJob));
  REQUIRE_FALSE(results.createDirtyResult(kToken, kJob, "FINISHED"));
  REQUIRE_FALSE(results.createDirtyResult(kToken, kOtherJob, "FAILED"));
  CHECK(results.createDirtyResult(kToken, kJob, "again") == make_error_code(Errc::write_conflict));
  CHECK(results.hasDirtyJobResultEntry(kJob));
  CHECK_FALSE(results.hasCleanJobResultEntry(kJob));
  REQUIRE_FALSE(results.markResultAsClean(kToken, kJob));
  CHECK(results.hasCleanJobResultEntry(kJob));
  CHECK(results.entry(kJob) == JobResultStore::Entry{kJob, "FINISHED", true});
  CHECK(results.markResultAsClean(kToken, kJob) == make_error_code(Errc::write_conflict));
  CHECK(results.getDirtyResults() ==
        std::vector<JobResultStore::Entry>{{kOtherJob, "FAILED", false}});
  REQUIRE_FALSE(services.stateStore().put(kToken, "job-results", "junk", "not an entry"));
  CHECK_THROWS_AS(results.entry("junk"), std::system_error);
}

TEST_CASE("views: a deposed leader's writes through a view are refused") {
  auto cluster = EmbeddedCluster::create();
  EmbeddedNode a(cluster, "a");
  EmbeddedNode b(cluster, "b");
  a.start();
  auto granted = a.contender.inbox.expectNext<Granted>();
  const FencingToken old = *a.election->fencingToken(granted.id);
  b.start();
  CheckpointIdCounter counter(a.services->stateStore(), kJob);
  std::int64_t id = 0;
  REQUIRE_FALSE(counter.getAndIncrement(old, &id));
  cluster->transferLeadership("b");
  const auto lost = make_error_code(Errc::leadership_lost);
  CHECK(counter.getAndIncrement(old, &id) == lost);
  CHECK(JobGraphStore(a.services->stateStore()).putJobGraph(old, kJob, "g") == lost);
  CHECK(JobResultStore(a.services->stateStore()).createDirtyResult(old, kJob, "r") == lost);
  CHECK(counter.get() == 2);
}
