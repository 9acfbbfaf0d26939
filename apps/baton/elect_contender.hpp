#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "baton/connection_state.hpp"
#include "baton/high_availability_services.hpp"
#include "baton/leader_contender.hpp"
#include "baton/leader_election.hpp"
#include "event_printer.hpp"

namespace baton::cli {

// The elect command's contender: prints every callback as an event, confirms each grant at
// once with its address, and knows why the next revoke happens ("released" or "closing" when
// the tool leaves, the last bad connection state, or "leadership lost").
//
// One contender serves successive LeaderElections (release, then rejoin): each is closed
// before the next one starts, so the library's grant/revoke pairing still holds.
//
// Thread-safety: join() and leave() on the main thread; the LeaderContender callbacks and
// onConnectionState() on the library's callback thread. Leaves in the destructor; the services
// must outlive it.
class ElectContender final : public LeaderContender {
 public:
  ElectContender(HighAvailabilityServices& services, EventPrinter& printer, std::string component,
                 std::string address);
  ~ElectContender() override;
  ElectContender(const ElectContender&) = delete;
  ElectContender& operator=(const ElectContender&) = delete;

  // Takes part in the election with a fresh LeaderElection. Precondition: !joined().
  void join();
  // Closes the LeaderElection; a revoke delivered by the close is printed with reason.
  // Returns false (and does nothing) when not joined.
  bool leave(const std::string& reason) noexcept;
  bool joined() const noexcept { return election_ != nullptr; }

  void onConnectionState(ConnectionState state, const std::string& detail);
  // The fencing token of the current grant, or of the last one after a revoke (the `write`
  // command uses it as a deposed leader would); nullopt before the first grant.
  std::optional<FencingToken> lastFencingToken() const;

  void grantLeadership(const LeaderSessionId& leaderSessionId) override;
  void revokeLeadership() override;
  void handleError(const std::system_error& error) override;

 private:
  std::string revokeReasonLocked() const;

  HighAvailabilityServices& services_;
  EventPrinter& printer_;
  const std::string component_;
  const std::string address_;
  // Written by join()/leave() only while no callback can run (before start, after close);
  // read by the callbacks to confirm.
  std::unique_ptr<LeaderElection> election_;

  mutable std::mutex mutex_;
  std::optional<LeaderSessionId> session_;     // guarded: the leadership held, if any
  std::string leavingReason_;                  // guarded: set while leave() closes
  std::optional<ConnectionState> connection_;  // guarded: the latest reported state
  std::optional<FencingToken> lastToken_;      // guarded: taken at each grant
};

}  // namespace baton::cli
