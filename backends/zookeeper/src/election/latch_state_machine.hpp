#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <system_error>
#include <variant>
#include <vector>

namespace baton::zookeeper {

// One participant's LeaderLatch, as a state machine without I/O: events in, actions out. The
// driver performs the actions with ZkClient and feeds the results back; unit tests step it
// with no server.
//
//   idle --Start--> awaitingSession --SessionUp--> creating --Created--> listing
//   creating --Created(ZNONODE: latch dir gone)--> ensuringPath --PathEnsured--> creating
//   creating --reply lost, SessionResumed--> recovering --Listed--> listing | creating
//   listing --lowest--> verifying --own node, own session--> held (Acquired)
//   listing --lowest, node already verified--> held
//   listing --a lower node--> watching --PredecessorGone / read ZNONODE--> listing
//   listing --the same predecessor, its watch still armed--> watching (no second watch)
//   listing/verifying --own node missing--> ensuringPath (re-enter)
//   held --OwnNodeWatchFired--> listing (a re-check: released only if the node is gone)
//   any --SessionSuspended--> same phase, results with connection errors ignored
//   any --SessionResumed--> listing (re-check; the node and its place are kept)
//   any --SessionLost--> awaitingSession (Released; the node died with the session)
//   any --fatal error / Unfit--> leaving (Released; DeleteNode) --NodeDeleted / SessionLost-->
//       failed (Fail); without a node of ours: failed at once
//   any --Close--> closed (Released; own node deleted, or deleted when its create completes, or
//       found by its protected name and deleted when the create's outcome is unknown)
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
struct OwnNodeWatchFired {  // deleted or changed by someone: re-check
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
struct VerifyOwnNode {  // getData with a data watch: owner, czxid, and deletion notice
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
                            VerifyOwnNode, DeleteNode, DeleteProtectedNode, RemoveWatches, Acquired,
                            Released, ScheduleRecheck, Fail>;

}  // namespace latch

class LatchStateMachine {
 public:
  explicit LatchStateMachine(std::string latchDir);

  std::vector<latch::Action> handle(const latch::Event& event);

  LatchPhase phase() const noexcept { return phase_; }
  bool isHeld() const noexcept { return held_; }
  const std::optional<std::string>& ownPath() const noexcept { return ownPath_; }
  const std::string& latchDir() const noexcept { return latchDir_; }

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
  void on(const latch::OwnNodeWatchFired& e, Actions& out);
  void on(const latch::RecheckDue& e, Actions& out);
  void on(const latch::NodeDeleted& e, Actions& out);
  void on(const latch::Unfit& e, Actions& out);
  void on(const latch::Close&, Actions& out);

  // The one place that changes the phase.
  void transition(LatchPhase next);
  bool isCurrent(std::uint64_t generation) const;
  // Handles a retryable error: while suspended the session events drive the retry, otherwise
  // a backoff does. Returns false for an error that is not retryable.
  bool retryLater(const std::error_code& error, Actions& out);
  void release(const std::string& reason, Actions& out);
  void reenter(Actions& out);  // the node is gone: ensure the latch dir, then create anew
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
  std::uint64_t generation_ = 0;
  std::int64_t sessionId_ = 0;
  std::string protectionId_;
  std::optional<std::string> ownPath_;
  std::optional<std::string> predecessor_;
  bool recheckPending_ = false;
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
  std::int64_t verifiedEpoch_ = 0;  // closed while a create's outcome was unknown
};

}  // namespace baton::zookeeper
