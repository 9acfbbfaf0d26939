#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <variant>
#include <vector>

namespace baton::zookeeper {

// One participant's LeaderLatch, as a state machine without I/O: events in, actions out. The
// driver performs the actions with ZkClient and feeds the results back; unit tests step it
// with no server.
//
//   idle --Start--> awaitingSession --SessionUp--> creating (the latch dir is assumed to exist)
//   creating --Created--> listing
//   creating --Created(ZNONODE: latch dir missing)--> ensuringPath --PathEnsured--> creating
//   creating --reply lost--> recovering --Listed, our protected name missing--> creating
//   recovering --Listed, our protected name found--> as listing: verifying | watching | held
//   listing --lowest--> verifying --own node, own session--> held (Acquired)
//   listing --lowest, node already verified--> held
//       (Acquired; after waiting behind a predecessor, with someone behind us: NotifySuccessor)
//   listing --a lower node--> watching --PredecessorGone / read ZNONODE--> listing
//   listing --the same predecessor, its watch still armed--> watching (no second watch)
//   listing/recovering/verifying --own node or latch dir missing, not ours--> creating
//   verifying/held --OwnNodeWatchFired--> listing (a re-check: released only if the node is gone)
//   active --SessionSuspended--> same phase, results with connection errors ignored
//   listing/watching/verifying/held --SessionResumed / RecheckDue--> listing (re-check; the node
//       and its place are kept)
//   active --SessionUp (a new session)--> creating
//   active --SessionLost--> awaitingSession (Released; the node died with the session)
//   active --fatal error / Unfit--> leaving (from listing/watching/verifying/held: Released;
//       DeleteNode) --NodeDeleted / SessionUp / SessionLost--> failed (Fail); without a node of
//       ours: failed at once
//   any but closed --Close--> closed (Released; own node deleted, or deleted when its create
//       completes, or found by its protected name and deleted when the create's outcome is
//       unknown); failed --Close--> closed
// where "active" is awaitingSession, ensuringPath, creating, recovering, listing, watching,
// verifying and held. kLatchEdges below is this diagram as a table: the machine takes no other
// edge (re-entering the current phase, a retry, is no edge).
//
// A participant that can no longer take part must leave the queue: a node left there stays
// while the session lives, and as the lowest it would block every other participant. Fail is
// reported once the node is gone, so the driver's onFailure ("its place is released") holds.
//
// "held" is tracked apart from the phase so that a re-check of a held latch (after a
// reconnect) neither releases nor re-acquires when nothing changed.
//
// Thread-safety: none; used on the driver's strand only.
enum class LatchPhase {
  idle,
  awaitingSession,
  ensuringPath,
  creating,
  recovering,
  listing,
  watching,
  verifying,
  held,
  leaving,  // a fatal error: deleting our node before Fail is reported
  closed,
  failed,
};

std::string_view toString(LatchPhase phase) noexcept;

// The diagram above, edge by edge: the one table LatchStateMachine's transition checks.
// Taking an edge not listed is a bug in the machine: it throws std::logic_error (in every
// build: the driver turns it into a logged error and leaves the election, see ZkLatchRunner).
inline constexpr std::pair<LatchPhase, LatchPhase> kLatchEdges[] = {
    {LatchPhase::idle, LatchPhase::awaitingSession},
    {LatchPhase::idle, LatchPhase::closed},
    {LatchPhase::awaitingSession, LatchPhase::creating},
    {LatchPhase::awaitingSession, LatchPhase::failed},
    {LatchPhase::awaitingSession, LatchPhase::closed},
    {LatchPhase::ensuringPath, LatchPhase::awaitingSession},
    {LatchPhase::ensuringPath, LatchPhase::creating},
    {LatchPhase::ensuringPath, LatchPhase::failed},
    {LatchPhase::ensuringPath, LatchPhase::closed},
    {LatchPhase::creating, LatchPhase::awaitingSession},
    {LatchPhase::creating, LatchPhase::ensuringPath},
    {LatchPhase::creating, LatchPhase::listing},
    {LatchPhase::creating, LatchPhase::recovering},
    {LatchPhase::creating, LatchPhase::failed},
    {LatchPhase::creating, LatchPhase::closed},
    {LatchPhase::recovering, LatchPhase::awaitingSession},
    {LatchPhase::recovering, LatchPhase::creating},
    {LatchPhase::recovering, LatchPhase::verifying},
    {LatchPhase::recovering, LatchPhase::watching},
    {LatchPhase::recovering, LatchPhase::held},
    {LatchPhase::recovering, LatchPhase::failed},
    {LatchPhase::recovering, LatchPhase::closed},
    {LatchPhase::listing, LatchPhase::awaitingSession},
    {LatchPhase::listing, LatchPhase::creating},
    {LatchPhase::listing, LatchPhase::verifying},
    {LatchPhase::listing, LatchPhase::watching},
    {LatchPhase::listing, LatchPhase::held},
    {LatchPhase::listing, LatchPhase::leaving},
    {LatchPhase::listing, LatchPhase::failed},
    {LatchPhase::listing, LatchPhase::closed},
    {LatchPhase::watching, LatchPhase::awaitingSession},
    {LatchPhase::watching, LatchPhase::creating},
    {LatchPhase::watching, LatchPhase::listing},
    {LatchPhase::watching, LatchPhase::leaving},
    {LatchPhase::watching, LatchPhase::failed},
    {LatchPhase::watching, LatchPhase::closed},
    {LatchPhase::verifying, LatchPhase::awaitingSession},
    {LatchPhase::verifying, LatchPhase::creating},
    {LatchPhase::verifying, LatchPhase::listing},
    {LatchPhase::verifying, LatchPhase::held},
    {LatchPhase::verifying, LatchPhase::leaving},
    {LatchPhase::verifying, LatchPhase::failed},
    {LatchPhase::verifying, LatchPhase::closed},
    {LatchPhase::held, LatchPhase::awaitingSession},
    {LatchPhase::held, LatchPhase::creating},
    {LatchPhase::held, LatchPhase::listing},
    {LatchPhase::held, LatchPhase::leaving},
    {LatchPhase::held, LatchPhase::failed},
    {LatchPhase::held, LatchPhase::closed},
    {LatchPhase::leaving, LatchPhase::failed},
    {LatchPhase::leaving, LatchPhase::closed},
    {LatchPhase::failed, LatchPhase::closed},
};

// Whether kLatchEdges holds from -> to.
bool isLatchEdge(LatchPhase from, LatchPhase to) noexcept;
// The check of LatchStateMachine's transition: throws std::logic_error naming both phases
// unless from == to (re-entering a phase, a retry, is no edge) or isLatchEdge(from, to).
void requireLatchEdge(LatchPhase from, LatchPhase to);

namespace latch {

// Events. `generation` names the ZooKeeper session a result belongs to; results of another
// generation are dropped.
struct Start {};
struct SessionUp {
  std::uint64_t generation;
  std::int64_t sessionId;
  std::string protectionId;  // unique per session: finds our node after a lost create reply
};
struct SessionSuspended {};
struct SessionResumed {};
struct SessionLost {};
struct PathEnsured {
  std::uint64_t generation;
  std::error_code error;
};
struct Created {
  std::uint64_t generation;
  std::error_code error;
  std::string path;
};
struct Listed {
  std::uint64_t generation;
  std::error_code error;
  std::vector<std::string> children;
};
struct PredecessorRead {
  std::uint64_t generation;
  std::error_code error;
  std::string path;
};
struct PredecessorGone {
  std::uint64_t generation;
  std::string path;
};
struct Verified {
  std::uint64_t generation;
  std::error_code error;
  std::string path;
  std::int64_t ephemeralOwner = 0;
  std::int64_t czxid = 0;
};
struct OwnNodeWatchFired {  // deleted by someone (its watch fires on nothing else): re-check
  std::uint64_t generation;
  std::string path;
};
struct RecheckDue {  // the backoff asked for by ScheduleRecheck has passed
  std::uint64_t generation;
};
struct NodeDeleted {  // the final outcome of a DeleteNode within its session
  std::uint64_t generation;
  std::string path;
  std::error_code error;  // empty: the node is gone (deleted now or before)
};
// Something outside the latch means this participant can never lead in this session (e.g. the
// servers negotiated a session timeout too short for the lease): leave and fail.
struct Unfit {
  std::uint64_t generation;
  std::error_code error;
  std::string what;
};
struct Close {};
using Event = std::variant<Start, SessionUp, SessionSuspended, SessionResumed, SessionLost,
                           PathEnsured, Created, Listed, PredecessorRead, PredecessorGone, Verified,
                           OwnNodeWatchFired, RecheckDue, NodeDeleted, Unfit, Close>;

// Actions, in the order they are to be performed.
struct EnsureLatchPath {};
struct CreateNode {
  std::string pathPrefix;  // <latch dir>/_c_<protection id>-latch- (sequence appended)
};
struct ListChildren {};
struct ReadPredecessor {  // getData with a data watch (an exists watch would leak)
  std::string path;
};
// Our node's stat (owner, czxid) with a watch for its deletion that our own writes to it
// (NotifySuccessor) do not fire: ZkClient::statWatchingDeletion.
struct VerifyOwnNode {
  std::string path;
};
struct DeleteNode {  // retried after connection errors while the session lives; NodeDeleted
  std::string path;
};
// After close with a create's outcome unknown: list the latch dir and delete the child whose
// name starts with namePrefix (our protected name), retrying connection errors while the
// session lives: closing while disconnected must not orphan the node.
struct DeleteProtectedNode {
  std::string namePrefix;
};
struct RemoveWatches {
  std::string path;
};
// setData on our own node with its unchanged data, right after we took over from a predecessor
// with someone behind us. That participant listed while we still waited, so it does not know
// it is next in line, and keeps no recent answer for its own lease proof (only the one next in
// line does, docs/reliability.md "Who pays"). The write fires its predecessor watch; its list
// then tells it. Without it, its own takeover would wait a relay bound (a tick) whenever it
// had waited longer than the lease. A hint only: a lost one costs that tick, never safety.
struct NotifySuccessor {
  std::string path;
};
struct Acquired {
  std::string path;    // the latch node that makes us leader: fences our writes
  std::int64_t epoch;  // its creation zxid
};
struct Released {
  std::string reason;
};
struct ScheduleRecheck {  // a retryable error while connected: RecheckDue after a backoff
  std::error_code error;
};
struct Fail {  // the latch left the election for good: its node is gone (or its session is)
  std::error_code error;
  std::string what;
};
using Action = std::variant<EnsureLatchPath, CreateNode, ListChildren, ReadPredecessor,
                            VerifyOwnNode, DeleteNode, DeleteProtectedNode, RemoveWatches,
                            NotifySuccessor, Acquired, Released, ScheduleRecheck, Fail>;

}  // namespace latch

class LatchStateMachine {
 public:
  explicit LatchStateMachine(std::string latchDir);

