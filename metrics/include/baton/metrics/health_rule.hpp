#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "baton/connection_state.hpp"

namespace baton::metrics {

// What /healthz decides on: facts as HaMetricsRegistry last heard them. A plain value.
struct HealthFacts {
  using Clock = std::chrono::steady_clock;

  bool leading = false;  // some component of this process leads
  Clock::time_point leaseDeadline = Clock::time_point::max();  // max: no lease runs
  std::optional<std::chrono::milliseconds> sessionTimeout;     // as negotiated
  std::optional<ConnectionState> connection;                   // none before the first report
  // When the connection last went down (suspended or lost, and not back since); meaningless
  // while it is up. A suspension that turns into a loss stays one outage.
  Clock::time_point downSince{};
  std::optional<std::string> backendFailure;  // the first failure's message
};

struct HealthVerdict {
  bool healthy = true;
  std::string reason;  // why unhealthy; for healthy, what was checked
};

// The health rule, without I/O or clock (the caller passes now). Unhealthy when
//  1. the backend failed for good (sticky: a failed backend does not come back);
//  2. this process leads and its lease has less than leaseWarning() left (passed included):
//     a leader that renews on time never drops that low (see leaseWarning), so it is about
//     to be revoked and should stop taking work;
//  3. the connection has been suspended or lost for longer than the session timeout: this
//     participant is cut off and cannot take over if the leader fails.
// Otherwise healthy.
HealthVerdict evaluateHealth(const HealthFacts& facts, HealthFacts::Clock::time_point now);

// Rule 2's threshold: a sixth of the negotiated session timeout T, 1 s while T is unknown.
// While connected, the lease deadline trails now by T - margin minus the lag of the proven
// renewal (at most two leader keepalive periods of at most T/6, plus the relay bound and a
// round trip), so a renewing leader keeps about 2T/3 - margin; T/6 left means renewals have
// been missing for half the session timeout. It stays below a renewing leader's minimum as
// long as margin + relay bound + round trip < T/2.
std::chrono::milliseconds leaseWarning(std::optional<std::chrono::milliseconds> sessionTimeout);

// The rule in one line, for /healthz's body.
std::string describeHealthRule(std::optional<std::chrono::milliseconds> sessionTimeout);

}  // namespace baton::metrics
