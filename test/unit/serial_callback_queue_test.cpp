#include <atomic>
#include <future>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <catch2/catch.hpp>

#include "baton/logging.hpp"
#include "baton/support/serial_callback_queue.hpp"
#include "support/deadline.hpp"

using baton::support::SerialCallbackQueue;

TEST_CASE("callbacks run in order and never concurrently on a thread pool") {
  boost::asio::thread_pool pool(4);
  auto queue = std::make_shared<SerialCallbackQueue>(pool.get_executor(), baton::quietLogger());
  std::atomic<bool> inside{false};
  std::atomic<int> overlaps{0};
  std::vector<int> order;
  constexpr int kCount = 2000;
  for (int i = 0; i < kCount; ++i) {
    queue->post([&, i] {
      if (inside.exchange(true))
        ++overlaps;
      order.push_back(i);
      inside = false;
    });
  }
  std::promise<void> done;
  queue->post([&] { done.set_value(); });
  REQUIRE(done.get_future().wait_for(baton::test::eventTimeout()) == std::future_status::ready);
  CHECK(overlaps == 0);
  REQUIRE(order.size() == kCount);
  for (int i = 0; i < kCount; ++i)
    REQUIRE(order[i] == i);
  pool.join();
}

TEST_CASE("close drops what has not started and runs the last callback on the caller") {
  boost::asio::io_context manual;
  auto queue = std::make_shared<SerialCallbackQueue>(manual.get_executor(), baton::quietLogger());
  int ran = 0;
  queue->post([&] { ++ran; });
  bool lastRan = false;
  queue->close([&] { lastRan = true; });
  CHECK(lastRan);
  CHECK_FALSE(queue->post([&] { ++ran; }));
  manual.poll();
  CHECK(ran == 0);
  queue->close([&] { FAIL("a second close must not run its callback"); });
}

TEST_CASE("close from inside a callback runs the last callback right after it") {
  boost::asio::io_context manual;
  auto queue = std::make_shared<SerialCallbackQueue>(manual.get_executor(), baton::quietLogger());
  std::vector<std::string> log;
  queue->post([&] {
    log.push_back("first");
    queue->close([&] { log.push_back("last"); });
    log.push_back("first ends");
  });
  queue->post([&] { log.push_back("dropped"); });
  manual.poll();
  CHECK(log == std::vector<std::string>{"first", "first ends", "last"});
}

TEST_CASE("runExclusive waits for a running callback and holds later ones back") {
  boost::asio::thread_pool pool(2);
  auto queue = std::make_shared<SerialCallbackQueue>(pool.get_executor(), baton::quietLogger());
  std::promise<void> entered, release;
  auto released = release.get_future().share();
  std::vector<std::string> log;
  std::mutex logMutex;
  auto note = [&](std::string s) {
    std::lock_guard lock(logMutex);
    log.push_back(std::move(s));
  };
  queue->post([&] {
    note("callback starts");
    entered.set_value();
    released.wait();
    note("callback ends");
  });
  entered.get_future().wait();
  auto exclusive =
      std::async(std::launch::async, [&] { queue->runExclusive([&] { note("exclusive"); }); });
  release.set_value();
  exclusive.get();
  std::promise<void> later;
  queue->post([&] {
    note("later");
    later.set_value();
  });
  REQUIRE(later.get_future().wait_for(baton::test::eventTimeout()) == std::future_status::ready);
  CHECK(log == std::vector<std::string>{"callback starts", "callback ends", "exclusive", "later"});
  pool.join();
}

TEST_CASE("a throwing callback does not stop the queue") {
  boost::asio::io_context manual;
  auto queue = std::make_shared<SerialCallbackQueue>(manual.get_executor(), baton::quietLogger());
  bool after = false;
  queue->post([] { throw std::runtime_error("boom"); });
  queue->post([&] { after = true; });
  manual.poll();
  CHECK(after);
}
