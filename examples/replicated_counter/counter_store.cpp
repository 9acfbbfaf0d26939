#include "counter_store.hpp"

#include <chrono>
#include <stdexcept>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "baton/error.hpp"

namespace counter {

CounterStore::CounterStore(boost::asio::any_io_executor executor, baton::LeaderStateStore& store)
    : executor_(executor), store_(store), reader_(std::make_unique<WorkerThread>()) {}

CounterStore::~CounterStore() {
  close();
}

void CounterStore::close() noexcept {
  *alive_ = false;
  if (reader_)
    reader_->stop();  // waits for a read in progress; its handler finds alive_ false
}

void CounterStore::read(ReadHandler handler) {
  readAttempt(std::move(handler), 0);
}

void CounterStore::readAttempt(ReadHandler handler, int attempt) {
  boost::asio::post(reader_->executor(), [this, alive = alive_, handler, attempt] {
    std::error_code ec;
    std::optional<baton::StoredRecord> record;
    try {
      record = store_.get(kNamespace, kKey);
    } catch (const std::system_error& e) {
      ec = e.code();
    } catch (const std::logic_error&) {
      ec = make_error_code(baton::Errc::not_started);  // the services are closing
    }
    boost::asio::post(executor_, [this, alive, handler, attempt, ec, record] {
      if (!*alive)
        return;
      if (ec && attempt < 50) {
        auto timer =
            std::make_shared<boost::asio::steady_timer>(executor_, std::chrono::milliseconds(200));
        timer->async_wait([this, alive, timer, handler, attempt](boost::system::error_code) {
          if (*alive)
            readAttempt(handler, attempt + 1);
        });
        return;
      }
      if (ec)
        return handler(ec, CounterLog{}, -1);
      if (!record)
        return handler({}, CounterLog{}, -1);
      auto log = CounterLog::decode(record->value);
      if (!log)
        return handler(make_error_code(baton::Errc::malformed_leader_information), {}, -1);
      handler({}, std::move(*log), record->version);
    });
  });
}

void CounterStore::write(const baton::FencingToken& token, const CounterLog& log,
                         std::int64_t version, WriteHandler handler) {
  auto expectation =
      version < 0 ? baton::WriteExpectation::absent() : baton::WriteExpectation::version(version);
  auto data = log.encode();
  if (data.size() > baton::LeaderStateStore::kMaxValueBytes) {
    // The log outgrew one record: refuse the increment rather than throw out of the server.
    return boost::asio::post(executor_, [handler, version] {
      handler(std::make_error_code(std::errc::file_too_large), version);
    });
  }
  // The handler runs on the services' callback executor: the same io_context as ours.
  store_.asyncPut(token, kNamespace, kKey, data, expectation,
                  [alive = alive_, handler](std::error_code ec, std::int64_t newVersion) {
                    if (*alive)
                      handler(ec, newVersion);
                  });
}

}  // namespace counter
