#include "baton/metrics/prometheus_text.hpp"

#include <array>
#include <charconv>
#include <cmath>

namespace baton::metrics {
namespace {

void appendEscapedHelp(std::string& out, std::string_view help) {
  for (const char c : help) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
}

// name{a="x",b="y"[,extra]} : extra is a pre-rendered last pair (a histogram's le).
void appendSeries(std::string& out, std::string_view name, std::string_view suffix,
                  const std::vector<std::string_view>& labels, const Sample& sample,
                  std::string_view extraLabel = {}) {
  out += name;
  out += suffix;
  if (!labels.empty() || !extraLabel.empty()) {
    out += '{';
    for (std::size_t i = 0; i < labels.size(); ++i) {
      if (i > 0)
        out += ',';
      out += labels[i];
      out += "=\"";
      appendEscapedLabelValue(out, i < sample.labelValues.size() ? sample.labelValues[i] : "");
      out += '"';
    }
    if (!extraLabel.empty()) {
      if (!labels.empty())
        out += ',';
      out += extraLabel;
    }
    out += '}';
  }
  out += ' ';
}

void appendHistogram(std::string& out, const MetricSpec& spec,
                     const std::vector<std::string_view>& labels, const Sample& sample) {
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i <= spec.buckets.size(); ++i) {
    cumulative += i < sample.histogram.counts.size() ? sample.histogram.counts[i] : 0;
    const std::string bound =
        i < spec.buckets.size() ? formatSampleValue(spec.buckets[i]) : std::string("+Inf");
    appendSeries(out, spec.name, "_bucket", labels, sample, "le=\"" + bound + "\"");
    out += std::to_string(cumulative);
    out += '\n';
  }
  appendSeries(out, spec.name, "_sum", labels, sample);
  out += formatSampleValue(sample.histogram.sum);
  out += '\n';
  appendSeries(out, spec.name, "_count", labels, sample);
  out += std::to_string(sample.histogram.count);
  out += '\n';
}

}  // namespace

void appendEscapedLabelValue(std::string& out, std::string_view value) {
  for (const char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
}

std::string formatSampleValue(double value) {
  if (std::isnan(value))
    return "NaN";
  if (std::isinf(value))
    return value > 0 ? "+Inf" : "-Inf";
  // Shortest round-trip digits, in plain notation for the magnitudes metrics have (a bucket
  // bound of 0.0005 reads better than 5e-04); scientific beyond.
  const double magnitude = std::fabs(value);
  const auto format = magnitude == 0 || (magnitude >= 1e-6 && magnitude < 1e15)
                          ? std::chars_format::fixed
                          : std::chars_format::general;
  std::array<char, 64> buffer{};
  const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value, format);
  return ec == std::errc() ? std::string(buffer.data(), end) : std::string("NaN");
}

std::string renderPrometheusText(const MetricsSnapshot& snapshot) {
  std::string out;
  for (const auto& family : snapshot) {
    const MetricSpec& spec = *family.spec;
    out += "# HELP ";
    out += spec.name;
    out += ' ';
    appendEscapedHelp(out, spec.help);
    out += "\n# TYPE ";
    out += spec.name;
    out += ' ';
    out += toString(spec.type);
    out += '\n';
    const auto labels = labelNames(spec);
    for (const auto& sample : family.samples) {
      if (spec.type == MetricType::histogram) {
        appendHistogram(out, spec, labels, sample);
        continue;
      }
      appendSeries(out, spec.name, "", labels, sample);
      out += formatSampleValue(sample.value);
      out += '\n';
    }
  }
  return out;
}

}  // namespace baton::metrics
