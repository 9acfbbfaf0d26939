#include "counter_store.hpp"

#include <chrono>

#include <zookeeper/zookeeper.h>

#include "baton/error.hpp"
#include "baton/zookeeper/zk_error.hpp"

namespace counter {

namespace zk = baton::zookeeper;

CounterStore::CounterStore(boost::asio::any_io_executor executor, zk::ZooKeeperHaServices& ha)
    : executor_(executor),
      ha_(ha),
      path_(ha.settings().paths.cluster() + "/counter"),
      client_(zk::ZkClient::create(executor, ha.settings().client)) {
  client_->start();
}

CounterStore::~CounterStore() {
  close();
}

void CounterStore::close() noexcept {
  *alive_ = false;
  if (client_)
    client_->close();
}

void CounterStore::read(ReadHandler handler) {
  readAttempt(std::move(handler), 0);
}

void CounterStore::readAttempt(ReadHandler handler, int attempt) {
  client_->getData(
      path_, nullptr,
      [this, alive = alive_, handler, attempt](std::error_code ec, const std::string& data,
                                               const zk::ZkStat& stat) {
        if (!*alive)
          return;
        if (ec == zk::make_error_code(ZNONODE))
          return handler({}, CounterLog{}, -1);
        if (ec && zk::isRetryable(ec) && attempt < 50) {
          auto timer = std::make_shared<boost::asio::steady_timer>(executor_,
                                                                   std::chrono::milliseconds(200));
          timer->async_wait([this, alive, timer, handler, attempt](boost::system::error_code) {
            if (*alive)
              readAttempt(handler, attempt + 1);
          });
          return;
        }
        if (ec)
          return handler(ec, CounterLog{}, -1);
        auto log = CounterLog::decode(data);
        if (!log)
          return handler(make_error_code(baton::Errc::malformed_leader_information), {}, -1);
        handler({}, std::move(*log), stat.version);
      });
}

void CounterStore::write(const baton::FencingToken& token, const CounterLog& log,
                         std::int32_t version, WriteHandler handler) {
  std::vector<zk::ZkOp> ops;
  if (version < 0) {
    ops.push_back(zk::ZkOp::create(path_, log.encode()));
  } else {
    ops.push_back(zk::ZkOp::setData(path_, log.encode(), version));
  }
  // The handler runs on the services' callback executor: the same io_context as ours.
  ha_.fencedWrite(token, std::move(ops),
                  [alive = alive_, handler, version](std::error_code ec,
                                                     const std::vector<zk::ZkOpResult>& results) {
                    if (!*alive)
                      return;
                    if (ec)
                      return handler(ec, version);
                    handler({}, version < 0 || results.empty() ? 0 : results[0].stat.version);
                  });
}

}  // namespace counter
