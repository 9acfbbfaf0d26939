#pragma once

#include <chrono>
#include <string>
#include <system_error>
#include <vector>

#include "client/zk_settings.hpp"

namespace baton::zookeeper {

// What the latch driver does after each answer while deleting its latch node (DeleteNode) or
// searching for it by its protected name (DeleteProtectedNode), without I/O.
//
// Why retry at all: a delete lost to a connection problem (mostly: close() while suspended)
// would leave our node in the queue, alive with our session and ahead of everyone; a rejoin
// gets a new protection id and would not adopt it, so nobody would lead until the session ends.
// So connection errors are retried (capped exponential backoff, attempt counted from 0) while
// the session that created the node lives; once it ends, the servers delete the node.
//
// Thread-safety: stateless functions.
struct NodeCleanup {
  enum class Next {
    done,          // the node is gone (or never was): report it
    gaveUp,        // an error that retrying cannot fix: report it, the node stays
    sessionEnded,  // the node died with its session: nothing to report (SessionLost says it)
    retry,         // ask again after `delay`
  };
  struct Step {
    Next next = Next::done;
    std::chrono::milliseconds delay{0};
    std::vector<std::string> toDelete;  // afterSearch, done: the children to delete
    // afterRelease, retry: the ops to leave out of the next attempt (already gone, or changed
    // by someone else: not ours to delete); latchGone: the latch node's op is among them.
    std::vector<std::size_t> drop;
    bool latchGone = false;
  };

  // After removeNode(path) answered `error`; sessionLives: the session it was issued in is
  // still the client's.
  static Step afterDelete(const std::error_code& error, bool sessionLives, int attempt,
                          const RetryPolicy& policy);
  // After the leaving multi (our connection_info deletes, then the latch node's delete at
  // latchIndex) answered `error`, with opErrors its per-op errors (empty: ZOK, or an op not
  // tried because another failed). A multi fails whole, so a node already gone or changed
  // would keep the latch node in the queue: that op is dropped and the rest retried at once.
  // Each such retry drops an op, so they end.
  static Step afterRelease(const std::error_code& error,
                           const std::vector<std::error_code>& opErrors, std::size_t latchIndex,
                           bool sessionLives, int attempt, const RetryPolicy& policy);
  // After listing the latch dir to find the children whose name starts with namePrefix.
  static Step afterSearch(const std::error_code& error, const std::vector<std::string>& children,
                          const std::string& namePrefix, bool sessionLives, int attempt,
                          const RetryPolicy& policy);
};

}  // namespace baton::zookeeper
