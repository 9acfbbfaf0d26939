#include "election/latch_state_machine.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <stdexcept>

#include <zookeeper/zookeeper.h>

#include "baton/zookeeper/zk_error.hpp"

namespace baton::zookeeper {
namespace {

constexpr std::string_view kLatchMarker = "-latch-";
constexpr std::size_t kSequenceDigits = 10;

// The sequence number ZooKeeper appended, or nullopt for a name that is not a latch node.
std::optional<std::uint64_t> sequenceOf(const std::string& name) {
  auto marker = name.rfind(kLatchMarker);
  if (marker == std::string::npos ||
      name.size() != marker + kLatchMarker.size() + kSequenceDigits) {
    return std::nullopt;
  }
  std::uint64_t value = 0;
  for (std::size_t i = marker + kLatchMarker.size(); i < name.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(name[i])))
      return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(name[i] - '0');
  }
  return value;
}

std::string basename(const std::string& path) {
  return path.substr(path.rfind('/') + 1);
}

bool isNoNode(const std::error_code& error) {
  return error == make_error_code(ZNONODE);
}

}  // namespace

std::string_view toString(LatchPhase phase) noexcept {
  switch (phase) {
    case LatchPhase::idle:
      return "idle";
    case LatchPhase::awaitingSession:
      return "awaiting-session";
    case LatchPhase::ensuringPath:
      return "ensuring-path";
    case LatchPhase::creating:
      return "creating";
    case LatchPhase::recovering:
      return "recovering";
    case LatchPhase::listing:
      return "listing";
    case LatchPhase::watching:
      return "watching";
    case LatchPhase::verifying:
      return "verifying";
    case LatchPhase::held:
      return "held";
    case LatchPhase::leaving:
      return "leaving";
    case LatchPhase::closed:
      return "closed";
    case LatchPhase::failed:
      return "failed";
  }
  return "unknown";
}

LatchStateMachine::LatchStateMachine(std::string latchDir) : latchDir_(std::move(latchDir)) {}

std::vector<latch::Action> LatchStateMachine::handle(const latch::Event& event) {
  Actions out;
  std::visit([&](const auto& e) { on(e, out); }, event);
  return out;
}

std::vector<std::string> LatchStateMachine::sortLatchNodes(
    const std::vector<std::string>& children) {
  std::vector<std::pair<std::uint64_t, std::string>> nodes;
  for (const auto& child : children) {
    if (auto sequence = sequenceOf(child))
      nodes.emplace_back(*sequence, child);
  }
  std::sort(nodes.begin(), nodes.end());
  std::vector<std::string> sorted;
  sorted.reserve(nodes.size());
  for (auto& node : nodes)
    sorted.push_back(std::move(node.second));
  return sorted;
}

void LatchStateMachine::on(const latch::Start&, Actions&) {
  if (phase_ != LatchPhase::idle)
    return;
  transition(LatchPhase::awaitingSession);
}

void LatchStateMachine::on(const latch::SessionUp& e, Actions& out) {
  if (phase_ == LatchPhase::leaving) {
    failed("; its latch node ended with its session", out);  // a new session: the old one is gone
    return;
  }
  if (!isActive())
    return;
  if (held_)
    release("the session was replaced", out);
  generation_ = e.generation;
  sessionId_ = e.sessionId;
  protectionId_ = e.protectionId;
  suspended_ = false;
  nextInLine_ = false;
  ownPath_.reset();
  predecessor_.reset();
  armedWatch_.reset();
  recheckPending_ = false;
  reenter(out);
}

void LatchStateMachine::on(const latch::SessionSuspended&, Actions&) {
  suspended_ = true;
}

void LatchStateMachine::on(const latch::SessionResumed&, Actions& out) {
  if (!suspended_)
    return;
  suspended_ = false;
  retryCurrentStep(out);
}

// Re-issues the request of the current phase after a connection error or a backoff. A create
// still in flight completes (or fails) by itself; one that failed with a connection error
// moved us to recovering.
void LatchStateMachine::retryCurrentStep(Actions& out) {
  switch (phase_) {
    case LatchPhase::ensuringPath:
      out.push_back(latch::EnsureLatchPath{});
      break;
    case LatchPhase::recovering:
      out.push_back(latch::ListChildren{});
      break;
    case LatchPhase::listing:
    case LatchPhase::watching:
    case LatchPhase::verifying:
    case LatchPhase::held:
      list(out);
      break;
    default:
      break;
  }
}

void LatchStateMachine::on(const latch::SessionLost&, Actions& out) {
  if (held_)
    release("the ZooKeeper session was lost", out);
  nextInLine_ = false;
  ownPath_.reset();
  predecessor_.reset();
  armedWatch_.reset();
  suspended_ = false;
  recheckPending_ = false;
  if (phase_ == LatchPhase::leaving)
    failed("; its latch node ended with its session", out);
  else if (isActive())
    transition(LatchPhase::awaitingSession);
}

