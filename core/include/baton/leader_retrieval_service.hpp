#pragma once

#include <string>
#include <system_error>

#include "baton/leader_session_id.hpp"

namespace baton {

// Told who leads a component now (Flink's LeaderRetrievalListener). Called on the
// service's callback executor, never concurrently, never under a library lock.
class LeaderRetrievalListener {
 public:
  virtual ~LeaderRetrievalListener() = default;
  // A new leader, or none: an empty leaderAddress (with the default id) means no leader is
  // known. Called only when the value differs from the previous notification.
  virtual void notifyLeaderAddress(const std::string& leaderAddress,
                                   const LeaderSessionId& leaderSessionId) = 0;
  virtual void handleError(const std::system_error& error) = 0;
};

// Watches the leader of one component (Flink's LeaderRetrievalService).
// Thread-safety: callable from any thread. stop() is idempotent and noexcept; the destructor
// stops. After stop() returns no callback runs (from inside a callback it does not wait).
class LeaderRetrievalService {
 public:
  virtual ~LeaderRetrievalService() = default;
  // The listener must outlive stop(). Throws std::logic_error when called twice or after stop.
  virtual void start(LeaderRetrievalListener& listener) = 0;
  virtual void stop() noexcept = 0;
};

}  // namespace baton
