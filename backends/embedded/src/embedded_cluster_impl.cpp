#include "embedded_cluster_impl.hpp"

#include <algorithm>
#include <stdexcept>

#include <boost/asio/strand.hpp>

#include "baton/error.hpp"
#include "baton/logging.hpp"

namespace baton::embedded::detail {

EmbeddedClusterImpl::EmbeddedClusterImpl(std::shared_ptr<spdlog::logger> logger)
    : logger_(loggerOrQuiet(std::move(logger))),
      delivery_("baton-embedded"),
      strand_(boost::asio::make_strand(delivery_.executor())) {}

// Drivers keep the cluster alive, so every mailbox is closed by now; calls still queued are
// dropped by their gates while the delivery thread finishes.
EmbeddedClusterImpl::~EmbeddedClusterImpl() {
  delivery_.stop();
}

std::vector<std::string> EmbeddedClusterImpl::participants() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> ids;
  ids.reserve(queue_.size());
  for (const auto& member : queue_)
    ids.push_back(member->participantId);
  return ids;
}

std::optional<std::string> EmbeddedClusterImpl::currentLeader() const {
  std::lock_guard lock(mutex_);
  auto leader = leaderLocked();
  if (!leader)
    return std::nullopt;
  return leader->participantId;
}

std::uint64_t EmbeddedClusterImpl::epoch() const {
  std::lock_guard lock(mutex_);
  return epoch_;
}

void EmbeddedClusterImpl::transferLeadership(const std::string& participantId) {
  std::lock_guard lock(mutex_);
  auto member = findNewestLocked(participantId);
  if (!member) {
    throw std::invalid_argument("transferLeadership: participant '" + participantId +
                                "' is not in the election (unknown, or no contender started)");
  }
  if (member == leaderLocked())
    return;  // already leads: nothing to hand over
  // The old leader is revoked before the target is granted (both events are queued on the one
  // delivery strand in this order), so two leaders never overlap.
  revokeLeaderLocked("leadership granted to '" + participantId + "' by transferLeadership");
  queue_.erase(std::find(queue_.begin(), queue_.end(), member));
  queue_.push_front(member);
  reportPositionsLocked();
  grantHeadLocked();
}

void EmbeddedClusterImpl::deposeLeader() {
  std::lock_guard lock(mutex_);
  auto leader = leaderLocked();
  if (!leader)
    return;
  revokeLeaderLocked("leader deposed by deposeLeader");
  queue_.pop_front();
  queue_.push_back(leader);
  reportPositionsLocked();
  electIfAutomaticLocked();
}

void EmbeddedClusterImpl::setAutomaticElection(bool enabled) {
  std::lock_guard lock(mutex_);
  automatic_ = enabled;
  electIfAutomaticLocked();
}

LeaderInformation EmbeddedClusterImpl::leaderInformation(const std::string& componentId) const {
  std::lock_guard lock(mutex_);
  return storedLocked(componentId);
}

void EmbeddedClusterImpl::tamperLeaderInformation(const std::string& componentId,
                                                  const LeaderInformation& info) {
  std::lock_guard lock(mutex_);
  logger_->info("leader information of '{}' overwritten from outside: {}", componentId,
                info.toString());
  applyLocked(componentId, info);
  reportForeignWriteLocked(componentId);
}

void EmbeddedClusterImpl::reserveParticipant(const std::string& participantId) {
  if (participantId.empty())
    throw std::invalid_argument("embedded participant id is empty");
  std::lock_guard lock(mutex_);
  if (!participantIds_.insert(participantId).second) {
    throw std::invalid_argument("embedded participant id '" + participantId +
                                "' is already in use in this cluster");
  }
}

void EmbeddedClusterImpl::releaseParticipant(const std::string& participantId) noexcept {
  std::lock_guard lock(mutex_);
  participantIds_.erase(participantId);
}