void LatchStateMachine::on(const latch::PathEnsured& e, Actions& out) {
  if (!isCurrent(e.generation) || phase_ != LatchPhase::ensuringPath)
    return;
  if (e.error) {
    if (!retryLater(e.error, out))
      fail(e.error, "creating the latch path " + latchDir_, out);
    return;
  }
  createNode(out);
}

void LatchStateMachine::on(const latch::Created& e, Actions& out) {
  if (!isCurrent(e.generation))
    return;  // an old session's node died with it
  if (phase_ == LatchPhase::closed) {
    // Closed while the create was in flight: the node must not outlive us.
    if (!e.error)
      out.push_back(latch::DeleteNode{e.path});
    else if (isRetryable(e.error))
      out.push_back(latch::DeleteProtectedNode{protectedPrefix()});  // the reply was lost
    return;
  }
  if (phase_ != LatchPhase::creating)
    return;
  if (!e.error) {
    ownPath_ = e.path;
    list(out);
  } else if (isNoNode(e.error)) {
    ensurePath(out);  // the latch directory is missing (first start, or deleted under us)
  } else if (isRetryable(e.error)) {
    // The reply was lost, not necessarily the create: look for our protected name first.
    transition(LatchPhase::recovering);
    retryLater(e.error, out);
  } else {
    fail(e.error, "creating a latch node under " + latchDir_, out);
  }
}

void LatchStateMachine::on(const latch::Listed& e, Actions& out) {
  if (!isCurrent(e.generation))
    return;
  if (phase_ != LatchPhase::listing && phase_ != LatchPhase::recovering)
    return;
  if (e.error) {
    if (isNoNode(e.error)) {
      if (held_)
        release("the latch path was deleted", out);
      ownPath_.reset();
      reenter(out);
    } else if (!retryLater(e.error, out)) {
      fail(e.error, "listing " + latchDir_, out);
    }
    return;
  }
  auto nodes = sortLatchNodes(e.children);
  nextInLine_ = false;
  if (phase_ == LatchPhase::recovering) {
    auto mine = std::find_if(nodes.begin(), nodes.end(), [&](const std::string& n) {
      return n.rfind(protectedPrefix(), 0) == 0;
    });
    if (mine == nodes.end()) {
      createNode(out);  // the create never happened
      return;
    }
    ownPath_ = fullPath(*mine);
  }
  auto own = ownPath_ ? std::find(nodes.begin(), nodes.end(), basename(*ownPath_)) : nodes.end();
  if (own == nodes.end()) {
    if (held_)
      release("the latch node was deleted", out);
    ownPath_.reset();
    reenter(out);
    return;
  }
  place_ = Place{*own, static_cast<std::size_t>(own - nodes.begin()), ++placeListings_};
  successorBehind_ = std::next(own) != nodes.end();
  if (own == nodes.begin()) {
    if (verifiedPath_ == ownPath_) {
      acquire(verifiedEpoch_, out);
      return;
    }
    transition(LatchPhase::verifying);
    if (waitingCheckPath_ != ownPath_)  // else the check sent while waiting answers for both
      out.push_back(latch::VerifyOwnNode{*ownPath_});
    return;
  }
  if (held_)
    release("a lower latch node appeared", out);
  predecessor_ = fullPath(*std::prev(own));
  nextInLine_ = std::prev(own) == nodes.begin();
  waitedPath_ = ownPath_;
  transition(LatchPhase::watching);
  if (armedWatch_ != predecessor_)
    out.push_back(latch::ReadPredecessor{*predecessor_});
  // The owner check while waiting, once per node: at the handover the successor then acquires
  // right after its list, one read round trip sooner.
  if (verifiedPath_ != ownPath_ && waitingCheckPath_ != ownPath_) {
    waitingCheckPath_ = ownPath_;
    out.push_back(latch::VerifyOwnNode{*ownPath_});
  }
}

void LatchStateMachine::on(const latch::PredecessorRead& e, Actions& out) {
  if (!isCurrent(e.generation))
    return;
  if (!e.error)
    armedWatch_ = e.path;  // armed whatever we do now: a later re-check must not add another
  if (phase_ != LatchPhase::watching || e.path != predecessor_)
    return;
  if (!e.error)
    return;  // the watch is set: wait for it
  if (isNoNode(e.error)) {
    list(out);  // gone before we could watch it: the next one up may be us
  } else if (!retryLater(e.error, out)) {
    fail(e.error, "watching " + e.path, out);
  }
}

