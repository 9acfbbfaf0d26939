#include "baton/metrics/metrics_routes.hpp"

#include "baton/metrics/prometheus_text.hpp"

namespace baton::metrics {

HttpResponse respondToMetricsRequest(const HaMetricsRegistry& registry,
                                     const HttpRequestHead& request,
                                     std::chrono::steady_clock::time_point now) {
  if (request.path != "/metrics" && request.path != "/healthz")
    return HttpResponse{404, "text/plain; charset=utf-8", "not found: try /metrics or /healthz\n"};
  if (request.method != "GET")
    return HttpResponse{405, "text/plain; charset=utf-8", "only GET is served\n"};
  if (request.path == "/metrics") {
    return HttpResponse{200, std::string(kPrometheusTextContentType),
                        renderPrometheusText(registry.snapshot(now))};
  }
  const HealthFacts facts = registry.healthFacts();
  const HealthVerdict verdict = evaluateHealth(facts, now);
  std::string body = verdict.healthy ? "ok: " : "unhealthy: ";
  body += verdict.reason;
  body += "\nrule: " + describeHealthRule(facts.sessionTimeout) + "\n";
  return HttpResponse{verdict.healthy ? 200 : 503, "text/plain; charset=utf-8", std::move(body)};
}

}  // namespace baton::metrics
