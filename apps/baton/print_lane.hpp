#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <thread>

#include "event_printer.hpp"

namespace baton::cli {

// Prints events on a thread of its own, in the order posted, so that a thread that must not
// block (the library's I/O thread, reporting through HaMetrics) never waits for stdout.
// At most kMaxPending events wait; more are dropped and counted, and the count is printed as
// `events-dropped` once the lane catches up (only a stdout that stopped draining gets there).
//
// Thread-safety: post() from any thread. The destructor prints what is pending, then joins.
class PrintLane {
 public:
  static constexpr std::size_t kMaxPending = 1024;

  explicit PrintLane(EventPrinter& printer);
  ~PrintLane();
  PrintLane(const PrintLane&) = delete;
  PrintLane& operator=(const PrintLane&) = delete;

  void post(Event event);

 private:
  void run();

  EventPrinter& printer_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Event> pending_;
  std::size_t dropped_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace baton::cli
