#include <boost/asio/post.hpp>
#include <catch2/catch.hpp>

#include "baton/default_leader_retrieval_service.hpp"
#include "baton/error.hpp"
#include "baton/support/executor_thread.hpp"
#include "baton/support/listener_gate.hpp"
#include "support/recording_contender.hpp"

using namespace baton;
using namespace baton::test;

namespace {

// Reports whatever the test tells it, asynchronously on its own thread.
class TestingRetrievalDriver final : public LeaderRetrievalDriver {
 public:
  explicit TestingRetrievalDriver(Listener& listener) : listener_(listener), thread_("test-rd") {}
  ~TestingRetrievalDriver() override { close(); }
  void report(LeaderInformation info) {
    boost::asio::post(thread_.executor(), [this, info] {
      gate_.invoke([&] { listener_.onLeaderInformationChange(info); });
    });
  }
  void fail() {
    boost::asio::post(thread_.executor(), [this] {
      gate_.invoke([&] {
        listener_.onError(std::system_error(make_error_code(Errc::retrieval_failure), "test"));
      });
    });
  }
  void close() noexcept override {
    gate_.close();
    thread_.stop();
  }

 private:
  Listener& listener_;
  support::ExecutorThread thread_;
  support::ListenerGate gate_;
};

struct Factory final : LeaderRetrievalDriverFactory {
  EventInbox<TestingRetrievalDriver*>& created;
  explicit Factory(EventInbox<TestingRetrievalDriver*>& c) : created(c) {}
  std::unique_ptr<LeaderRetrievalDriver> createDriver(
      LeaderRetrievalDriver::Listener& listener) override {
    auto driver = std::make_unique<TestingRetrievalDriver>(listener);
    created.push(driver.get());
    return driver;
  }
};

}  // namespace

TEST_CASE("the listener is told the first state and then only actual changes") {
  support::ExecutorThread callbacks("cb");
  EventInbox<TestingRetrievalDriver*> created;
  DefaultLeaderRetrievalService service(std::make_unique<Factory>(created), callbacks.executor());
  RecordingRetrievalListener listener;
  service.start(listener);
  auto* driver = created.next();

  driver->report(LeaderInformation::empty());
  auto first = listener.inbox.expectNext<LeaderSeen>();
  CHECK(first.address.empty());
  CHECK(first.id.isDefault());

  auto id = LeaderSessionId::random();
  driver->report(LeaderInformation(id, "host:1"));
  driver->report(LeaderInformation(id, "host:1"));  // repeated: no notification
  driver->report(LeaderInformation::empty());
  auto seen = listener.inbox.expectNext<LeaderSeen>();
  CHECK(seen.address == "host:1");
  CHECK(seen.id == id);
  CHECK(listener.inbox.expectNext<LeaderSeen>().address.empty());

  driver->fail();
  CHECK(listener.inbox.expectNext<RetrievalError>().code == Errc::retrieval_failure);
  CHECK(listener.inbox.empty());
}

TEST_CASE("after stop no notification arrives, and start is once only") {
  support::ExecutorThread callbacks("cb");
  EventInbox<TestingRetrievalDriver*> created;
  DefaultLeaderRetrievalService service(std::make_unique<Factory>(created), callbacks.executor());
  RecordingRetrievalListener listener;
  service.start(listener);
  CHECK_THROWS_AS(service.start(listener), std::logic_error);
  created.next();
  service.stop();
  service.stop();  // idempotent
  CHECK_THROWS_AS(service.start(listener), std::logic_error);
  CHECK(listener.inbox.total() == 0);
}
