#pragma once

// Part of the optional target baton_prometheus (built when prometheus-cpp is installed);
// baton_metrics itself never includes it.

#include <memory>
#include <vector>

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include "baton/metrics/ha_metrics_registry.hpp"

namespace baton::metrics {

// Exposes an HaMetricsRegistry through prometheus-cpp: each Collect() reads a snapshot and
// converts it family by family (the names, help texts and types of metric_catalog.hpp).
// An application with its own prometheus::Exposer adds baton with one call:
//   auto collectable = std::make_shared<baton::metrics::PrometheusCollectable>(registry);
//   exposer.RegisterCollectable(collectable);  // the Exposer holds a weak_ptr: keep it
//
// Thread-safety: Collect() may be called from any thread (the registry is thread-safe).
class PrometheusCollectable final : public prometheus::Collectable {
 public:
  explicit PrometheusCollectable(std::shared_ptr<const HaMetricsRegistry> registry);

  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  std::shared_ptr<const HaMetricsRegistry> registry_;
};

// The conversion itself: every family of the snapshot, empty ones included.
std::vector<prometheus::MetricFamily> toPrometheusFamilies(const MetricsSnapshot& snapshot);

}  // namespace baton::metrics
