#include "baton/metrics/prometheus_collectable.hpp"

#include <chrono>

namespace baton::metrics {
namespace {

prometheus::MetricType toPrometheus(MetricType type) {
  switch (type) {
    case MetricType::counter:
      return prometheus::MetricType::Counter;
    case MetricType::gauge:
      return prometheus::MetricType::Gauge;
    case MetricType::histogram:
      return prometheus::MetricType::Histogram;
  }
  return prometheus::MetricType::Untyped;
}

prometheus::ClientMetric toClientMetric(const MetricSpec& spec,
                                        const std::vector<std::string_view>& labels,
                                        const Sample& sample) {
  prometheus::ClientMetric metric;
  for (std::size_t i = 0; i < labels.size() && i < sample.labelValues.size(); ++i)
    metric.label.push_back({std::string(labels[i]), sample.labelValues[i]});
  switch (spec.type) {
    case MetricType::counter:
      metric.counter.value = sample.value;
      break;
    case MetricType::gauge:
      metric.gauge.value = sample.value;
      break;
    case MetricType::histogram: {
      std::uint64_t cumulative = 0;
      for (std::size_t i = 0; i < spec.buckets.size(); ++i) {
        cumulative += i < sample.histogram.counts.size() ? sample.histogram.counts[i] : 0;
        metric.histogram.bucket.push_back({cumulative, spec.buckets[i]});
      }
      metric.histogram.bucket.push_back(
          {sample.histogram.count, std::numeric_limits<double>::infinity()});
      metric.histogram.sample_count = sample.histogram.count;
      metric.histogram.sample_sum = sample.histogram.sum;
      break;
    }
  }
  return metric;
}

}  // namespace

std::vector<prometheus::MetricFamily> toPrometheusFamilies(const MetricsSnapshot& snapshot) {
  std::vector<prometheus::MetricFamily> families;
  families.reserve(snapshot.size());
  for (const auto& family : snapshot) {
    const MetricSpec& spec = *family.spec;
    prometheus::MetricFamily out{
        std::string(spec.name), std::string(spec.help), toPrometheus(spec.type), {}};
    const auto labels = labelNames(spec);
    for (const auto& sample : family.samples)
      out.metric.push_back(toClientMetric(spec, labels, sample));
    families.push_back(std::move(out));
  }
  return families;
}

PrometheusCollectable::PrometheusCollectable(std::shared_ptr<const HaMetricsRegistry> registry)
    : registry_(std::move(registry)) {}

std::vector<prometheus::MetricFamily> PrometheusCollectable::Collect() const {
  return toPrometheusFamilies(registry_->snapshot(std::chrono::steady_clock::now()));
}

}  // namespace baton::metrics
