#include "client/zk_handle_client.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>

#include <boost/asio/post.hpp>

#include "baton/error.hpp"
#include "baton/logging.hpp"
#include "baton/support/metrics_or_no_op.hpp"
#include "client/zk_settings_check.hpp"

namespace baton::zookeeper::detail {

using Clock = std::chrono::steady_clock;
using Kind = SessionEvent::Kind;
using std::chrono::milliseconds;

ZkHandleClient::ZkHandleClient(boost::asio::any_io_executor executor, ZkSettings settings,
                               std::shared_ptr<spdlog::logger> logger,
                               std::shared_ptr<HaMetrics> metrics)
    : executor_(executor),
      settings_(std::move(settings)),
      logger_(loggerOrQuiet(std::move(logger))),
      metrics_(support::metricsOrNoOp(std::move(metrics))),
      tracker_(settings_),
      loop_(ZkEventLoop::create(executor)),
      logBridge_(logger_),
      openTimer_(executor),
      connectTimer_(executor),
      expiryTimer_(executor),
      keepaliveTimer_(executor),
      proof_(settings_.tickTime) {}

ZkHandleClient::~ZkHandleClient() {
  close();
}

void ZkHandleClient::start() {
  if (closed_)
    throw std::logic_error("ZkClient::start() after close()");
  if (started_)
    return;
  checkSettings(settings_);  // throws ConfigurationError naming the key
  started_ = true;
  logger_->info("zookeeper: connecting to '{}', requested session timeout {} ms", settings_.quorum,
                settings_.sessionTimeout.count());
  step(sessionEvent(Kind::start, Clock::now()));
}

void ZkHandleClient::close() noexcept {
  if (closed_)
    return;
  closed_ = true;
  try {
    step(sessionEvent(Kind::close, Clock::now()));
    openTimer_.cancel();
    connectTimer_.cancel();
    expiryTimer_.cancel();
    keepaliveTimer_.cancel();
    closeHandle();
    // zookeeper_close called every outstanding completion (ZCLOSING); should one be left, the
    // C client is gone and will never call it: fail it here, so every handler runs once.
    auto left = std::move(pending_);
    for (auto& [id, raw] : left) {
      std::unique_ptr<OpContext> ctx(raw);
      ctx->fail(make_error_code(ZCLOSING));
    }
  } catch (const std::exception& e) {
    logger_->error("zookeeper: error while closing: {}", e.what());
  } catch (...) {
  }
}

std::string ZkHandleClient::sessionPassword() const {
  if (!handle_ || !isConnected())
    return {};
  const clientid_t* id = zoo_client_id(handle_.get());
  return id ? std::string(id->passwd, sizeof(id->passwd)) : std::string();
}

void ZkHandleClient::post(std::function<void()> fn) {
  boost::asio::post(executor_, std::move(fn));
}

void ZkHandleClient::step(SessionEvent event) {
  apply(tracker_.step(event));
}

void ZkHandleClient::apply(const SessionActions& a) {
  auto self = weakSelf();
  if (a.stopKeepalive)
    keepaliveTimer_.cancel();
  if (a.cancelExpiryDeadline)
    expiryTimer_.cancel();
  if (a.report)
    report(*a.report);
  if (a.logConnectTimeout) {
    logger_->error(
        "zookeeper: no connection to quorum '{}' within {} ms (connection timeout); are the "
        "servers up and reachable? Still trying",
        settings_.quorum, settings_.connectionTimeout.count());
  }
  if (a.expiryDeadline) {
    expiryTimer_.expires_at(*a.expiryDeadline);
    expiryTimer_.async_wait([self](const boost::system::error_code& ec) {
      if (auto core = self.lock(); core && !ec)
        core->step(sessionEvent(Kind::deadlinePassed, Clock::now()));
    });
  }
  if (a.connectDeadline) {
    connectTimer_.expires_at(*a.connectDeadline);
    connectTimer_.async_wait([self](const boost::system::error_code& ec) {
      if (auto core = self.lock(); core && !ec)
        core->step(sessionEvent(Kind::connectTimeout, Clock::now()));
    });
  }
  if (a.startKeepalive) {
    keepaliveTimer_.expires_after(milliseconds{0});
    keepaliveTimer_.async_wait([self](const boost::system::error_code& ec) {
      if (auto core = self.lock(); core && !ec)
        core->keepalive();
    });
  }
  if (a.openHandle)
    scheduleOpen(a.openDelay);
}

void ZkHandleClient::report(ConnectionState state) {
  const ZkSessionInfo& info = tracker_.info();
  switch (state) {
    case ConnectionState::connected:
      proof_.sessionCreated(handleOpened_);
      notifyRenewal();
      logConnected();
      break;
    case ConnectionState::reconnected:
      logger_->info("zookeeper: session {:#x} reconnected", info.sessionId);
      break;
    case ConnectionState::suspended:
      logger_->warn("zookeeper: connection to '{}' lost; session {:#x} suspended", settings_.quorum,
                    info.sessionId);
      break;
    case ConnectionState::lost:
      proof_.reset();
      logger_->error("zookeeper: session {:#x} (generation {}) lost: {}{}", info.sessionId,
                     info.generation, info.error.message(),
                     info.terminal ? "; giving up" : "; building a new session");
      break;
  }
  post([self = weakSelf(), state, info] {
    auto core = self.lock();
    if (!core || core->closed_ || !core->listener_)
      return;
    auto listener = core->listener_;  // the listener may replace itself
    listener(state, info);
  });
}

void ZkHandleClient::logConnected() {
  const ZkSessionInfo& info = tracker_.info();
  logger_->info("zookeeper: session {:#x} established (generation {}), negotiated timeout {} ms",
                info.sessionId, info.generation, info.negotiatedTimeout.count());
  if (info.negotiatedTimeout != settings_.sessionTimeout) {
    logger_->warn(
        "zookeeper: the servers negotiated a session timeout of {} ms instead of the requested "
        "{} ms (bounded by their minSessionTimeout/maxSessionTimeout)",
        info.negotiatedTimeout.count(), settings_.sessionTimeout.count());
  }
}

void ZkHandleClient::scheduleOpen(milliseconds delay) {
  // The old handle is closed outside of any C call (this may run inside zookeeper_process).
  post([self = weakSelf(), delay] {
    auto core = self.lock();
    if (!core || core->closed_)
      return;
    core->closeHandle();
    core->openTimer_.expires_after(delay);
    core->openTimer_.async_wait([self](const boost::system::error_code& ec) {
      if (auto c = self.lock(); c && !ec && !c->closed_)
        c->openHandle();
    });
  });
}

void ZkHandleClient::openHandle() {
  if (handle_ || tracker_.phase() != SessionPhase::opening)
    return;
  auto context =
      std::make_unique<HandleContext>(HandleContext{this, tracker_.info().generation + 1});
  int flags = logger_->should_log(spdlog::level::debug) ? 0 : ZOO_NO_LOG_CLIENTENV;
  // A session this handle creates is created at the ZooKeeper leader after this instant
  // (PrepRequestProcessor createSession -> SessionTracker.trackSession, a renewal).
  handleOpened_ = LeaseClock::now();
  int timeoutMs = static_cast<int>(
      std::min<std::int64_t>(settings_.sessionTimeout.count(), std::numeric_limits<int>::max()));
  // The C client's lines go to our logger (before, its stream went to /dev/null below debug
  // level, hiding socket errors); its global level follows what our logger would keep.
  logBridge_.refreshLevel();
  errno = 0;
  zhandle_t* zh = zookeeper_init2(settings_.quorum.c_str(), &sessionTrampoline, timeoutMs, nullptr,
                                  context.get(), flags, logBridge_.callback());
  if (!zh) {
    int error = errno ? errno : EINVAL;
    logger_->error("zookeeper: cannot create a handle for quorum '{}': {}", settings_.quorum,
                   std::strerror(error));
    SessionEvent event = sessionEvent(Kind::openFailed, Clock::now());
    event.error = std::error_code(error, std::system_category());
    step(event);
    return;
  }
  handle_.reset(zh);
  handleContext_ = std::move(context);
  // By default the C client re-resolves every quorum host name each time zookeeper_interest
  // runs, i.e. on every round of the event loop: three getaddrinfo calls (each a netlink
  // dump) per request or reply with a 3-server quorum, about 0.5 ms, which more than doubled
  // a graceful handover (docs/performance.md). Resolve only when (re)connecting, as the Java
  // client does: a moved server is found again after its connection drops.
  zoo_set_servers_resolution_delay(zh, -1);
  if (settings_.digestCredentials) {
    const std::string& credentials = *settings_.digestCredentials;
    int rc = zoo_add_auth(zh, "digest", credentials.data(), static_cast<int>(credentials.size()),
                          nullptr, nullptr);
    if (rc != ZOK)
      logger_->error("zookeeper: zoo_add_auth failed: {}", zkErrorName(rc));
  }
  proof_.reset();
  step(sessionEvent(Kind::opened, Clock::now()));
  loop_->attach(zh, [this](int events) { process(events); });
}

void ZkHandleClient::closeHandle() noexcept {
  loop_->detach();  // release the descriptor before zookeeper_close closes the socket
  connectTimer_.cancel();
  if (handle_) {
    // Events the C client might still deliver while closing belong to no generation.
    if (handleContext_)
      handleContext_->generation = 0;
    handle_.reset();  // zookeeper_close: outstanding completions run now with ZCLOSING
  }
  watches_.clear();  // watches of a closed handle are never called
  handleContext_.reset();
}

void ZkHandleClient::process(int events) {
  if (!handle_)
    return;
  bool connected = isConnected();
  zookeeper_process(handle_.get(), events);
  if (connected && (events & ZOOKEEPER_READ))
    step(sessionEvent(Kind::heard, Clock::now()));
  followHandleState();
}

void ZkHandleClient::followHandleState() {
  if (!handle_ || closed_)
    return;
  zhandle_t* zh = handle_.get();
  int state = zoo_state(zh);
  SessionPhase phase = tracker_.phase();
  if (phase == SessionPhase::connected && state != ZOO_CONNECTED_STATE) {
    logger_->warn("zookeeper: the connection dropped without a session event (handle state {})",
                  state);
    step(sessionEvent(Kind::connecting, Clock::now()));
  } else if (phase == SessionPhase::suspended && state == ZOO_CONNECTED_STATE) {
    const clientid_t* id = zoo_client_id(zh);
    SessionEvent event = sessionEvent(Kind::connected, Clock::now());
    event.sessionId = id ? id->client_id : 0;
    event.negotiatedTimeout = milliseconds{zoo_recv_timeout(zh)};
    step(event);
  }
}

void ZkHandleClient::notifyRenewal() {
  post([self = weakSelf()] {
    auto core = self.lock();
    if (core && !core->closed_ && core->renewalListener_) {
      auto listener = core->renewalListener_;
      listener();
    }
  });
}

void ZkHandleClient::onSessionEvent(std::uint64_t generation, zhandle_t* zh, int state) {
  if (closed_ || generation == 0 || generation != tracker_.info().generation)
    return;
  auto now = Clock::now();
  if (state == ZOO_CONNECTED_STATE || state == ZOO_READONLY_STATE) {
    const clientid_t* id = zoo_client_id(zh);
    SessionEvent event = sessionEvent(Kind::connected, now);
    event.sessionId = id ? id->client_id : 0;
    event.negotiatedTimeout = milliseconds{zoo_recv_timeout(zh)};
    step(event);
  } else if (state == ZOO_CONNECTING_STATE || state == ZOO_ASSOCIATING_STATE ||
             state == ZOO_NOTCONNECTED_STATE) {
    step(sessionEvent(Kind::connecting, now));
  } else if (state == ZOO_EXPIRED_SESSION_STATE) {
    step(sessionEvent(Kind::expired, now));
  } else if (state == ZOO_AUTH_FAILED_STATE) {
    logger_->error("zookeeper: authentication to '{}' failed (scheme digest); check {}",
                   settings_.quorum, "ha.zookeeper.auth.digest");
    step(sessionEvent(Kind::authFailed, now));
  }
}

void ZkHandleClient::setKeepalive(KeepaliveMode mode) {
  if (mode == keepaliveMode_)
    return;
  keepaliveMode_ = mode;
  keepalive();
}

void ZkHandleClient::keepalive() {
  keepaliveTimer_.cancel();
  if (closed_ || !isConnected())
    return;
  auto now = LeaseClock::now();
  KeepaliveInput in;
  in.mode = keepaliveMode_;
  in.sessionTimeout = tracker_.info().negotiatedTimeout;
  in.relayBound = settings_.tickTime;
  in.sinceLastSend =
      lastKeepaliveSend_ ? now - *lastKeepaliveSend_ : std::chrono::nanoseconds::max();
  in.syncOutstanding = keepaliveSyncOutstanding_;
  in.awaitingConfirmation = proof_.awaitingConfirmation();
  KeepaliveStep step = planKeepalive(in);
  auto self = weakSelf();
  if (step.send == KeepaliveStep::Send::sync) {
    lastKeepaliveSend_ = now;
    keepaliveSyncOutstanding_ = true;
    sync("/", [self](std::error_code) {
      if (auto core = self.lock()) {
        core->keepaliveSyncOutstanding_ = false;
        core->keepalive();  // at once if the proof waits for one more
      }
    });
  }
  if (step.lookAgainAfter.count() > 0) {
    keepaliveTimer_.expires_after(step.lookAgainAfter);
    keepaliveTimer_.async_wait([self](const boost::system::error_code& ec) {
      if (auto core = self.lock(); core && !ec)
        core->keepalive();
    });
  }
}

void ZkHandleClient::onWatchEvent(std::uint64_t generation, std::uint64_t watchId, int type,
                                  const std::string& path) {
  if (generation != tracker_.info().generation)
    return;
  auto it = watches_.find(watchId);
  if (it == watches_.end())
    return;
  Watch watch = std::move(it->second);
  watches_.erase(it);
  WatchEvent event{WatchEventType::notWatching, path};
  if (type == ZOO_CREATED_EVENT)
    event.type = WatchEventType::created;
  if (type == ZOO_DELETED_EVENT)
    event.type = WatchEventType::deleted;
  if (type == ZOO_CHANGED_EVENT)
    event.type = WatchEventType::dataChanged;
  if (type == ZOO_CHILD_EVENT)
    event.type = WatchEventType::childrenChanged;
  post([self = weakSelf(), generation, handler = std::move(watch.handler), event] {
    auto core = self.lock();
    if (!core || core->closed_ || core->tracker_.info().generation != generation)
      return;
    if (handler)
      handler(event);
  });
}

}  // namespace baton::zookeeper::detail
