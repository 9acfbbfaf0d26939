#include "client/lease/renewal_proof.hpp"

#include <algorithm>

namespace baton::zookeeper::detail {

namespace {
// Enough for every pattern the keepalive produces; older entries can only prove less.
constexpr std::size_t kMaxAnswers = 32;
constexpr std::size_t kMaxCandidates = 8;
}  // namespace

void RenewalProof::sessionCreated(Clock::time_point opened) {
  reset();
  raise(opened);
}

void RenewalProof::reset() {
  renewedSince_.reset();
  answers_.clear();
  candidates_.clear();
}

void RenewalProof::answered(Clock::time_point sent, Clock::time_point answered,
                            bool throughLeader) {
  if (throughLeader) {
    // As k: every j answered before this was sent is confirmed.
    for (const auto& c : candidates_) {
      if (c.jAnswered <= sent)
        raise(c.renewal);
    }
    std::erase_if(candidates_, [&](const Candidate& c) { return c.jAnswered <= sent; });
    // As j: the newest i answered at least relayBound before this was sent.
    std::optional<Clock::time_point> best;
    for (const auto& a : answers_) {
      if (a.answered + relayBound_ <= sent && (!best || a.sent > *best))
        best = a.sent;
    }
    if (best && (!renewedSince_ || *best > *renewedSince_))
      candidates_.push_back({answered, *best});
  }
  answers_.push_back({sent, answered});
  prune();
}

bool RenewalProof::awaitingConfirmation() const noexcept {
  return !candidates_.empty();
}

void RenewalProof::raise(Clock::time_point renewal) {
  if (!renewedSince_ || renewal > *renewedSince_)
    renewedSince_ = renewal;
}

void RenewalProof::prune() {
  // An answer proves nothing beyond renewedSince once it was sent before it; among the rest,
  // one sent no later and answered no later than another is never the better i.
  std::vector<Answer> kept;
  for (const auto& a : answers_) {
    if (renewedSince_ && a.sent <= *renewedSince_)
      continue;
    bool dominated = std::any_of(answers_.begin(), answers_.end(), [&](const Answer& b) {
      return b.sent >= a.sent && b.answered <= a.answered &&
             (b.sent > a.sent || b.answered < a.answered);
    });
    if (!dominated)
      kept.push_back(a);
  }
  if (kept.size() > kMaxAnswers)
    kept.erase(kept.begin(), kept.end() - kMaxAnswers);
  answers_ = std::move(kept);
  std::erase_if(candidates_,
                [&](const Candidate& c) { return renewedSince_ && c.renewal <= *renewedSince_; });
  if (candidates_.size() > kMaxCandidates)
    candidates_.erase(candidates_.begin(), candidates_.end() - kMaxCandidates);
}

}  // namespace baton::zookeeper::detail
