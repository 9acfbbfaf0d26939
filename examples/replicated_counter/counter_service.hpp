#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>

#include "baton/fencing_token.hpp"
#include "baton/high_availability_services.hpp"
#include "baton/leader_contender.hpp"
#include "baton/leader_election.hpp"
#include "baton/leader_retrieval_service.hpp"
#include "counter_log.hpp"
#include "counter_store.hpp"

namespace counter {

// The replicated counter's logic: a contender in the election for `component`, and, while it
// leads, the only writer of the counter's log. Requests (one line each, see line protocol in
// docs/embedding.md):
//   HELLO <token>             -> OK <value>      (the client's connect handshake)
//   INCR <token> <write-id>   -> OK <position> <session>   (the session that stored it:
//                                 this leader's, or an earlier one's for a retried write)
//   GET                       -> VALUE <value>
// and, instead of OK: NOT_LEADER <leader-address|->, FENCED (the token is not this leader's
// current session id), RETRY <reason> (the outcome was not stored; try again).
//
// Leadership: on a grant it reads the stored log, then confirms leadership (publishing its
// address), so clients only reach a leader that knows every acknowledged write. Writes are
// serialized: one fenced write in flight at a time.
//
// Events for the run script and the checker go to `events`, one line each:
//   LEADER <session> <value> | REVOKED | ACK <write-id> <session> <position>
//
// Threads: everything (requests, contender and listener callbacks, store handlers) runs on
// one single-threaded io_context, which is also the services' callback executor.
class CounterService : public baton::LeaderContender, public baton::LeaderRetrievalListener {
 public:
  CounterService(boost::asio::io_context& io, baton::HighAvailabilityServices& ha,
                 std::string component, std::string address, std::ostream& events);

  void start();
  // Leaves the election (delivering the revoke) and stops retrieval. Idempotent.
  void close() noexcept;

  using Reply = std::function<void(const std::string&)>;
  void handle(const std::string& request, Reply reply);

  void grantLeadership(const baton::LeaderSessionId& id) override;
  void revokeLeadership() override;
  void handleError(const std::system_error& error) override;
  void notifyLeaderAddress(const std::string& address, const baton::LeaderSessionId&) override;

 private:
  struct Pending {
    std::string writeId;
    Reply reply;
  };

  void recover(baton::LeaderSessionId id);
  void pump();
  void onWritten(const baton::LeaderSessionId& session, Pending pending, std::size_t position,
                 std::error_code ec, std::int64_t newVersion);
  void ack(const std::string& writeId, const std::string& session, std::size_t position,
           const Reply& reply);
  std::string notLeader() const;
  void emit(const std::string& line);

  boost::asio::io_context& io_;
  baton::HighAvailabilityServices& ha_;
  std::string component_;
  std::string address_;
  std::ostream& events_;
  CounterStore store_;
  std::unique_ptr<baton::LeaderElection> election_;
  std::unique_ptr<baton::LeaderRetrievalService> retrieval_;

  std::optional<baton::LeaderSessionId> granted_;  // from grant to revoke
  std::optional<baton::FencingToken> token_;
  bool ready_ = false;  // the log is read and leadership confirmed
  bool confirmed_ = false;
  CounterLog log_;
  std::int64_t version_ = -1;
  std::deque<Pending> queue_;
  bool writing_ = false;
  std::string leaderAddress_;  // as retrieved, for NOT_LEADER answers
};

}  // namespace counter
