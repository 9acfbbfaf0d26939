#pragma once

#include <string_view>

namespace baton {

// The state of a backend connection, as reported to applications.
//   connected   -> suspended   the connection dropped; the session may survive
//   suspended   -> reconnected the same session is back
//   suspended   -> lost        the session expired (or is deemed expired by the local clock)
//   lost        -> connected   a new session (never a "restored" old one)
enum class ConnectionState { connected, suspended, reconnected, lost };

constexpr std::string_view toString(ConnectionState state) noexcept {
  switch (state) {
    case ConnectionState::connected:
      return "connected";
    case ConnectionState::suspended:
      return "suspended";
    case ConnectionState::reconnected:
      return "reconnected";
    case ConnectionState::lost:
      return "lost";
  }
  return "unknown";
}

}  // namespace baton
