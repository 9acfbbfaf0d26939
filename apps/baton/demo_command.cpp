#include "demo_command.hpp"

#include <cstdio>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "baton/embedded/embedded_cluster.hpp"
#include "baton/embedded/embedded_ha_services.hpp"
#include "baton/leader_contender.hpp"
#include "baton/leader_retrieval_service.hpp"
#include "demo_story.hpp"

namespace baton::cli {
namespace {

using std::chrono::milliseconds;

// Generous for an in-process cluster; a step that takes longer is a bug worth reporting.
constexpr milliseconds kStepTimeout{10'000};

// One participant: its own HighAvailabilityServices on the shared cluster, and a contender
// that confirms every grant at once.
class DemoNode final : public LeaderContender {
 public:
  DemoNode(const std::shared_ptr<embedded::EmbeddedCluster>& cluster, int index, DemoStory& story)
      : name_("node-" + std::to_string(index)),
        address_("127.0.0.1:" + std::to_string(9000 + index)),
        story_(story),
        services_(embedded::makeEmbeddedHaServices(cluster, name_)) {
    story_.addNode(name_, address_);
  }
  ~DemoNode() override { shutdown(); }

  const std::string& name() const noexcept { return name_; }

  void join() {
    election_ = services_->getLeaderElection(DemoStory::kComponent);
    election_->startLeaderElection(*this);
  }
  // Leaves the election (the revoke, if leading, is delivered before this returns).
  void leave() noexcept {
    if (election_)
      election_->close();
  }
  void shutdown() noexcept {
    leave();
    services_->close();
  }

  void grantLeadership(const LeaderSessionId& leaderSessionId) override {
    session_ = leaderSessionId;  // callbacks of one contender never run concurrently
    story_.granted(name_, leaderSessionId, address_);
    election_->confirmLeadership(leaderSessionId, address_);
  }
  void revokeLeadership() override { story_.revoked(name_, session_); }
  void handleError(const std::system_error& error) override { story_.problem(name_, error.what()); }

 private:
  const std::string name_;
  const std::string address_;
  DemoStory& story_;
  std::unique_ptr<HighAvailabilityServices> services_;
  std::unique_ptr<LeaderElection> election_;
  LeaderSessionId session_;  // the latest grant's; used by the callbacks only
};

class DemoWatcher final : public LeaderRetrievalListener {
 public:
  explicit DemoWatcher(DemoStory& story) : story_(story) {}
  void notifyLeaderAddress(const std::string& leaderAddress,
                           const LeaderSessionId& leaderSessionId) override {
    story_.watcherSees(leaderAddress, leaderSessionId);
  }
  void handleError(const std::system_error& error) override {
    story_.problem("watcher", error.what());
  }

 private:
  DemoStory& story_;
};

}  // namespace
}  // namespace baton::cli

namespace baton::cli {
namespace {

std::string plural(std::size_t count, const char* noun) {
  return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

// The story: the first node leads, the others queue behind it, and each leader in turn leaves
// the election so that the next one takes over, while the watcher follows every change.
class DemoScript {
 public:
  DemoScript(std::vector<std::unique_ptr<DemoNode>>& nodes, DemoStory& story)
      : nodes_(nodes), story_(story) {}

  void run() {
    nodes_.front()->join();
    std::optional<DemoStory::Grant> leader = awaitGrant(1);
    if (!leader || !awaitWatcherSees(*leader))
      return;
    for (std::size_t i = 1; i < nodes_.size(); ++i)
      nodes_[i]->join();
    for (std::size_t step = 1; step < nodes_.size(); ++step) {
      leader = handover(step, *leader);
      if (!leader || !awaitWatcherSees(*leader))
        return;
    }
  }

  std::size_t handovers() const noexcept { return handovers_; }
  std::size_t leaders() const noexcept { return leaders_.size(); }
  const std::vector<std::string>& failures() const noexcept { return failures_; }

 private:
  std::optional<DemoStory::Grant> handover(std::size_t step, const DemoStory::Grant& from) {
    const double startMs = story_.elapsedMs();
    story_.tell(from.node, "leave", from.node + " leaves the election");
    node(from.node).leave();
    std::optional<DemoStory::Grant> to = awaitGrant(step + 1);
    if (!to)
      return std::nullopt;
    if (to->node == from.node) {
      failures_.push_back(from.node + " was granted again after it left the election");
      return std::nullopt;
    }
    char sentence[160];
    std::snprintf(sentence, sizeof sentence, "handover %zu: %s -> %s in %.1f ms", step,
                  from.node.c_str(), to->node.c_str(), to->atMs - startMs);
    story_.tell(to->node, "handover", sentence);
    ++handovers_;
    return to;
  }

  // The count-th grant of the demo (1-based).
  std::optional<DemoStory::Grant> awaitGrant(std::size_t count) {
    const bool arrived = story_.waitUntil(
        kStepTimeout, [count](const DemoStory::Record& r) { return r.grants.size() >= count; });
    if (!arrived) {
      failures_.push_back("timed out after " + std::to_string(kStepTimeout.count()) +
                          " ms waiting for grant number " + std::to_string(count));
      return std::nullopt;
    }
    DemoStory::Grant grant = story_.snapshot().grants.at(count - 1);
    leaders_.insert(grant.node);
    return grant;
  }

  bool awaitWatcherSees(const DemoStory::Grant& leader) {
    const bool seen = story_.waitUntil(kStepTimeout, [&leader](const DemoStory::Record& r) {
      return r.watchedAddress == leader.address && r.watchedSession == leader.session;
    });
    if (!seen) {
      failures_.push_back("timed out after " + std::to_string(kStepTimeout.count()) +
                          " ms waiting for the watcher to see " + leader.node);
    }
    return seen;
  }

  DemoNode& node(const std::string& name) {
    for (auto& candidate : nodes_) {
      if (candidate->name() == name)
        return *candidate;
    }
    throw std::logic_error("demo: no node named " + name);
  }

  std::vector<std::unique_ptr<DemoNode>>& nodes_;
  DemoStory& story_;
  std::size_t handovers_ = 0;
  std::set<std::string> leaders_;
  std::vector<std::string> failures_;
};

// Prints the summary when everything held; otherwise each problem on stderr. Returns the exit
// status.
int verify(DemoStory& story, const DemoScript& script) {
  std::vector<std::string> problems = story.problems();
  problems.insert(problems.end(), script.failures().begin(), script.failures().end());
  if (story.maxConcurrentLeaders() > 1) {
    problems.push_back("two leaders at once: up to " +
                       std::to_string(story.maxConcurrentLeaders()) +
                       " contenders led at the same time");
  }
  if (!problems.empty()) {
    for (const auto& text : problems)
      std::fprintf(stderr, "baton demo: FAILED: %s\n", text.c_str());
    return 1;
  }
  story.tell("demo", "summary",
             plural(script.leaders(), "leader") + ", " + plural(script.handovers(), "handover") +
                 ", never two leaders at once");
  return 0;
}

}  // namespace

int runDemo(const CliOptions& options) {
  DemoStory story(options.json ? OutputFormat::json : OutputFormat::readable);
  story.tell("demo", "start",
             plural(static_cast<std::size_t>(options.contenders), "contender") + " for " +
                 DemoStory::kComponent + " on an in-process cluster; a watcher follows");
  const auto cluster = embedded::EmbeddedCluster::create();
  const auto watcherServices = embedded::makeEmbeddedHaServices(cluster, "watcher");
  DemoWatcher watcher(story);
  const auto retriever = watcherServices->getLeaderRetriever(DemoStory::kComponent);
  retriever->start(watcher);
  std::vector<std::unique_ptr<DemoNode>> nodes;
  for (int i = 1; i <= options.contenders; ++i) {
    nodes.push_back(std::make_unique<DemoNode>(cluster, i, story));
  }

  DemoScript script(nodes, story);
  script.run();

  story.tell("demo", "closing", "closing: the watcher stops, every node leaves");
  retriever->stop();
  for (auto& node : nodes)
    node->shutdown();
  watcherServices->close();
  return verify(story, script);
}

}  // namespace baton::cli