  std::vector<latch::Action> handle(const latch::Event& event);

  LatchPhase phase() const noexcept { return phase_; }
  bool isHeld() const noexcept { return held_; }
  // Waiting right behind the lowest node, as last listed: the participant that takes over
  // when the leader leaves (its keepalive keeps a recent answer for the lease proof).
  bool isNextInLine() const noexcept { return nextInLine_; }
  const std::optional<std::string>& ownPath() const noexcept { return ownPath_; }

  // Our place in the queue as a listing found it: our node's name, its position among the
  // latch nodes (0: the lowest), and the number of listings that found our node so far in
  // this machine, so that the driver can report each re-check (HaMetrics::onQueuePosition).
  // Stays as last listed while the node lives; compare node with ownPath() to tell whether it
  // still describes our current node.
  struct Place {
    std::string node;
    std::size_t position = 0;
    std::uint64_t listing = 0;
  };
  const std::optional<Place>& place() const noexcept { return place_; }
  const std::string& latchDir() const noexcept { return latchDir_; }

  // Hears every edge taken (from, to), after the phase changed; for tests and tracing.
  using TransitionObserver = std::function<void(LatchPhase from, LatchPhase to)>;
  void setTransitionObserver(TransitionObserver observer) { observer_ = std::move(observer); }

