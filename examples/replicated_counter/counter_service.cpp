#include "counter_service.hpp"

#include <chrono>
#include <ostream>
#include <sstream>
#include <vector>

#include <boost/asio/steady_timer.hpp>

#include "baton/error.hpp"

namespace counter {

namespace {

std::vector<std::string> words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string w; in >> w;)
    out.push_back(w);
  return out;
}

}  // namespace

CounterService::CounterService(boost::asio::io_context& io, baton::HighAvailabilityServices& ha,
                               std::string component, std::string address, std::ostream& events)
    : io_(io),
      ha_(ha),
      component_(std::move(component)),
      address_(std::move(address)),
      events_(events),
      store_(io.get_executor(), ha.stateStore()) {}

void CounterService::start() {
  retrieval_ = ha_.getLeaderRetriever(component_);
  retrieval_->start(*this);
  election_ = ha_.getLeaderElection(component_);
  election_->startLeaderElection(*this);
}

void CounterService::close() noexcept {
  if (election_)
    election_->close();
  if (retrieval_)
    retrieval_->stop();
  store_.close();
}

void CounterService::grantLeadership(const baton::LeaderSessionId& id) {
  granted_ = id;
  token_ = election_->fencingToken(id);
  confirmed_ = false;
  if (token_)
    recover(id);  // else already lost: a revoke follows
}

void CounterService::revokeLeadership() {
  granted_.reset();
  token_.reset();
  ready_ = false;
  emit("REVOKED");
  auto queue = std::move(queue_);
  queue_.clear();
  for (auto& pending : queue)
    pending.reply(notLeader());
}

void CounterService::handleError(const std::system_error& error) {
  emit(std::string("ERROR ") + error.what());
}

void CounterService::notifyLeaderAddress(const std::string& address,
                                         const baton::LeaderSessionId&) {
  leaderAddress_ = address;
}

// Reads the stored log under leadership `id`; also used after a write whose outcome is unknown
// or that found the log changed (Errc::write_conflict: our read was older than the store).
void CounterService::recover(baton::LeaderSessionId id) {
  ready_ = false;
  store_.read([this, id](std::error_code ec, CounterLog log, std::int64_t version) {
    if (granted_ != id)
      return;
    if (ec) {
      emit("STORE_ERROR " + ec.message());
      auto timer = std::make_shared<boost::asio::steady_timer>(io_, std::chrono::milliseconds(500));
      timer->async_wait([this, timer, id](boost::system::error_code) {
        if (granted_ == id)
          recover(id);
      });
      return;
    }
    log_ = std::move(log);
    version_ = version;
    ready_ = true;
    if (!confirmed_) {
      confirmed_ = true;
      election_->confirmLeadership(id, address_);
      emit("LEADER " + id.toString() + " " + std::to_string(log_.value()));
    }
    pump();
  });
}

void CounterService::handle(const std::string& request, Reply reply) {
  auto w = words(request);
  if (w.empty())
    return reply("ERR empty request");
  if (w[0] == "GET") {
    return reply(ready_ ? "VALUE " + std::to_string(log_.value()) : notLeader());
  }
  if (!(w[0] == "HELLO" && w.size() == 2) && !(w[0] == "INCR" && w.size() == 3)) {
    return reply("ERR unknown request: " + request);
  }
  if (!ready_)
    return reply(notLeader());
  if (w[1] != granted_->toString())
    return reply("FENCED");
  if (w[0] == "HELLO")
    return reply("OK " + std::to_string(log_.value()));
  if (auto position = log_.positionOf(w[2])) {  // a retry of a stored write
    return ack(w[2], log_.entries()[position - 1].session, position, reply);
  }
  queue_.push_back({w[2], std::move(reply)});
  pump();
}

void CounterService::pump() {
  while (!writing_ && ready_ && !queue_.empty()) {
    auto pending = std::move(queue_.front());
    queue_.pop_front();
    if (auto position = log_.positionOf(pending.writeId)) {
      ack(pending.writeId, log_.entries()[position - 1].session, position, pending.reply);
      continue;
    }
    auto session = *granted_;
    auto next = log_;
    next.append({pending.writeId, session.toString()});
    writing_ = true;
    store_.write(*token_, next, version_,
                 [this, session, pending = std::move(pending), position = next.value()](
                     std::error_code ec, std::int64_t newVersion) mutable {
                   onWritten(session, std::move(pending), position, ec, newVersion);
                 });
  }
}

void CounterService::onWritten(const baton::LeaderSessionId& session, Pending pending,
                               std::size_t position, std::error_code ec, std::int64_t newVersion) {
  writing_ = false;
  if (!ec) {
    // Durable, and applied while our latch node existed: a true acknowledgement even if the
    // revoke has arrived since.
    if (granted_ == session) {
      log_.append({pending.writeId, session.toString()});
      version_ = newVersion;
    }
    ack(pending.writeId, session.toString(), position, pending.reply);
  } else if (ec == make_error_code(baton::Errc::leadership_lost)) {
    pending.reply(notLeader());
  } else {
    // A write conflict (the log changed since our read), or an unknown outcome (connection
    // loss): read the log again before the next write; the client retries with the same write
    // id, which then dedupes if it was stored.
    pending.reply("RETRY " + ec.message());
    if (granted_ == session)
      return recover(session);
  }
  pump();
}

void CounterService::ack(const std::string& writeId, const std::string& session,
                         std::size_t position, const Reply& reply) {
  emit("ACK " + writeId + " " + session + " " + std::to_string(position));
  reply("OK " + std::to_string(position) + " " + session);
}

std::string CounterService::notLeader() const {
  return "NOT_LEADER " + (leaderAddress_.empty() ? std::string("-") : leaderAddress_);
}

void CounterService::emit(const std::string& line) {
  events_ << line << std::endl;
}

}  // namespace counter