void LatchStateMachine::on(const latch::PredecessorGone& e, Actions& out) {
  if (!isCurrent(e.generation))
    return;
  if (armedWatch_ == e.path)
    armedWatch_.reset();  // one-shot: spent
  if (phase_ != LatchPhase::watching || e.path != predecessor_)
    return;
  list(out);
}

void LatchStateMachine::on(const latch::Verified& e, Actions& out) {
  if (!isCurrent(e.generation) || e.path != ownPath_)
    return;
  bool whileWaiting = waitingCheckPath_ == e.path;
  if (whileWaiting)
    waitingCheckPath_.reset();
  if (whileWaiting && phase_ != LatchPhase::verifying) {
    onVerifiedWhileWaiting(e, out);
    return;
  }
  if (phase_ != LatchPhase::verifying)
    return;
  if (e.error) {
    if (isNoNode(e.error)) {
      if (held_)
        release("the latch node was deleted", out);
      ownPath_.reset();
      reenter(out);
    } else if (!retryLater(e.error, out)) {
      fail(e.error, "reading " + e.path, out);
    }
    return;
  }
  if (e.ephemeralOwner != sessionId_) {
    // A node under our name that this session does not own must never make us leader.
    if (held_)
      release("the latch node is not owned by this session", out);
    ownPath_.reset();
    reenter(out);
    return;
  }
  verifiedPath_ = ownPath_;
  verifiedEpoch_ = e.czxid;
  acquire(e.czxid, out);
}

void LatchStateMachine::onVerifiedWhileWaiting(const latch::Verified& e, Actions& out) {
  if (e.error) {
    // Nothing is known: the takeover verifies then. A missing node is re-checked at once.
    if (isNoNode(e.error) && phase_ == LatchPhase::watching)
      list(out);
    return;
  }
  if (e.ephemeralOwner != sessionId_) {
    if (phase_ == LatchPhase::watching) {
      ownPath_.reset();
      reenter(out);
    }
    return;
  }
  verifiedPath_ = ownPath_;
  verifiedEpoch_ = e.czxid;
}

void LatchStateMachine::acquire(std::int64_t epoch, Actions& out) {
  transition(LatchPhase::held);
  // Lowest: no predecessor any more. Its watch fired (or is still armed: armedWatch_ says so),
  // so leaving need not remove it, one request less ahead of the leaver's delete.
  predecessor_.reset();
  if (!held_) {
    held_ = true;
    out.push_back(latch::Acquired{*ownPath_, epoch});
    // Whoever is behind us listed while we waited: it learns it is next only from this.
    if (waitedPath_ == ownPath_ && successorBehind_)
      out.push_back(latch::NotifySuccessor{*ownPath_});
  }
}

void LatchStateMachine::on(const latch::OwnNodeWatchFired& e, Actions& out) {
  if (!isCurrent(e.generation) || e.path != ownPath_)
    return;
  verifiedPath_.reset();  // the one-shot watch is spent: the next check reads (and re-arms)
  if (phase_ == LatchPhase::held || phase_ == LatchPhase::verifying ||
      phase_ == LatchPhase::watching)
    list(out);
}

void LatchStateMachine::on(const latch::RecheckDue& e, Actions& out) {
  if (!isCurrent(e.generation))
    return;
  recheckPending_ = false;
  if (suspended_)
    return;  // SessionResumed or SessionLost drives what follows
  retryCurrentStep(out);
}

void LatchStateMachine::on(const latch::NodeDeleted& e, Actions& out) {
  if (!isCurrent(e.generation) || phase_ != LatchPhase::leaving || e.path != leavingPath_)
    return;
  if (!e.error) {
    failed("", out);
    return;
  }
  failed("; its latch node " + e.path + " could not be deleted (" + e.error.message() +
             ") and stays in the queue until the session ends",
         out);
}

void LatchStateMachine::on(const latch::Unfit& e, Actions& out) {
  if (!isActive())
    return;
  if (!isCurrent(e.generation)) {
    // A new session we have not entered: whatever node we had died with the old one.
    if (held_)
      release("the ZooKeeper session was replaced", out);
    generation_ = e.generation;
    ownPath_.reset();
    predecessor_.reset();
    armedWatch_.reset();
  }
  fail(e.error, e.what, out);
}

