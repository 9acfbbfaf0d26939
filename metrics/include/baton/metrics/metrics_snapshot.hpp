#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "baton/metrics/metric_catalog.hpp"

namespace baton::metrics {

// Observations counted into fixed buckets (a Prometheus histogram). counts has one entry per
// bound of the spec's buckets plus the last for +Inf; each counts only its own bucket (the
// renderers make them cumulative).
//
// Thread-safety: a plain value.
struct Histogram {
  std::vector<std::uint64_t> counts;
  double sum = 0;
  std::uint64_t count = 0;

  explicit Histogram(std::size_t bounds = 0) : counts(bounds + 1, 0) {}
  void observe(std::span<const double> bounds, double value);
};

// One time series: its label values (in the spec's label order) and its value.
struct Sample {
  std::vector<std::string> labelValues;
  double value = 0;
  Histogram histogram{};  // for histograms; value unused
};

struct MetricFamily {
  const MetricSpec* spec;
  std::vector<Sample> samples;
};

// Every family of the catalog, in catalog order, read at one instant. A family without
// samples is still listed (so that a renderer may announce it).
using MetricsSnapshot = std::vector<MetricFamily>;

}  // namespace baton::metrics
