#pragma once

// How every benchmark reports: tab-separated lines on stdout that bench/run.sh turns into the
// tables of docs/performance.md; progress and diagnostics go to stderr.
//   ROW     <benchmark> <unit> <n> <median> <p90> <p99> <max> [<median / floor median>]
//   TARGET  <target> <measured> <limit> <met|MISSED>
//   NOTE    <text>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace baton::bench {

using Clock = std::chrono::steady_clock;

inline double msBetween(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

struct Summary {
  std::size_t n = 0;
  double median = 0, p90 = 0, p99 = 0, max = 0;
};

// Nearest-rank percentiles: with few samples p99 is the maximum, never an interpolation.
inline Summary summarize(std::vector<double> samples) {
  Summary s;
  s.n = samples.size();
  if (samples.empty())
    return s;
  std::sort(samples.begin(), samples.end());
  auto rank = [&](double p) {
    auto index = static_cast<std::size_t>(std::ceil(p * static_cast<double>(s.n)));
    return samples[std::clamp<std::size_t>(index, 1, s.n) - 1];
  };
  s.median = rank(0.5);
  s.p90 = rank(0.9);
  s.p99 = rank(0.99);
  s.max = samples.back();
  return s;
}

// floorMedian > 0: the row also carries its median as a multiple of the physical floor's
// median measured in the same run on the same ensemble.
inline Summary row(const std::string& benchmark, const std::string& unit,
                   const std::vector<double>& samples, double floorMedian = 0) {
  auto s = summarize(samples);
  std::printf("ROW\t%s\t%s\t%zu\t%.3f\t%.3f\t%.3f\t%.3f", benchmark.c_str(), unit.c_str(), s.n,
              s.median, s.p90, s.p99, s.max);
  if (floorMedian > 0 && s.n > 0)
    std::printf("\t%.2fx", s.median / floorMedian);
  std::printf("\n");
  std::fflush(stdout);
  return s;
}

inline void target(const std::string& what, const std::string& measured, const std::string& limit,
                   bool met) {
  std::printf("TARGET\t%s\t%s\t%s\t%s\n", what.c_str(), measured.c_str(), limit.c_str(),
              met ? "met" : "MISSED");
  std::fflush(stdout);
}

inline void note(const std::string& text) {
  std::printf("NOTE\t%s\n", text.c_str());
  std::fflush(stdout);
}

inline std::string fixed(double value, int decimals = 2) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

inline void progress(const std::string& text) {
  std::fprintf(stderr, "bench: %s\n", text.c_str());
}

}  // namespace baton::bench
