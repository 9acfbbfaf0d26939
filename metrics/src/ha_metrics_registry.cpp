#include "baton/metrics/ha_metrics_registry.hpp"

#include <array>
#include <chrono>

namespace baton::metrics {
namespace {

using std::chrono::duration;

constexpr std::array kConnectionStates{ConnectionState::connected, ConnectionState::suspended,
                                       ConnectionState::reconnected, ConnectionState::lost};

bool isDown(ConnectionState state) {
  return state == ConnectionState::suspended || state == ConnectionState::lost;
}

double secondsOf(HaMetrics::Clock::duration d) {
  return duration<double>(d).count();
}

template <typename Map, typename Convert>
void addSamples(MetricFamily& family, const Map& values, Convert convert) {
  for (const auto& [key, value] : values) {
    Sample sample;
    if constexpr (std::is_same_v<typename Map::key_type, std::string>) {
      sample.labelValues = {key};
    } else if constexpr (std::tuple_size_v<typename Map::key_type> == 2) {
      sample.labelValues = {std::get<0>(key), std::get<1>(key)};
    } else {
      sample.labelValues = {std::get<0>(key), std::get<1>(key), std::get<2>(key)};
    }
    convert(sample, value);
    family.samples.push_back(std::move(sample));
  }
}

void setCount(Sample& sample, std::uint64_t value) {
  sample.value = static_cast<double>(value);
}
void setHistogram(Sample& sample, const Histogram& value) {
  sample.histogram = value;
}

Sample scalar(double value) {
  Sample sample;
  sample.value = value;
  return sample;
}

std::string requestResult(std::error_code result) {
  return result ? result.message() : std::string("ok");
}

}  // namespace

void Histogram::observe(std::span<const double> bounds, double value) {
  std::size_t bucket = 0;
  while (bucket < bounds.size() && value > bounds[bucket])
    ++bucket;
  if (counts.size() < bounds.size() + 1)
    counts.resize(bounds.size() + 1, 0);
  ++counts[bucket];
  sum += value;
  ++count;
}

std::string_view toString(HaMetrics::Transition transition) noexcept {
  return transition == HaMetrics::Transition::granted ? "granted" : "revoked";
}

std::string_view toString(HaMetrics::PublishResult result) noexcept {
  switch (result) {
    case HaMetrics::PublishResult::written:
      return "written";
    case HaMetrics::PublishResult::unchanged:
      return "unchanged";
    case HaMetrics::PublishResult::fenced:
      return "fenced";
    case HaMetrics::PublishResult::failed:
      return "failed";
  }
  return "unknown";
}

std::string_view toString(HaMetrics::StoreWriteResult result) noexcept {
  switch (result) {
    case HaMetrics::StoreWriteResult::committed:
      return "committed";
    case HaMetrics::StoreWriteResult::fenced:
      return "fenced";
    case HaMetrics::StoreWriteResult::outcome_unknown:
      return "outcome_unknown";
    case HaMetrics::StoreWriteResult::failed:
      return "failed";
  }
  return "unknown";
}

HaMetricsRegistry::HaMetricsRegistry(NowFunction now) : now_(std::move(now)) {}

void HaMetricsRegistry::onLeaderStatus(std::string_view component, bool leading) {
  const std::lock_guard lock(mutex_);
  leaderStatus_[std::string(component)] = leading;
}

void HaMetricsRegistry::onLeadershipTransition(std::string_view component, Transition transition,
                                               std::string_view reason) {
  const std::lock_guard lock(mutex_);
  ++transitions_[{std::string(component), std::string(toString(transition)), std::string(reason)}];
}

void HaMetricsRegistry::onLeadershipTenure(std::string_view component,
                                           std::chrono::nanoseconds tenure) {
  const auto& spec = metricSpec(MetricId::tenure);
  const std::lock_guard lock(mutex_);
  auto [it, added] = tenure_.try_emplace(std::string(component), spec.buckets.size());
  it->second.observe(spec.buckets, secondsOf(tenure));
}

void HaMetricsRegistry::onPublish(std::string_view component, PublishResult result) {
  const std::lock_guard lock(mutex_);
  ++publishes_[{std::string(component), std::string(toString(result))}];
}

void HaMetricsRegistry::onParticipantJoined(std::string_view /*node*/, std::size_t position) {
  const std::lock_guard lock(mutex_);
  joined_ = true;
  position_ = position;
}

void HaMetricsRegistry::onQueuePosition(std::size_t position) {
  const std::lock_guard lock(mutex_);
  position_ = position;
}

void HaMetricsRegistry::onParticipantLeft() {
  const std::lock_guard lock(mutex_);
  joined_ = false;
  position_.reset();
}

void HaMetricsRegistry::onConnectionState(ConnectionState state) {
  const auto at = now_();
  const std::lock_guard lock(mutex_);
  // Rule 3 of the health rule measures how long the connection has been down: from the
  // first suspended or lost after it was up, through repeats and a suspension turned loss.
  if (isDown(state) && !(connection_ && isDown(*connection_)))
    downSince_ = at;
  connection_ = state;
}

void HaMetricsRegistry::onSessionTimeout(std::chrono::milliseconds negotiated) {
  const std::lock_guard lock(mutex_);
  sessionTimeout_ = negotiated;
}

void HaMetricsRegistry::onAnswer(Clock::time_point at) {
  const std::lock_guard lock(mutex_);
  // Reports may arrive out of order from different threads: keep the newest.
  if (!lastAnswer_ || at > *lastAnswer_)
    lastAnswer_ = at;
}

void HaMetricsRegistry::onLeaseDeadline(Clock::time_point deadline) {
  const std::lock_guard lock(mutex_);
  leaseDeadline_ = deadline;
}

void HaMetricsRegistry::onRequest(std::string_view operation, std::error_code result,
                                  std::chrono::nanoseconds latency) {
  const auto& spec = metricSpec(MetricId::requestDuration);
  Key2 key{std::string(operation), requestResult(result)};
  const std::lock_guard lock(mutex_);
  ++requests_[key];
  auto [it, added] = requestDuration_.try_emplace(std::move(key), spec.buckets.size());
  it->second.observe(spec.buckets, secondsOf(latency));
}

void HaMetricsRegistry::onBackendFailure(const std::system_error& error) {
  const std::lock_guard lock(mutex_);
  ++backendFailures_;
  if (!firstFailure_)
    firstFailure_ = error.what();
}

void HaMetricsRegistry::onRetrievalChange(std::string_view component) {
  const std::lock_guard lock(mutex_);
  ++retrievalChanges_[std::string(component)];
}

void HaMetricsRegistry::onStoreWrite(StoreWriteResult result) {
  const std::lock_guard lock(mutex_);
  ++storeWrites_[std::string(toString(result))];
}

HealthFacts HaMetricsRegistry::factsLocked() const {
  HealthFacts facts;
  for (const auto& [component, leading] : leaderStatus_)
    facts.leading = facts.leading || leading;
  facts.leaseDeadline = leaseDeadline_;
  facts.sessionTimeout = sessionTimeout_;
  facts.connection = connection_;
  facts.downSince = downSince_;
  facts.backendFailure = firstFailure_;
  return facts;
}

HealthFacts HaMetricsRegistry::healthFacts() const {
  const std::lock_guard lock(mutex_);
  return factsLocked();
}

MetricsSnapshot HaMetricsRegistry::snapshot(Clock::time_point now) const {
  MetricsSnapshot families;
  for (const auto& spec : metricCatalog())
    families.push_back(MetricFamily{&spec, {}});
  auto family = [&families](MetricId id) -> MetricFamily& {
    return families[static_cast<std::size_t>(id)];
  };
  const std::lock_guard lock(mutex_);
  addSamples(family(MetricId::leaderStatus), leaderStatus_,
             [](Sample& s, bool leading) { s.value = leading ? 1 : 0; });
  addSamples(family(MetricId::transitions), transitions_, setCount);
  addSamples(family(MetricId::tenure), tenure_, setHistogram);
  addSamples(family(MetricId::publishes), publishes_, setCount);
  if (connection_) {
    for (const auto state : kConnectionStates) {
      Sample sample = scalar(*connection_ == state ? 1 : 0);
      sample.labelValues = {std::string(baton::toString(state))};
      family(MetricId::connectionState).samples.push_back(std::move(sample));
    }
  }
  if (sessionTimeout_)
    family(MetricId::sessionTimeout).samples.push_back(scalar(secondsOf(*sessionTimeout_)));
  if (lastAnswer_)
    family(MetricId::lastAnswerAge).samples.push_back(scalar(secondsOf(now - *lastAnswer_)));
  if (leaseDeadline_ != Clock::time_point::max()) {
    const double left = secondsOf(leaseDeadline_ - now);
    family(MetricId::leaseRemaining).samples.push_back(scalar(left > 0 ? left : 0));
  }
  addSamples(family(MetricId::requests), requests_, setCount);
  addSamples(family(MetricId::requestDuration), requestDuration_, setHistogram);
  addSamples(family(MetricId::retrievalChanges), retrievalChanges_, setCount);
  addSamples(family(MetricId::storeWrites), storeWrites_, setCount);
  family(MetricId::backendFailures)
      .samples.push_back(scalar(static_cast<double>(backendFailures_)));
  family(MetricId::participantJoined).samples.push_back(scalar(joined_ ? 1 : 0));
  if (position_)
    family(MetricId::queuePosition).samples.push_back(scalar(static_cast<double>(*position_)));
  const bool healthy = evaluateHealth(factsLocked(), now).healthy;
  family(MetricId::healthy).samples.push_back(scalar(healthy ? 1 : 0));
  return families;
}

}  // namespace baton::metrics
