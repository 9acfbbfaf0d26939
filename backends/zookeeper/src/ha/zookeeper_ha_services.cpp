#include "ha/zookeeper_ha_services.hpp"

#include <atomic>
#include <future>
#include <mutex>
#include <utility>

#include <zookeeper/zookeeper.h>
#include <boost/asio/post.hpp>

#include "baton/component_id.hpp"
#include "baton/default_leader_election_service.hpp"
#include "baton/default_leader_retrieval_service.hpp"
#include "baton/error.hpp"
#include "baton/logging.hpp"
#include "baton/support/executor_thread.hpp"
#include "baton/support/metrics_or_no_op.hpp"
#include "baton/support/serial_callback_queue.hpp"
#include "baton/zookeeper/zk_error.hpp"
#include "client/zk_connection.hpp"
#include "election/zk_leader_election_driver.hpp"
#include "fenced_write_outcome.hpp"
#include "leader_info/zk_leader_retrieval_driver.hpp"
#include "zk_state_store.hpp"
#include "zk_tree.hpp"

namespace baton::zookeeper {
namespace {

using namespace std::chrono_literals;

class LatchDriverFactory final : public LeaderElectionDriverFactory {
 public:
  LatchDriverFactory(std::shared_ptr<ZkConnection> connection, LatchDriverSettings settings,
                     std::shared_ptr<spdlog::logger> logger)
      : connection_(std::move(connection)), settings_(std::move(settings)), logger_(logger) {}
  std::unique_ptr<LeaderElectionDriver> createDriver(
      LeaderElectionDriver::Listener& listener) override {
    return makeZkLeaderElectionDriver(connection_, settings_, listener, logger_);
  }

 private:
  std::shared_ptr<ZkConnection> connection_;
  LatchDriverSettings settings_;
  std::shared_ptr<spdlog::logger> logger_;
};

class RetrievalDriverFactory final : public LeaderRetrievalDriverFactory {
 public:
  RetrievalDriverFactory(std::shared_ptr<ZkConnection> connection, std::string path,
                         std::shared_ptr<spdlog::logger> logger)
      : connection_(std::move(connection)), path_(std::move(path)), logger_(std::move(logger)) {}
  std::unique_ptr<LeaderRetrievalDriver> createDriver(
      LeaderRetrievalDriver::Listener& listener) override {
    return makeZkLeaderRetrievalDriver(connection_, path_, listener, logger_);
  }

 private:
  std::shared_ptr<ZkConnection> connection_;
  std::string path_;
  std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace

// Threads and shared objects of one services instance.
class ZooKeeperHaServices::Runtime {
 public:
  Runtime(const ZkHaSettings& settings, HaServicesOptions options)
      : logger(loggerOrQuiet(options.logger)),
        metrics(support::metricsOrNoOp(options.metrics)),
        io("baton-zk") {
    // Listeners and the connection-state callback share one callback thread; contenders get
    // one each from the election service (a revoke never waits behind another component's
    // callback), unless the application chose the executor for all of them.
    if (options.callbackExecutor) {
      callbacks = *options.callbackExecutor;
    } else {
      ownedCallbacks = std::make_unique<support::ExecutorThread>("baton-callbacks");
      callbacks = ownedCallbacks->executor();
    }
    stateQueue = std::make_shared<support::SerialCallbackQueue>(callbacks, logger);
    onIo<void>(5s, [&](std::promise<void>& done) {
      connection = std::make_shared<ZkConnection>(io.executor(), settings.client, logger, metrics);
      connection->start();
      done.set_value();
    });
    LatchDriverSettings latch = settings.election;
    latch.tickTime = settings.client.tickTime;
    latch.retry = settings.client.retry;
    election = std::make_unique<DefaultLeaderElectionService>(
        std::make_unique<LatchDriverFactory>(connection, latch, logger), options.callbackExecutor,
        logger, metrics);
  }