std::shared_ptr<ElectionMember> EmbeddedClusterImpl::join(const std::string& participantId,
                                                          LeaderElectionDriver::Listener& listener,
                                                          std::shared_ptr<HaMetrics> metrics) {
  auto member = std::make_shared<ElectionMember>();
  member->participantId = participantId;
  member->listener = &listener;
  member->mailbox = std::make_shared<ListenerMailbox>(strand_, logger_);
  member->metrics = std::move(metrics);
  std::lock_guard lock(mutex_);
  queue_.push_back(member);
  member->position = queue_.size() - 1;
  member->mailbox->post([metrics = member->metrics, participantId, position = member->position] {
    metrics->onParticipantJoined(participantId, position);
  });
  logger_->debug("participant '{}' joined the election ({} queued)", participantId, queue_.size());
  electIfAutomaticLocked();
  return member;
}

void EmbeddedClusterImpl::leave(const std::shared_ptr<ElectionMember>& member) noexcept {
  std::lock_guard lock(mutex_);
  auto it = std::find(queue_.begin(), queue_.end(), member);
  if (it == queue_.end())
    return;
  if (member == leaderLocked()) {
    // No revoke event: the member is closing. Its stored information stays; the service
    // deletes what its leaving contenders published.
    headLeads_ = false;
    member->leading = false;
    member->published.clear();
    logger_->info("leader '{}' left the election", member->participantId);
  }
  queue_.erase(it);
  reportPositionsLocked();
  electIfAutomaticLocked();
}

HaMetrics::PublishResult EmbeddedClusterImpl::publish(ElectionMember& member,
                                                      const std::string& componentId,
                                                      const LeaderInformation& info) {
  std::lock_guard lock(mutex_);
  if (!member.leading) {
    logger_->warn("dropping write of '{}' for '{}' by '{}': it no longer leads", info.toString(),
                  componentId, member.participantId);
    return HaMetrics::PublishResult::fenced;
  }
  const bool unchanged = storedLocked(componentId) == info;
  if (info.isEmpty()) {
    member.published.erase(componentId);
  } else {
    member.published[componentId] = info;
  }
  applyLocked(componentId, info);
  return unchanged ? HaMetrics::PublishResult::unchanged : HaMetrics::PublishResult::written;
}

std::shared_ptr<RetrievalWatch> EmbeddedClusterImpl::watch(
    const std::string& componentId, LeaderRetrievalDriver::Listener& listener) {
  auto watch = std::make_shared<RetrievalWatch>();
  watch->componentId = componentId;
  watch->listener = &listener;
  watch->mailbox = std::make_shared<ListenerMailbox>(strand_, logger_);
  std::lock_guard lock(mutex_);
  watches_.emplace(componentId, watch);
  watch->mailbox->post([listener = &listener, info = storedLocked(componentId)] {
    listener->onLeaderInformationChange(info);
  });
  return watch;
}

void EmbeddedClusterImpl::unwatch(const std::shared_ptr<RetrievalWatch>& watch) noexcept {
  std::lock_guard lock(mutex_);
  auto [first, last] = watches_.equal_range(watch->componentId);
  for (auto it = first; it != last; ++it) {
    if (it->second == watch) {
      watches_.erase(it);
      return;
    }
  }
}

// Deliberately not reported to the leaders as a foreign write: closeWithOptionalClean() cleans
// before it closes, and a leader healing its information in between would leave behind exactly
// the data that was asked to be removed.
void EmbeddedClusterImpl::cleanupAllData() {
  // Posted only (no listener runs here), after the lock: the order against writes is moot,
  // a relist reads whatever is there.
  struct NotifyAfter {
    baton::detail::NamespaceWatchers& watchers;
    ~NotifyAfter() { watchers.notifyAll(); }
  } notify{*recordWatchers_};
  std::lock_guard lock(mutex_);
  logger_->info("removing all stored leader information ({} components)", store_.size());
  for (auto& member : queue_)
    member->published.clear();
  std::vector<std::string> components;
  for (const auto& [componentId, info] : store_)
    components.push_back(componentId);
  for (const auto& componentId : components)
    applyLocked(componentId, LeaderInformation::empty());
  records_.clear();
}

