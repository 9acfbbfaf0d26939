#include "baton/support/executor_thread.hpp"

#include <pthread.h>

#include <optional>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

namespace baton::support {

struct ExecutorThread::State {
  boost::asio::io_context context{1};
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work{
      context.get_executor()};
  std::thread thread;
  std::once_flag stopped;
};

ExecutorThread::ExecutorThread(std::string name) : state_(std::make_shared<State>()) {
  // The thread shares its state: stopped from one of its own handlers it is detached and
  // frees the state itself once its loop has ended.
  state_->thread = std::thread([state = state_, name = std::move(name)] {
    // Linux limits thread names to 15 characters; a name helps in top, gdb and perf.
    pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
    state->context.run();
  });
}

ExecutorThread::~ExecutorThread() {
  stop();
}

boost::asio::any_io_executor ExecutorThread::executor() const {
  return state_->context.get_executor();
}

std::thread::id ExecutorThread::threadId() const noexcept {
  return state_->thread.get_id();
}

void ExecutorThread::stop() noexcept {
  std::call_once(state_->stopped, [this] {
    state_->work.reset();
    // Handlers already queued still run: a queue's final revoke must not be lost.
    if (state_->thread.get_id() == std::this_thread::get_id()) {
      // Stopped from one of its own handlers: joining would deadlock. The loop stops once the
      // handlers queued before this point have run (pending waits would otherwise keep it
      // alive), and the detached thread then releases the state it shares.
      boost::asio::post(state_->context, [state = state_.get()] { state->context.stop(); });
      state_->thread.detach();
      return;
    }
    state_->thread.join();
  });
}

}  // namespace baton::support
