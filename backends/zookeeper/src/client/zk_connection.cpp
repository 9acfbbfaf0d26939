#include "client/zk_connection.hpp"

#include <boost/asio/post.hpp>

#include "baton/support/metrics_or_no_op.hpp"

namespace baton::zookeeper {

ZkConnection::ZkConnection(boost::asio::any_io_executor io, ZkSettings settings,
                           std::shared_ptr<spdlog::logger> logger,
                           std::shared_ptr<HaMetrics> metrics)
    : io_(io),
      logger_(std::move(logger)),
      metrics_(support::metricsOrNoOp(std::move(metrics))),
      client_(ZkClient::create(io, std::move(settings), logger_, metrics_)) {}

ZkConnection::ZkConnection(boost::asio::any_io_executor io, std::unique_ptr<ZkClient> client,
                           std::shared_ptr<spdlog::logger> logger,
                           std::shared_ptr<HaMetrics> metrics)
    : io_(std::move(io)),
      logger_(std::move(logger)),
      metrics_(support::metricsOrNoOp(std::move(metrics))),
      client_(std::move(client)) {}

void ZkConnection::start() {
  client_->setStateListener(
      [this](ConnectionState state, const ZkSessionInfo& session) { onState(state, session); });
  client_->start();
}

void ZkConnection::close() noexcept {
  if (closed_)
    return;
  closed_ = true;
  subscribers_.clear();
  client_->close();
}

std::uint64_t ZkConnection::subscribe(StateCallback callback) {
  auto token = nextToken_++;
  subscribers_.emplace(token, std::move(callback));
  if (isConnected()) {
    // Posted, so a subscriber never hears from us inside its own subscribe() call.
    boost::asio::post(io_, [self = shared_from_this(), token] {
      auto it = self->subscribers_.find(token);
      if (it != self->subscribers_.end() && self->isConnected()) {
        it->second(ConnectionState::connected, self->client_->session());
      }
    });
  }
  return token;
}

void ZkConnection::unsubscribe(std::uint64_t token) {
  subscribers_.erase(token);
}

void ZkConnection::onState(ConnectionState state, const ZkSessionInfo& session) {
  state_ = state;
  logger_->info("zookeeper connection {} (session 0x{:x}, generation {})", toString(state),
                session.sessionId, session.generation);
  if (state == ConnectionState::connected)
    metrics_->onSessionTimeout(session.negotiatedTimeout);
  metrics_->onConnectionState(state);
  // Copy: a subscriber may unsubscribe (or subscribe) while being told.
  auto subscribers = subscribers_;
  for (auto& [token, callback] : subscribers) {
    if (subscribers_.count(token))
      callback(state, session);
  }
}

}  // namespace baton::zookeeper
