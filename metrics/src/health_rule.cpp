#include "baton/metrics/health_rule.hpp"

#include <cstdio>

namespace baton::metrics {
namespace {

using std::chrono::duration;
using std::chrono::milliseconds;

constexpr milliseconds kUnknownTimeoutWarning{1000};

std::string seconds(HealthFacts::Clock::duration d) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3fs", duration<double>(d).count());
  return buffer;
}

}  // namespace

milliseconds leaseWarning(std::optional<milliseconds> sessionTimeout) {
  return sessionTimeout ? *sessionTimeout / 6 : kUnknownTimeoutWarning;
}

std::string describeHealthRule(std::optional<milliseconds> sessionTimeout) {
  return "unhealthy after a backend failure, while leading with less than " +
         seconds(leaseWarning(sessionTimeout)) +
         (sessionTimeout ? " of lease left (a sixth of the session timeout)"
                         : " of lease left (until the session timeout is known)") +
         ", or when the connection has been suspended or lost for longer than the session "
         "timeout";
}

HealthVerdict evaluateHealth(const HealthFacts& facts, HealthFacts::Clock::time_point now) {
  if (facts.backendFailure)
    return {false, "the backend failed: " + *facts.backendFailure};
  if (facts.leading && facts.leaseDeadline != HealthFacts::Clock::time_point::max()) {
    const auto left = facts.leaseDeadline - now;
    const auto warning = leaseWarning(facts.sessionTimeout);
    if (left < warning) {
      return {false, left.count() <= 0 ? "leading with the lease passed " + seconds(-left) + " ago"
                                       : "leading with " + seconds(left) +
                                             " of lease left (below " + seconds(warning) + ")"};
    }
  }
  if (facts.connection && facts.sessionTimeout &&
      (*facts.connection == ConnectionState::suspended ||
       *facts.connection == ConnectionState::lost)) {
    const auto since = now - facts.downSince;
    if (since > *facts.sessionTimeout) {
      return {false, "connection " + std::string(toString(*facts.connection)) + ", down for " +
                         seconds(since) + " (longer than the session timeout " +
                         seconds(*facts.sessionTimeout) + ")"};
    }
  }
  std::string state = facts.connection ? std::string(toString(*facts.connection)) : "unknown";
  std::string summary = "connection " + state + (facts.leading ? ", leading" : ", not leading");
  if (facts.leading && facts.leaseDeadline != HealthFacts::Clock::time_point::max())
    summary += ", " + seconds(facts.leaseDeadline - now) + " of lease left";
  return {true, summary};
}

}  // namespace baton::metrics
