#pragma once

#include <cstdint>

namespace baton::zookeeper {

// Whether a reader holds a one-shot watch on its node in the current session, so that a
// re-read does not register another one while the first still stands.
//
// Why: every watching read registers a new handler (ZkHandleClient::watches_) and a new watcher
// in the C client, whose context differs each time, so zk_hashtable.c keeps them all (it
// merges only watchers with the same function and context). Re-reading with a fresh watch
// after every reconnect therefore added one per reconnect until the node changed. A watch
// registered in this session survives a reconnect: the C client re-sends its paths with the
// last zxid it saw (zookeeper.c send_set_watches) and the server fires at once for a change it
// missed (DataTree.setWatches: a data watch on a deleted node fires NodeDeleted, on a node with
// a newer mzxid NodeDataChanged; an exists watch on a node that now exists NodeCreated).
//
// States:  idle --issue--> pending --completed(registered)--> armed --fired--> idle
//                           pending --completed(not registered)--> idle
//          any --reset (a new session: the old handle's watches are gone)--> idle
// Tokens tie completions and firings to the request that issued them; those of a superseded
// request change nothing.
//
// Thread-safety: none; a value owned by one reader on its executor.
class WatchSlot {
 public:
  enum class Phase { idle, pending, armed };

  // True when the next read should register a watch: none stands or is on its way.
  bool wantsWatch() const noexcept { return phase_ == Phase::idle; }
  Phase phase() const noexcept { return phase_; }

  // A watching request is being issued; its completion and its watch carry the token.
  std::uint64_t issue() noexcept {
    phase_ = Phase::pending;
    return token_ = ++lastToken_;
  }
  // The request completed; `registered`: the C client registered its watch (it does so only
  // for a server answer: ZOK for a data watch, ZOK or ZNONODE for an exists watch).
  void completed(std::uint64_t token, bool registered) noexcept {
    if (token == token_ && phase_ == Phase::pending)
      phase_ = registered ? Phase::armed : Phase::idle;
  }
  // The watch fired; true when it was the standing one (the reader should read again).
  bool fired(std::uint64_t token) noexcept {
    if (token != token_ || phase_ == Phase::idle)
      return false;
    phase_ = Phase::idle;
    token_ = 0;
    return true;
  }
  // A new session: no watch of the old handle will ever fire or complete into this slot.
  void reset() noexcept {
    phase_ = Phase::idle;
    token_ = 0;
  }

 private:
  Phase phase_ = Phase::idle;
  std::uint64_t token_ = 0;  // of the standing or pending watch, 0 for none
  std::uint64_t lastToken_ = 0;
};

}  // namespace baton::zookeeper