  // Whether an event still matters once the latch is closed: only a create's result (the
  // node it made must not outlive us); the driver drops every other event after close.
  static bool mattersAfterClose(const latch::Event& event) noexcept {
    return std::holds_alternative<latch::Created>(event);
  }

  // Latch node names sorted by sequence; names that are not latch nodes are left out.
  static std::vector<std::string> sortLatchNodes(const std::vector<std::string>& children);

 private:
  using Actions = std::vector<latch::Action>;
  void on(const latch::Start&, Actions& out);
  void on(const latch::SessionUp& e, Actions& out);
  void on(const latch::SessionSuspended&, Actions& out);
  void on(const latch::SessionResumed&, Actions& out);
  void on(const latch::SessionLost&, Actions& out);
  void on(const latch::PathEnsured& e, Actions& out);
  void on(const latch::Created& e, Actions& out);
  void on(const latch::Listed& e, Actions& out);
  void on(const latch::PredecessorRead& e, Actions& out);
  void on(const latch::PredecessorGone& e, Actions& out);
  void on(const latch::Verified& e, Actions& out);
  void onVerifiedWhileWaiting(const latch::Verified& e, Actions& out);
  void on(const latch::OwnNodeWatchFired& e, Actions& out);
  void on(const latch::RecheckDue& e, Actions& out);
  void on(const latch::NodeDeleted& e, Actions& out);
  void on(const latch::Unfit& e, Actions& out);
  void on(const latch::Close&, Actions& out);

