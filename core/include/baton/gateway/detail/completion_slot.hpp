#pragma once

#include <memory>
#include <type_traits>
#include <utility>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>

// Not API: see gateway_retriever_state.hpp.
namespace baton::gateway::detail {

// A move-only, type-erased completion handler of signature void(Args...), as produced by
// boost::asio::async_initiate for a callback, use_future or use_awaitable. It remembers the
// executor the handler must run on (its associated executor, else the fallback) and keeps that
// executor's work count up until it completes, so an io_context with nothing else to do keeps
// running while a caller waits.
//
// complete() always posts: the handler never runs inside the retriever's strand or call, so
// user code never runs under the retriever's state. Completing twice is a no-op. Destroying an
// uncompleted slot destroys the handler without calling it (only at shutdown of the executor).
template <typename... Args>
class CompletionSlot {
 public:
  CompletionSlot() = default;

  template <typename Handler, typename Fallback>
  CompletionSlot(Handler&& handler, const Fallback& fallback) {
    using H = std::decay_t<Handler>;
    auto executor = boost::asio::get_associated_executor(handler, fallback);
    impl_ = std::make_unique<Impl<H, decltype(executor)>>(std::forward<Handler>(handler), executor);
  }

  explicit operator bool() const noexcept { return impl_ != nullptr; }

  void complete(Args... args) {
    if (!impl_)
      return;
    auto impl = std::move(impl_);
    impl->complete(std::move(args)...);
  }

 private:
  struct Base {
    virtual ~Base() = default;
    virtual void complete(Args... args) = 0;
  };

  template <typename Handler, typename Executor>
  struct Impl final : Base {
    Impl(Handler h, const Executor& executor) : handler(std::move(h)), work(executor) {}
    void complete(Args... args) override {
      auto executor = work.get_executor();
      boost::asio::post(executor, [h = std::move(handler), ... a = std::move(args)]() mutable {
        std::move(h)(std::move(a)...);
      });
      work.reset();
    }
    Handler handler;
    boost::asio::executor_work_guard<Executor> work;
  };

  std::unique_ptr<Base> impl_;
};

}  // namespace baton::gateway::detail
