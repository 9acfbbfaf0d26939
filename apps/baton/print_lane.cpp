#include "print_lane.hpp"

#include <string>
#include <utility>

namespace baton::cli {

PrintLane::PrintLane(EventPrinter& printer) : printer_(printer), thread_([this] { run(); }) {}

PrintLane::~PrintLane() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void PrintLane::post(Event event) {
  {
    const std::lock_guard lock(mutex_);
    if (pending_.size() >= kMaxPending) {
      ++dropped_;
      return;
    }
    pending_.push_back(std::move(event));
  }
  wake_.notify_one();
}

void PrintLane::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
    if (pending_.empty())
      return;  // stopping, and everything posted was printed
    Event event = std::move(pending_.front());
    pending_.pop_front();
    const std::size_t dropped = pending_.empty() ? std::exchange(dropped_, 0) : 0;
    lock.unlock();  // print without the lock: post() never waits for stdout
    printer_.print(event);
    if (dropped > 0)
      printer_.print(
          Event{.name = "events-dropped", .fields = {{"count", std::to_string(dropped)}}});
    lock.lock();
  }
}

}  // namespace baton::cli