  // The one place that changes the phase: takes only the edges of kLatchEdges and throws
  // std::logic_error (phase unchanged) for any other.
  void transition(LatchPhase next);
  bool isCurrent(std::uint64_t generation) const;
  // Handles a retryable error: while suspended the session events drive the retry, otherwise
  // a backoff does. Returns false for an error that is not retryable.
  bool retryLater(const std::error_code& error, Actions& out);
  void release(const std::string& reason, Actions& out);
  void reenter(Actions& out);     // the node is gone: create anew
  void ensurePath(Actions& out);  // the latch dir is missing: create it, then create anew
  void list(Actions& out);
  void retryCurrentStep(Actions& out);
  void acquire(std::int64_t epoch, Actions& out);
  void createNode(Actions& out);
  // Leaves the election for good: releases, deletes our node (leaving), then reports Fail.
  void fail(const std::error_code& error, const std::string& what, Actions& out);
  void failed(const std::string& note, Actions& out);
  bool isActive() const;  // started, and neither leaving nor ended
  std::string protectedPrefix() const { return "_c_" + protectionId_ + "-"; }
  std::string fullPath(const std::string& child) const { return latchDir_ + "/" + child; }

  std::string latchDir_;
  LatchPhase phase_ = LatchPhase::idle;
  bool suspended_ = false;
  bool held_ = false;
  bool nextInLine_ = false;
  std::uint64_t generation_ = 0;
  std::int64_t sessionId_ = 0;
  std::string protectionId_;
  std::optional<std::string> ownPath_;
  std::optional<std::string> predecessor_;
  bool recheckPending_ = false;
  std::optional<Place> place_;
  std::uint64_t placeListings_ = 0;
  // The predecessor whose data watch a read armed in this session and that has not fired: a
  // re-check finding it again sets no second watch (the C client re-sends armed watches on a
  // reconnect, SetWatches, and the server fires NodeDeleted for a node deleted meanwhile).
  std::optional<std::string> armedWatch_;
  std::optional<std::string> leavingPath_;  // leaving: the node being deleted
  std::optional<latch::Fail> failure_;      // leaving: reported once the node is gone
  // Our node, once its owner was checked, and its creation zxid: a node's owner cannot change,
  // so a later "we are lowest" skips the read (one request less per handover). Cleared when
  // the node's watch fires, so the next check re-arms it.
  std::optional<std::string> verifiedPath_;
  std::int64_t verifiedEpoch_ = 0;
  // The own node whose owner check was sent while waiting and is not answered yet.
  std::optional<std::string> waitingCheckPath_;
  // The own node that waited behind a predecessor: taking over with it notifies the successor.
  std::optional<std::string> waitedPath_;
  bool successorBehind_ = false;  // as last listed: a latch node right behind ours
  TransitionObserver observer_;
};

}  // namespace baton::zookeeper
