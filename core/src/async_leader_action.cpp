#include "baton/support/async_leader_action.hpp"

#include <exception>
#include <memory>
#include <utility>

#include "baton/error.hpp"

namespace baton::support {

namespace {

// The promise of one request; completing it with leadership_lost when destroyed unrun is what
// turns "the queue dropped the task" into an answer instead of a broken promise.
class Outcome {
 public:
  Outcome(std::function<void()> action, std::function<bool()> stillLeading)
      : action_(std::move(action)), stillLeading_(std::move(stillLeading)) {}
  ~Outcome() {
    if (!done_)
      promise_.set_value(make_error_code(Errc::leadership_lost));
  }
  Outcome(const Outcome&) = delete;
  Outcome& operator=(const Outcome&) = delete;

  std::future<std::error_code> future() { return promise_.get_future(); }

  void run() {
    if (done_)
      return;
    done_ = true;
    if (!stillLeading_()) {
      promise_.set_value(make_error_code(Errc::leadership_lost));
      return;
    }
    try {
      action_();
      promise_.set_value({});
    } catch (...) {
      promise_.set_exception(std::current_exception());
    }
  }

 private:
  std::function<void()> action_;
  std::function<bool()> stillLeading_;
  std::promise<std::error_code> promise_;
  bool done_ = false;
};

}  // namespace

AsyncLeaderAction makeAsyncLeaderAction(std::function<void()> action,
                                        std::function<bool()> stillLeading) {
  auto outcome = std::make_shared<Outcome>(std::move(action), std::move(stillLeading));
  auto result = outcome->future();
  return {[outcome] { outcome->run(); }, std::move(result)};
}

std::future<std::error_code> leadershipLostFuture() {
  std::promise<std::error_code> promise;
  promise.set_value(make_error_code(Errc::leadership_lost));
  return promise.get_future();
}

}  // namespace baton::support
