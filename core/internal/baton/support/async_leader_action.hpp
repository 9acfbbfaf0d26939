#pragma once

#include <functional>
#include <future>
#include <system_error>

namespace baton::support {

// One runAsyncIfLeader request (LeaderElection::runAsyncIfLeader): `task` is what the
// election queues on the contender's serial callback queue; `result` completes exactly once,
// whatever happens to the task:
//   {}                      the task ran while stillLeading() held, and the action returned;
//   Errc::leadership_lost   it ran after leadership ended, or was dropped without running
//                           (the queue was closed first, or refused it);
//   the action's exception  the action threw (it is not rethrown into the queue).
// Dropping is detected by the task's shared state dying unrun, so that no path (close()
// discarding queued callbacks included) leaves the future waiting forever.
//
// Thread-safety: task runs on one thread at a time (the queue's); result is an ordinary future.
struct AsyncLeaderAction {
  std::function<void()> task;
  std::future<std::error_code> result;
};

// stillLeading is asked when the task's turn comes, on the queue's thread, holding no lock.
AsyncLeaderAction makeAsyncLeaderAction(std::function<void()> action,
                                        std::function<bool()> stillLeading);

// A future that already holds Errc::leadership_lost: for a request refused up front.
std::future<std::error_code> leadershipLostFuture();

}  // namespace baton::support
