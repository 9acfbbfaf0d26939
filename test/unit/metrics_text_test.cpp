// The metric catalog's conventions, the Prometheus text format 0.0.4 renderer, and
// docs/operations.md's metrics table (generated from the catalog, checked here).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "baton/metrics/metric_catalog.hpp"
#include "baton/metrics/prometheus_text.hpp"

using namespace baton::metrics;

namespace {

std::string readOperationsDoc() {
  // This file is test/unit/metrics_text_test.cpp; the page is docs/operations.md.
  auto path =
      std::filesystem::path(__FILE__).parent_path() / ".." / ".." / "docs" / "operations.md";
  std::ifstream in(path);
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

MetricsSnapshot snapshotOf(MetricId id, std::vector<Sample> samples) {
  return {MetricFamily{&metricSpec(id), std::move(samples)}};
}

}  // namespace

TEST_CASE("the catalog follows Prometheus naming conventions") {
  std::set<std::string_view> names;
  const std::regex valid("baton_[a-z_]+");
  for (const auto& spec : metricCatalog()) {
    INFO(spec.name);
    CHECK(names.insert(spec.name).second);
    CHECK(std::regex_match(std::string(spec.name), valid));
    CHECK(spec.name.ends_with("_total") == (spec.type == MetricType::counter));
    if (spec.type == MetricType::histogram) {
      CHECK(spec.name.ends_with("_seconds"));
      CHECK_FALSE(spec.buckets.empty());
      CHECK(std::is_sorted(spec.buckets.begin(), spec.buckets.end()));
    }
    CHECK_FALSE(spec.help.empty());
    for (const auto label : labelNames(spec)) {
      CHECK(label != "le");  // reserved for histogram buckets
      CHECK_FALSE(label.starts_with("__"));
    }
  }
  CHECK(names.count("baton_leader_status") == 1);
  CHECK(names.count("baton_leadership_transitions_total") == 1);
}

TEST_CASE("gauges and counters render with HELP, TYPE and their labels") {
  Sample sample;
  sample.labelValues = {"svc", "revoked", "connection_lost"};
  sample.value = 3;
  const auto text = renderPrometheusText(snapshotOf(MetricId::transitions, {sample}));
  CHECK(text == "# HELP baton_leadership_transitions_total " +
                    std::string(metricSpec(MetricId::transitions).help) +
                    "\n# TYPE baton_leadership_transitions_total counter\n"
                    "baton_leadership_transitions_total{component=\"svc\",transition=\"revoked\","
                    "reason=\"connection_lost\"} 3\n");
}

TEST_CASE("label values are escaped: backslash, double quote and newline") {
  Sample sample;
  sample.labelValues = {"a\\b\"c\nd"};
  sample.value = 1;
  const auto text = renderPrometheusText(snapshotOf(MetricId::leaderStatus, {sample}));
  CHECK_THAT(text, Catch::Contains("baton_leader_status{component=\"a\\\\b\\\"c\\nd\"} 1\n"));
}

TEST_CASE("sample values: integers plainly, fractions round-trip, infinities spelled out") {
  CHECK(formatSampleValue(0) == "0");
  CHECK(formatSampleValue(42) == "42");
  CHECK(formatSampleValue(0.25) == "0.25");
  CHECK(formatSampleValue(0.0005) == "0.0005");
  CHECK(formatSampleValue(1e300) == "1e+300");
  CHECK(formatSampleValue(std::numeric_limits<double>::infinity()) == "+Inf");
  CHECK(formatSampleValue(-std::numeric_limits<double>::infinity()) == "-Inf");
  CHECK(formatSampleValue(std::numeric_limits<double>::quiet_NaN()) == "NaN");
}

TEST_CASE("a histogram renders cumulative buckets, +Inf, _sum and _count") {
  const auto& spec = metricSpec(MetricId::requestDuration);
  Sample sample;
  sample.labelValues = {"create", "ok"};
  sample.histogram = Histogram(spec.buckets.size());
  sample.histogram.observe(spec.buckets, 0.0002);  // first bucket
  sample.histogram.observe(spec.buckets, 0.003);   // le 0.005
  sample.histogram.observe(spec.buckets, 60);      // +Inf only
  const auto text = renderPrometheusText(snapshotOf(MetricId::requestDuration, {sample}));
  const std::string series =
      "baton_request_duration_seconds_bucket{operation=\"create\",result=\"ok\",";
  CHECK_THAT(text, Catch::Contains(series + "le=\"0.0005\"} 1\n"));
  CHECK_THAT(text, Catch::Contains(series + "le=\"0.0025\"} 1\n"));
  CHECK_THAT(text, Catch::Contains(series + "le=\"0.005\"} 2\n"));
  CHECK_THAT(text, Catch::Contains(series + "le=\"10\"} 2\n"));
  CHECK_THAT(text, Catch::Contains(series + "le=\"+Inf\"} 3\n"));
  CHECK_THAT(text,
             Catch::Contains(
                 "baton_request_duration_seconds_count{operation=\"create\",result=\"ok\"} 3\n"));
  CHECK_THAT(text, Catch::Contains("baton_request_duration_seconds_sum{operation=\"create\","
                                   "result=\"ok\"} 60.0032"));
  CHECK_THAT(text, Catch::Contains("# TYPE baton_request_duration_seconds histogram\n"));
}

TEST_CASE("a family without samples is announced with HELP and TYPE only") {
  const auto text = renderPrometheusText(snapshotOf(MetricId::sessionTimeout, {}));
  CHECK(text == "# HELP baton_session_timeout_seconds " +
                    std::string(metricSpec(MetricId::sessionTimeout).help) +
                    "\n# TYPE baton_session_timeout_seconds gauge\n");
}

TEST_CASE("docs/operations.md's metrics table is the catalog's, row for row") {
  const auto docs = readOperationsDoc();
  std::string expected;
  for (const auto& spec : metricCatalog())
    expected += markdownTableRow(spec) + "\n";
  INFO("the table as the catalog generates it:\n" << expected);
  for (const auto& spec : metricCatalog())
    CHECK_THAT(docs, Catch::Contains(markdownTableRow(spec)));
  // No row for a metric the catalog does not declare.
  const std::regex row("\\n\\| `(baton_[a-z_]+)` \\|");
  for (auto it = std::sregex_iterator(docs.begin(), docs.end(), row); it != std::sregex_iterator();
       ++it) {
    const std::string name = (*it)[1];
    bool declared = false;
    for (const auto& spec : metricCatalog())
      declared = declared || spec.name == name;
    CHECK((declared ? "" : name) == std::string());
  }
}