void LatchStateMachine::on(const latch::Close&, Actions& out) {
  if (phase_ == LatchPhase::closed)
    return;
  if (held_)
    release("closing", out);
  if (predecessor_)
    out.push_back(latch::RemoveWatches{*predecessor_});
  if (armedWatch_ && armedWatch_ != predecessor_)
    out.push_back(latch::RemoveWatches{*armedWatch_});
  if (ownPath_) {
    // Our own node's watch is left to fire once on the delete, into the closed latch: removing
    // it first would put a request ahead of the leaver's delete, the handover's one write.
    out.push_back(latch::DeleteNode{*ownPath_});
  } else if (phase_ == LatchPhase::recovering) {
    // The create's outcome is unknown and our node may exist under the protected name. One list
    // now would not do: if it fails (still disconnected), nothing after close would try again.
    out.push_back(latch::DeleteProtectedNode{protectedPrefix()});
  }
  // leaving: its DeleteNode is already retrying.
  nextInLine_ = false;
  ownPath_.reset();
  predecessor_.reset();
  armedWatch_.reset();
  transition(LatchPhase::closed);
}

bool isLatchEdge(LatchPhase from, LatchPhase to) noexcept {
  return std::find(std::begin(kLatchEdges), std::end(kLatchEdges), std::pair{from, to}) !=
         std::end(kLatchEdges);
}

void requireLatchEdge(LatchPhase from, LatchPhase to) {
  if (from != to && !isLatchEdge(from, to)) {
    throw std::logic_error("LatchStateMachine: illegal transition " + std::string(toString(from)) +
                           " -> " + std::string(toString(to)) + " (not in kLatchEdges)");
  }
}

void LatchStateMachine::transition(LatchPhase next) {
  requireLatchEdge(phase_, next);
  if (next == phase_)
    return;  // re-entering the phase (a retry of its step): no edge
  auto from = phase_;
  phase_ = next;
  if (observer_)
    observer_(from, next);
}

bool LatchStateMachine::isCurrent(std::uint64_t generation) const {
  return generation == generation_;
}

bool LatchStateMachine::retryLater(const std::error_code& error, Actions& out) {
  if (!isRetryable(error))
    return false;
  if (!suspended_ && !recheckPending_) {
    recheckPending_ = true;
    out.push_back(latch::ScheduleRecheck{error});
  }
  return true;
}

void LatchStateMachine::release(const std::string& reason, Actions& out) {
  held_ = false;
  out.push_back(latch::Released{reason});
}

void LatchStateMachine::reenter(Actions& out) {
  // Create first: the latch dir nearly always exists, and making sure of it first would cost a
  // round trip (or a write per level) on every start. A missing dir answers ZNONODE, and only
  // then are the parents created (on(Created)).
  predecessor_.reset();
  createNode(out);
}

void LatchStateMachine::ensurePath(Actions& out) {
  transition(LatchPhase::ensuringPath);
  out.push_back(latch::EnsureLatchPath{});
}

void LatchStateMachine::list(Actions& out) {
  transition(LatchPhase::listing);
  out.push_back(latch::ListChildren{});
}

void LatchStateMachine::createNode(Actions& out) {
  transition(LatchPhase::creating);
  out.push_back(latch::CreateNode{latchDir_ + "/_c_" + protectionId_ + "-latch-"});
}

void LatchStateMachine::fail(const std::error_code& error, const std::string& what, Actions& out) {
  if (held_)
    release("the latch failed: " + what, out);
  if (predecessor_)
    out.push_back(latch::RemoveWatches{*predecessor_});
  if (armedWatch_ && armedWatch_ != predecessor_)
    out.push_back(latch::RemoveWatches{*armedWatch_});
  predecessor_.reset();
  armedWatch_.reset();
  verifiedPath_.reset();
  recheckPending_ = false;
  nextInLine_ = false;
  failure_ = latch::Fail{error, what};
  if (phase_ == LatchPhase::recovering) {
    // Our create's outcome is unknown and the list that would find it is what failed: one more
    // search (it also retries connection errors), but the failure cannot wait for it.
    out.push_back(latch::DeleteProtectedNode{protectedPrefix()});
    failed(
        "; if its create went through and the node cannot be found, it stays until the "
        "session ends",
        out);
    return;
  }
  if (!ownPath_) {
    failed("", out);
    return;
  }
  // Deleting the node also fires its data watch, which finds nothing to do.
  leavingPath_ = std::move(ownPath_);
  ownPath_.reset();
  transition(LatchPhase::leaving);
  out.push_back(latch::DeleteNode{*leavingPath_});
}

void LatchStateMachine::failed(const std::string& note, Actions& out) {
  latch::Fail report = failure_.value_or(latch::Fail{});
  report.what += note;
  failure_.reset();
  leavingPath_.reset();
  transition(LatchPhase::failed);
  out.push_back(latch::Fail{report.error, report.what});
}

bool LatchStateMachine::isActive() const {
  return phase_ != LatchPhase::idle && phase_ != LatchPhase::leaving &&
         phase_ != LatchPhase::closed && phase_ != LatchPhase::failed;
}

}  // namespace baton::zookeeper
