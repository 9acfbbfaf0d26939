#pragma once

#include <string>
#include <string_view>

#include "baton/metrics/metrics_snapshot.hpp"

namespace baton::metrics {

// The content type of renderPrometheusText's output.
inline constexpr std::string_view kPrometheusTextContentType =
    "text/plain; version=0.0.4; charset=utf-8";

// Renders a snapshot in the Prometheus text exposition format 0.0.4: # HELP and # TYPE for
// every family, then its samples; histograms as cumulative _bucket{le=...}, _sum and _count.
// Label values and help texts are escaped as the format requires (\\, \" and \n).
std::string renderPrometheusText(const MetricsSnapshot& snapshot);

// Appends a label value escaped for the text format.
void appendEscapedLabelValue(std::string& out, std::string_view value);

// A sample value as the format writes it: shortest round-trip decimal, +Inf, -Inf or NaN.
std::string formatSampleValue(double value);

}  // namespace baton::metrics