  // Runs fn on the I/O thread and waits for the promise it fulfils, at most `timeout`.
  template <typename T>
  T onIo(std::chrono::milliseconds timeout, std::function<void(std::promise<T>&)> fn) {
    auto promise = std::make_shared<std::promise<T>>();
    auto future = promise->get_future();
    boost::asio::post(io.executor(), [promise, fn = std::move(fn)] {
      try {
        fn(*promise);
      } catch (...) {
        promise->set_exception(std::current_exception());
      }
    });
    if (future.wait_for(timeout) != std::future_status::ready) {
      throw std::system_error(make_error_code(Errc::timed_out), "ZooKeeper did not answer");
    }
    return future.get();
  }

  // Runs fn on the I/O thread once a session is up (at once when it already is): one-shot
  // administrative reads issued while still connecting would fail with a connection loss.
  void whenConnected(std::function<void()> fn) {
    if (connection->isConnected())
      return fn();
    auto token = std::make_shared<std::uint64_t>(0);
    auto pending = std::make_shared<std::function<void()>>(std::move(fn));
    *token =
        connection->subscribe([this, token, pending](ConnectionState state, const ZkSessionInfo&) {
          if (!*pending ||
              (state != ConnectionState::connected && state != ConnectionState::reconnected)) {
            return;
          }
          auto run = std::exchange(*pending, nullptr);
          connection->unsubscribe(*token);
          run();
        });
  }

