#pragma once

#include <chrono>

#include "baton/metrics/ha_metrics_registry.hpp"
#include "baton/metrics/http_request.hpp"

namespace baton::metrics {

// The endpoint's answers, without I/O (the caller passes now):
//   GET /metrics  200, the registry's snapshot in the Prometheus text format 0.0.4
//   GET /healthz  200 "ok: ..." or 503 "unhealthy: <reason>", then the rule on its own line
//   other paths   404;  other methods 405
HttpResponse respondToMetricsRequest(const HaMetricsRegistry& registry,
                                     const HttpRequestHead& request,
                                     std::chrono::steady_clock::time_point now);

}  // namespace baton::metrics
