#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <system_error>

#include "baton/connection_state.hpp"
#include "client/zk_client.hpp"
#include "client/zk_settings.hpp"

namespace baton::zookeeper::detail {

// What the client knows about its session, as a state machine without I/O: events in (from the
// C client's global watcher and the client's timers), actions out (the client performs them).
//
//               start
//     idle ─────────────► opening ──opened──► connecting ──connected──► connected
//                            ▲                  │    │   (report connected)  │  ▲
//                            │   connectTimeout │    │                      │  │ connected, same id
//                            │  (report lost,   └────┘           connecting │  │ (report
//                            │   keep trying)                   (report     ▼  │  reconnected)
//                            │                                  suspended) suspended
//                            │    expired | deadlinePassed (suspended)          │
//                            └──────────── (report lost, open a new handle) ◄───┘
//                            │    authFailed (any phase with a handle):
//                            └──────────── report lost; reopen after a capped backoff, or after
//                                          retry.maxAttempts failures: failed (terminal)
//     any ──close──► closed
//
// "opening" means: no handle; the client closes the old one (if any) and opens a new one after
// Actions::openDelay, then reports Event::opened, which starts a new generation.
// Lost is never reported twice in a row. Not thread-safe: lives on the client's executor.
enum class SessionPhase { idle, opening, connecting, connected, suspended, failed, closed };

struct SessionEvent {
  enum class Kind {
    start,           // start() was called
    opened,          // a new handle exists
    connected,       // ZOO_CONNECTED_STATE: sessionId, negotiatedTimeout set
    connecting,      // ZOO_CONNECTING_STATE / ZOO_ASSOCIATING_STATE: the connection dropped
    expired,         // ZOO_EXPIRED_SESSION_STATE
    authFailed,      // ZOO_AUTH_FAILED_STATE
    openFailed,      // zookeeper_init failed (error set)
    heard,           // data arrived from the server
    deadlinePassed,  // the local expiry timer fired
    connectTimeout,  // the connect timer fired
    close,           // close()
  };
  Kind kind;
  std::chrono::steady_clock::time_point now{};
  std::int64_t sessionId = 0;
  std::chrono::milliseconds negotiatedTimeout{0};
  std::error_code error;  // openFailed
};

inline SessionEvent sessionEvent(SessionEvent::Kind kind,
                                 std::chrono::steady_clock::time_point now) {
  SessionEvent event{};
  event.kind = kind;
  event.now = now;
  return event;
}

struct SessionActions {
  std::optional<ConnectionState> report;   // tell the state listener
  bool openHandle = false;                 // close the handle, open a new one
  std::chrono::milliseconds openDelay{0};  // ... after this delay
  std::optional<std::chrono::steady_clock::time_point> expiryDeadline;  // arm the local timer
  bool cancelExpiryDeadline = false;
  std::optional<std::chrono::steady_clock::time_point> connectDeadline;  // arm the connect timer
  bool startKeepalive = false;  // connected: keep requests flowing
  bool stopKeepalive = false;
  bool logConnectTimeout = false;  // the first connect is late: log an error naming the quorum
};

class SessionTracker {
 public:
  explicit SessionTracker(ZkSettings settings) : settings_(std::move(settings)) {}

  // The one transition function.
  SessionActions step(const SessionEvent& event);

  SessionPhase phase() const noexcept { return phase_; }
  const ZkSessionInfo& info() const noexcept { return info_; }
  std::chrono::steady_clock::time_point lastHeard() const noexcept { return lastHeard_; }
  // The local expiry deadline while suspended (last contact + negotiated timeout).
  std::chrono::steady_clock::time_point expiryDeadline() const noexcept;
  int authFailures() const noexcept { return authFailures_; }

  // Capped exponential backoff: baseDelay * 2^(attempt-1), at most maxDelay (64-bit, no overflow).
  static std::chrono::milliseconds backoff(const RetryPolicy& policy, int attempt) noexcept;

 private:
  SessionActions lose(std::error_code why, std::chrono::milliseconds reopenDelay);
  SessionActions onConnected(const SessionEvent& event);

  ZkSettings settings_;
  SessionPhase phase_ = SessionPhase::idle;
  ZkSessionInfo info_;
  bool lostReported_ = false;  // the last report was lost
  int authFailures_ = 0;       // over the client's life: an auth failure must not loop forever
  int openFailures_ = 0;       // since the last connect
  std::chrono::steady_clock::time_point lastHeard_{};
};

}  // namespace baton::zookeeper::detail