  std::shared_ptr<spdlog::logger> logger;
  std::shared_ptr<HaMetrics> metrics;  // never null
  support::ExecutorThread io;
  std::unique_ptr<support::ExecutorThread> ownedCallbacks;
  boost::asio::any_io_executor callbacks;
  std::shared_ptr<support::SerialCallbackQueue> stateQueue;
  std::shared_ptr<ZkConnection> connection;
  std::unique_ptr<DefaultLeaderElectionService> election;
  std::mutex mutex;
  bool closed = false;
  std::uint64_t stateSubscription = 0;
  // The current connection-state callback's switch (under mutex): calls queued for it check
  // it on their turn, so removing it also stops calls already on stateQueue.
  std::shared_ptr<std::atomic<bool>> stateCallbackLive;
};

ZooKeeperHaServices::ZooKeeperHaServices(ZkHaSettings settings, HaServicesOptions options)
    : settings_(std::move(settings)) {
  try {
    runtime_ = std::make_unique<Runtime>(settings_, std::move(options));
    stateStore_ = std::make_unique<ZkStateStore>(*this);
  } catch (const std::invalid_argument& e) {
    throw ConfigurationError("ha.zookeeper.quorum", e.what());
  }
}

ZooKeeperHaServices::~ZooKeeperHaServices() {
  close();
}

std::unique_ptr<LeaderElection> ZooKeeperHaServices::getLeaderElection(
    const std::string& componentId) {
  {
    std::lock_guard lock(runtime_->mutex);
    if (runtime_->closed)
      throw std::logic_error("getLeaderElection on closed services");
  }
  return runtime_->election->createLeaderElection(componentId);
}

std::unique_ptr<LeaderRetrievalService> ZooKeeperHaServices::getLeaderRetriever(
    const std::string& componentId) {
  validateComponentId(componentId);
  std::lock_guard lock(runtime_->mutex);
  if (runtime_->closed)
    throw std::logic_error("getLeaderRetriever on closed services");
  return std::make_unique<DefaultLeaderRetrievalService>(
      std::make_unique<RetrievalDriverFactory>(runtime_->connection,
                                               settings_.election.paths.connectionInfo(componentId),
                                               runtime_->logger),
      runtime_->callbacks, runtime_->logger, runtime_->metrics, componentId);
}

void ZooKeeperHaServices::setConnectionStateCallback(ConnectionStateCallback callback) {
  removeConnectionStateCallback();
  if (!callback)
    return;
  auto* rt = runtime_.get();
  auto live = std::make_shared<std::atomic<bool>>(true);
  {
    std::lock_guard lock(rt->mutex);
    rt->stateCallbackLive = live;
  }
  boost::asio::post(rt->io.executor(), [rt, live, callback = std::move(callback)] {
    rt->connection->unsubscribe(rt->stateSubscription);
    rt->stateSubscription = rt->connection->subscribe(
        [rt, live, callback](ConnectionState state, const ZkSessionInfo& session) {
          auto detail = "session 0x" + fmt::format("{:x}", session.sessionId) +
                        ", negotiated timeout " +
                        std::to_string(session.negotiatedTimeout.count()) + " ms";
          rt->stateQueue->post([callback, live, state, detail] {
            if (*live)
              callback(state, detail);
          });
        });
  });
}

void ZooKeeperHaServices::removeConnectionStateCallback() {
  auto* rt = runtime_.get();
  if (!rt)
    return;
  // Switched off while no state call runs (or from inside one), so none starts after this.
  rt->stateQueue->runExclusive([rt] {
    std::lock_guard lock(rt->mutex);
    if (rt->stateCallbackLive)
      *std::exchange(rt->stateCallbackLive, nullptr) = false;
  });
  boost::asio::post(rt->io.executor(), [rt] {
    rt->connection->unsubscribe(rt->stateSubscription);
    rt->stateSubscription = 0;
  });
}

void ZooKeeperHaServices::close() noexcept {
  if (!runtime_)
    return;
  {
    std::lock_guard lock(runtime_->mutex);
    if (runtime_->closed)
      return;
    runtime_->closed = true;
  }
  runtime_->election->close();  // revokes contenders, deletes their latch node
  runtime_->stateQueue->close(nullptr);
  try {
    // A last round trip: the server handles a session's requests in order, so once it is
    // answered the deletes queued before it are done. Then the session closes.
    runtime_->onIo<void>(5s, [rt = runtime_.get()](std::promise<void>& done) {
      auto shared = std::make_shared<std::promise<void>>(std::move(done));
      rt->connection->client().exists("/", nullptr, [rt, shared](std::error_code, const ZkStat&) {
        rt->connection->close();
        shared->set_value();
      });
    });
  } catch (...) {
    boost::asio::post(runtime_->io.executor(), [rt = runtime_.get()] { rt->connection->close(); });
  }
  runtime_->io.stop();
  if (runtime_->ownedCallbacks)
    runtime_->ownedCallbacks->stop();
}

void ZooKeeperHaServices::cleanupAllData() {
  auto cluster = settings_.election.paths.cluster();
  auto root = settings_.election.paths.root;
  runtime_->onIo<void>(60s, [rt = runtime_.get(), cluster, root](std::promise<void>& done) {
    auto shared = std::make_shared<std::promise<void>>(std::move(done));
    auto fail = [shared, cluster](std::error_code ec) {
      shared->set_exception(
          std::make_exception_ptr(std::system_error(ec, "cleaning up " + cluster)));
    };
    rt->whenConnected([rt, shared, cluster, root, fail] {
      deleteTree(rt->connection, cluster, [rt, shared, cluster, root, fail](std::error_code ec) {
        if (ec)
          return fail(ec);
        deleteEmptyParents(rt->connection, cluster, root == "/" ? "/" : root,
                           [shared, fail](std::error_code e) {
                             if (e)
                               return fail(e);
                             shared->set_value();
                           });
      });
    });
  });
}

void ZooKeeperHaServices::fencedWrite(const FencingToken& token, std::vector<ZkOp> ops,
                                      FencedWriteHandler handler) {
  auto deliverResult = [this, handler](std::error_code ec, const std::vector<ZkOpResult>& r) {
    deliver([handler, ec, r] { handler(ec, r); });
  };
  // The service's view first: a revoked session id is stale even while its latch node lives.
  if (!tokenIsCurrent(token))
    return deliverResult(make_error_code(Errc::leadership_lost), {});
  fencedWriteOnIo(token, std::move(ops), deliverResult);
}

bool ZooKeeperHaServices::tokenIsCurrent(const FencingToken& token) const {
  return runtime_->election->currentFencingToken(token.sessionId).has_value();
}

const std::shared_ptr<HaMetrics>& ZooKeeperHaServices::metrics() const {
  return runtime_->metrics;
}

void ZooKeeperHaServices::deliver(std::function<void()> fn) {
  boost::asio::post(runtime_->callbacks, std::move(fn));
}

void ZooKeeperHaServices::fencedWriteOnIo(const FencingToken& token, std::vector<ZkOp> ops,
                                          FencedWriteHandler handler) {
  auto* rt = runtime_.get();
  {
    // After close the I/O thread is stopping: a posted write might never run its handler.
    std::lock_guard lock(rt->mutex);
    if (rt->closed)
      return handler(make_error_code(Errc::leadership_lost), {});
  }
  boost::asio::post(rt->io.executor(), [rt, token, ops = std::move(ops), handler]() mutable {
    auto fence = rt->connection->latchFence().nodeFor(static_cast<std::int64_t>(token.epoch));
    if (!fence)
      return handler(make_error_code(Errc::leadership_lost), {});
    ops.insert(ops.begin(), ZkOp::check(*fence));
    rt->connection->client().multi(
        std::move(ops), [rt, handler](std::error_code ec, const std::vector<ZkOpResult>& results) {
          std::vector<ZkOpResult> mine(results.begin() + (results.empty() ? 0 : 1), results.end());
          auto error = fenced::classifyMultiAnswer(ec, results);
          if (error == Errc::outcome_unknown) {
            rt->logger->warn(
                "fenced write: no answer from ZooKeeper ({}); it may have been applied: read "
                "it back before retrying",
                ec.message());
          }
          handler(error, mine);
        });
  });
}

std::error_code ZooKeeperHaServices::fencedWrite(const FencingToken& token, std::vector<ZkOp> ops,
                                                 std::vector<ZkOpResult>* results) {
  auto done = std::make_shared<std::promise<std::pair<std::error_code, std::vector<ZkOpResult>>>>();
  auto future = done->get_future();
  fencedWrite(token, std::move(ops), [done](std::error_code ec, const std::vector<ZkOpResult>& r) {
    done->set_value({ec, r});
  });
  auto timeout = settings_.client.operationTimeout + 5s;
  if (future.wait_for(timeout) != std::future_status::ready) {
    return make_error_code(Errc::outcome_unknown);  // the multi may be on its way
  }
  auto [ec, r] = future.get();
  if (results)
    *results = std::move(r);
  return ec;
}

namespace {

// One read-back in flight: what each op's target holds, filled in by the reads.
struct ReadBack {
  std::vector<ZkOp> ops;
  std::vector<fenced::Observed> observed;
  std::size_t pending = 0;
  std::error_code error;
  std::string errorPath;
  std::promise<WriteOutcome> done;