baton::detail::RecordTable::Outcome EmbeddedClusterImpl::writeRecordsIfLeading(
    const std::string& participantId, std::uint64_t epoch,
    const std::function<baton::detail::RecordTable::Outcome(baton::detail::RecordTable&)>& apply) {
  std::lock_guard lock(mutex_);
  auto leader = leaderLocked();
  if (!leader || leader->participantId != participantId || epoch_ != epoch) {
    logger_->info("refusing a state store write by '{}' under epoch {}: it does not lead now",
                  participantId, epoch);
    return {make_error_code(Errc::leadership_lost), 0};
  }
  return apply(records_);
}

std::optional<StoredRecord> EmbeddedClusterImpl::record(std::string_view ns,
                                                        std::string_view key) const {
  std::lock_guard lock(mutex_);
  return records_.get(ns, key);
}

std::vector<StoredRecord> EmbeddedClusterImpl::records(std::string_view ns) const {
  std::lock_guard lock(mutex_);
  return records_.list(ns);
}

std::uint64_t EmbeddedClusterImpl::storeVersion() const {
  std::lock_guard lock(mutex_);
  return storeVersion_;
}

std::shared_ptr<ElectionMember> EmbeddedClusterImpl::leaderLocked() const {
  return headLeads_ ? queue_.front() : nullptr;
}

// The newest member: while a service replaces its driver, the retiring one may still be
// queued under the same participant id until its close() completes.
std::shared_ptr<ElectionMember> EmbeddedClusterImpl::findNewestLocked(
    const std::string& participantId) const {
  auto it = std::find_if(queue_.rbegin(), queue_.rend(), [&](const auto& member) {
    return member->participantId == participantId;
  });
  return it == queue_.rend() ? nullptr : *it;
}

void EmbeddedClusterImpl::grantHeadLocked() {
  auto& head = queue_.front();
  headLeads_ = true;
  head->leading = true;
  const std::uint64_t epoch = ++epoch_;
  logger_->info("participant '{}' granted leadership, epoch {}", head->participantId, epoch);
  head->mailbox->post([listener = head->listener, epoch] { listener->onGrantLeadership(epoch); });
}

void EmbeddedClusterImpl::revokeLeaderLocked(const std::string& reason) {
  auto leader = leaderLocked();
  if (!leader)
    return;
  headLeads_ = false;
  leader->leading = false;
  leader->published.clear();
  logger_->info("participant '{}' revoked: {}", leader->participantId, reason);
  leader->mailbox->post(
      [listener = leader->listener, reason] { listener->onRevokeLeadership(reason); });
}

void EmbeddedClusterImpl::reportPositionsLocked() {
  for (std::size_t i = 0; i < queue_.size(); ++i) {
    auto& member = queue_[i];
    if (member->position == i)
      continue;
    member->position = i;
    member->mailbox->post([metrics = member->metrics, i] { metrics->onQueuePosition(i); });
  }
}

void EmbeddedClusterImpl::electIfAutomaticLocked() {
  if (automatic_ && !headLeads_ && !queue_.empty())
    grantHeadLocked();
}

void EmbeddedClusterImpl::applyLocked(const std::string& componentId,
                                      const LeaderInformation& info) {
  const LeaderInformation before = storedLocked(componentId);
  if (info.isEmpty()) {
    if (store_.erase(componentId) == 0)
      return;  // nothing was stored: no write
  } else {
    store_[componentId] = info;
  }
  ++storeVersion_;
  if (before == info)
    return;
  auto [first, last] = watches_.equal_range(componentId);
  for (auto it = first; it != last; ++it) {
    it->second->mailbox->post(
        [listener = it->second->listener, info] { listener->onLeaderInformationChange(info); });
  }
}

void EmbeddedClusterImpl::reportForeignWriteLocked(const std::string& componentId) {
  auto leader = leaderLocked();
  if (!leader)
    return;
  auto it = leader->published.find(componentId);
  if (it == leader->published.end())
    return;
  LeaderInformation stored = storedLocked(componentId);
  if (stored == it->second)
    return;  // equal information needs no repair
  leader->mailbox->post([listener = leader->listener, componentId, stored] {
    listener->onLeaderInformationChange(componentId, stored);
  });
}

LeaderInformation EmbeddedClusterImpl::storedLocked(const std::string& componentId) const {
  auto it = store_.find(componentId);
  return it == store_.end() ? LeaderInformation::empty() : it->second;
}

}  // namespace baton::embedded::detail
