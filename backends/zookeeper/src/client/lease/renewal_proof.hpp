#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "client/lease/lease_clock.hpp"

namespace baton::zookeeper::detail {

// What this client can PROVE about the ZooKeeper leader's last renewal ("touch") of its
// session, from its own requests' send and answer times (LeaseClock). No I/O, no clock: the
// caller reports facts; tested with made-up times (test/unit/zk_renewal_proof_test.cpp).
//
// Why a proof is needed (docs/reliability.md has the full argument with the ZooKeeper 3.8
// classes): the leader renews a session only when it receives the session's packets itself,
// or when a follower's reply to one of the leader's pings lists the session (Learner.ping,
// LearnerHandler PING). A request the follower forwards (a sync, a write) is not a renewal.
// So "my sync was answered" does not mean "the leader renewed me": the follower may be cut
// from the leader right after answering, before its next ping reply.
//
// The rule, from three answered requests i, j, k:
//   j and k went through the leader (sync or write), S_j >= A_i + relayBound, S_k >= A_j
//   => the leader renewed the session at a time >= S_i (so it cannot expire it before S_i + T)
// where S is a send time, A an answer time, and relayBound bounds the interval between two
// pings the leader queues to a learner (ZooKeeper pings every tickTime/2; the bound we assume
// is one whole tick). Because the leader answered j, it had queued a ping to our server at most
// relayBound before j's answer, ahead of it on the same ordered stream; our server received
// that ping after it had received i, and replied (listing our session) before it forwarded k,
// which the leader answered, so it read that reply first. A reconnection to another server is
// itself a renewal at the leader (the session is revalidated there), later than every earlier
// answer, so the rule holds across connections. A new session was created at the leader no
// earlier than its handle was opened: sessionCreated().
//
// Thread-safety: none (lives on the client's executor).
class RenewalProof {
 public:
  using Clock = LeaseClock;

  explicit RenewalProof(Clock::duration relayBound) : relayBound_(relayBound) {}

  // A new session, created at the leader no earlier than `opened` (its handle's creation).
  void sessionCreated(Clock::time_point opened);
  // One of our requests was answered by the server (an answer, not a client-side error):
  // `throughLeader` for a sync or a write.
  void answered(Clock::time_point sent, Clock::time_point answered, bool throughLeader);
  // Forget everything (the session ended).
  void reset();

  // The leader renewed the session at or after this time; none proven in this session.
  std::optional<Clock::time_point> renewedSince() const noexcept { return renewedSince_; }
  // One more answered request through the leader, sent now, would advance renewedSince().
  bool awaitingConfirmation() const noexcept;

 private:
  struct Answer {
    Clock::time_point sent;
    Clock::time_point answered;
  };
  struct Candidate {  // a j answered: its i's send time, proven once a k follows
    Clock::time_point jAnswered;
    Clock::time_point renewal;
  };

  void raise(Clock::time_point renewal);
  void prune();

  Clock::duration relayBound_;
  std::optional<Clock::time_point> renewedSince_;
  std::vector<Answer> answers_;        // recent answers, candidates for i
  std::vector<Candidate> candidates_;  // waiting for a k
};

}  // namespace baton::zookeeper::detail