  void finishOne() {
    if (--pending > 0)
      return;
    if (error) {
      done.set_exception(
          std::make_exception_ptr(std::system_error(error, "reading back " + errorPath)));
    } else {
      done.set_value(fenced::judgeReadBack(ops, observed));
    }
  }
};

}  // namespace

WriteOutcome ZooKeeperHaServices::readBackWrite(const std::vector<ZkOp>& ops) {
  return readSynced<WriteOutcome>([ops](std::error_code barrier, ZkClient& client,
                                        std::shared_ptr<std::promise<WriteOutcome>> promise) {
    auto job = std::make_shared<ReadBack>();
    job->ops = ops;
    job->observed.resize(ops.size());
    job->done = std::move(*promise);
    if (barrier) {
      job->pending = 1;
      job->error = barrier;
      job->errorPath = "/ (barrier)";
      return job->finishOne();
    }
    job->pending = 1;  // released below, after every read was issued
    for (std::size_t i = 0; i < job->ops.size(); ++i) {
      if (!fenced::readable(job->ops[i]))
        continue;
      ++job->pending;
      const auto& path = job->ops[i].path;
      client.getData(path, nullptr,
                     [job, i, path](std::error_code e, const std::string& data, const ZkStat&) {
                       if (!e) {
                         job->observed[i] = data;
                       } else if (e != make_error_code(ZNONODE) && !job->error) {
                         job->error = e;
                         job->errorPath = path;
                       }
                       job->finishOne();
                     });
    }
    job->finishOne();
  });
}

void ZooKeeperHaServices::onIoWithConnection(
    std::function<void(const std::shared_ptr<ZkConnection>&)> fn) {
  auto* rt = runtime_.get();
  {
    std::lock_guard lock(rt->mutex);
    if (rt->closed)
      throw std::logic_error("watching ZooKeeper through closed services");
  }
  boost::asio::post(rt->io.executor(), [rt, fn = std::move(fn)] { fn(rt->connection); });
}

void ZooKeeperHaServices::syncedOnIo(std::function<void(std::error_code, ZkClient&)> fn) {
  auto* rt = runtime_.get();
  {
    std::lock_guard lock(rt->mutex);
    if (rt->closed)
      throw std::logic_error("reading ZooKeeper through closed services");
  }
  boost::asio::post(rt->io.executor(), [rt, fn = std::move(fn)] {
    rt->whenConnected([rt, fn] {
      // A barrier through the ZooKeeper leader first: a check-only multi is a write, so its
      // answer means our server has applied everything the leader committed before it. A
      // lost multi is then either visible or never applied: the leader rejects a request the
      // old server forwards after the session moved (PrepRequestProcessor checkSession:
      // SessionMovedException), and one server forwards a session's requests in order. Reads
      // alone could be served by a server that lags behind the commit.
      rt->connection->client().multi({ZkOp::check("/")},
                                     [rt, fn](std::error_code ec, const std::vector<ZkOpResult>&) {
                                       fn(ec, rt->connection->client());
                                     });
    });
  });
}

std::chrono::milliseconds ZooKeeperHaServices::readTimeout() const {
  return settings_.client.operationTimeout * 2 + 30s;
}

LeaderStateStore& ZooKeeperHaServices::stateStore() {
  return *stateStore_;
}

std::vector<ParticipantData> ZooKeeperHaServices::participants() {
  auto latchDir = settings_.election.paths.latchDir();
  return runtime_->onIo<std::vector<ParticipantData>>(
      30s, [rt = runtime_.get(), latchDir](std::promise<std::vector<ParticipantData>>& done) {
        auto shared = std::make_shared<std::promise<std::vector<ParticipantData>>>(std::move(done));
        rt->whenConnected([rt, latchDir, shared] {
          readParticipants(
              rt->connection, latchDir,
              [shared, latchDir](std::error_code ec, std::vector<ParticipantData> list) {
                if (ec) {
                  shared->set_exception(
                      std::make_exception_ptr(std::system_error(ec, "listing " + latchDir)));
                } else {
                  shared->set_value(std::move(list));
                }
              });
        });
      });
}

LeaderInformation ZooKeeperHaServices::currentLeader(const std::string& componentId) {
  validateComponentId(componentId);
  auto path = settings_.election.paths.connectionInfo(componentId);
  return runtime_->onIo<LeaderInformation>(
      30s, [rt = runtime_.get(), path](std::promise<LeaderInformation>& done) {
        auto shared = std::make_shared<std::promise<LeaderInformation>>(std::move(done));
        rt->whenConnected([rt, path, shared] {
          rt->connection->client().getData(
              path, nullptr,
              [shared, path](std::error_code ec, const std::string& data, const ZkStat&) {
                if (ec == make_error_code(ZNONODE))
                  return shared->set_value({});
                if (ec) {
                  return shared->set_exception(
                      std::make_exception_ptr(std::system_error(ec, "reading " + path)));
                }
                shared->set_value(decodeLeaderInformation(data).value_or(LeaderInformation{}));
              });
        });
      });
}

std::unique_ptr<HighAvailabilityServices> makeZooKeeperHaServices(
    const Configuration& configuration, const HaServicesOptions& options) {
  return std::make_unique<ZooKeeperHaServices>(parseZkHaSettings(configuration), options);
}

}  // namespace baton::zookeeper
