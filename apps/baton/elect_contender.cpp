#include "elect_contender.hpp"

#include <utility>

namespace baton::cli {

ElectContender::ElectContender(HighAvailabilityServices& services, EventPrinter& printer,
                               std::string component, std::string address)
    : services_(services),
      printer_(printer),
      component_(std::move(component)),
      address_(std::move(address)) {}

ElectContender::~ElectContender() {
  leave("closing");
}

void ElectContender::join() {
  election_ = services_.getLeaderElection(component_);
  {
    const std::lock_guard lock(mutex_);
    leavingReason_.clear();
  }
  election_->startLeaderElection(*this);
}

bool ElectContender::leave(const std::string& reason) noexcept {
  if (!election_)
    return false;
  {
    const std::lock_guard lock(mutex_);
    leavingReason_ = reason;
  }
  // Delivers the revoke (if leading) before it returns; no callback runs afterwards.
  election_->close();
  election_.reset();
  return true;
}

void ElectContender::onConnectionState(ConnectionState state, const std::string& detail) {
  {
    const std::lock_guard lock(mutex_);
    connection_ = state;
  }
  printer_.print(connectionEvent(state, detail));
}

void ElectContender::grantLeadership(const LeaderSessionId& leaderSessionId) {
  auto token = election_->fencingToken(leaderSessionId);  // nullopt if already revoked again
  {
    const std::lock_guard lock(mutex_);
    session_ = leaderSessionId;
    if (token)
      lastToken_ = token;
  }
  printer_.print(Event{.name = "granted", .sessionId = leaderSessionId});
  election_->confirmLeadership(leaderSessionId, address_);
  printer_.print(
      Event{.name = "confirmed", .sessionId = leaderSessionId, .fields = {{"address", address_}}});
}

std::optional<FencingToken> ElectContender::lastFencingToken() const {
  const std::lock_guard lock(mutex_);
  return lastToken_;
}

void ElectContender::revokeLeadership() {
  std::optional<LeaderSessionId> session;
  std::string reason;
  {
    const std::lock_guard lock(mutex_);
    session = std::exchange(session_, std::nullopt);
    reason = revokeReasonLocked();
  }
  printer_.print(Event{.name = "revoked", .sessionId = session, .fields = {{"reason", reason}}});
}

void ElectContender::handleError(const std::system_error& error) {
  printer_.print(errorEvent(error));
}

std::string ElectContender::revokeReasonLocked() const {
  if (!leavingReason_.empty())
    return leavingReason_;
  if (connection_ == ConnectionState::suspended || connection_ == ConnectionState::lost) {
    return std::string(toString(*connection_));
  }
  // The contender API carries no reason (the driver's is not passed on).
  return "leadership lost";
}

}  // namespace baton::cli
