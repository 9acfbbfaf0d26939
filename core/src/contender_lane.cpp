#include "contender_lane.hpp"

#include <type_traits>
#include <variant>

namespace baton::detail {

std::shared_ptr<ContenderLane> ContenderLane::create(
    LeaderContender& contender, GrantCheck stillCurrent,
    const std::optional<boost::asio::any_io_executor>& executor, std::string name,
    std::shared_ptr<spdlog::logger> logger) {
  std::unique_ptr<support::ExecutorThread> thread;
  if (!executor)
    thread = std::make_unique<support::ExecutorThread>("baton:" + name);
  auto where = executor ? *executor : thread->executor();
  // The constructor is private: create() is the only way to a lane, and it is always shared.
  return std::shared_ptr<ContenderLane>(new ContenderLane(contender, std::move(stillCurrent),
                                                          std::move(where), std::move(thread),
                                                          std::move(name), std::move(logger)));
}

ContenderLane::ContenderLane(LeaderContender& contender, GrantCheck stillCurrent,
                             boost::asio::any_io_executor executor,
                             std::unique_ptr<support::ExecutorThread> thread, std::string name,
                             std::shared_ptr<spdlog::logger> logger)
    : channel_(contender),
      stillCurrent_(std::move(stillCurrent)),
      name_(std::move(name)),
      logger_(std::move(logger)),
      thread_(std::move(thread)),
      queue_(std::make_shared<support::SerialCallbackQueue>(std::move(executor), logger_)) {}

ContenderLane::~ContenderLane() {
  // Normally closed already; a lane dropped unclosed delivers nothing more. Its thread is
  // joined by the ExecutorThread's destructor (or ends by itself if this runs on it).
  queue_->close(nullptr);
}

void ContenderLane::grant(const LeaderSessionId& id) {
  std::lock_guard lock(mutex_);
  if (closed_)
    return;
  mailbox_.grant(id);
  scheduleLocked();
}

void ContenderLane::revoke() {
  std::lock_guard lock(mutex_);
  if (closed_)
    return;
  mailbox_.revoke();
  scheduleLocked();
}

void ContenderLane::error(const std::system_error& error) {
  std::lock_guard lock(mutex_);
  if (closed_)
    return;
  if (mailbox_.error(ErrorCopy(error))) {
    logger_->warn("an earlier error for '{}' was still undelivered; only the latest is: {}", name_,
                  error.what());
  }
  scheduleLocked();
}

void ContenderLane::runExclusive(const std::function<void()>& fn) {
  queue_->runExclusive(fn);
}

void ContenderLane::post(std::function<void()> fn) {
  {
    std::lock_guard lock(mutex_);
    if (closed_)
      return;
  }
  queue_->post(std::move(fn));
}

bool ContenderLane::inCallback() const {
  return queue_->inCallback();
}

void ContenderLane::close(std::function<void()> after) noexcept {
  {
    std::lock_guard lock(mutex_);
    if (closed_)
      return;
    closed_ = true;
    mailbox_.clear();
  }
  // The final callback holds the lane: closed from inside a callback, it runs after that
  // callback returns, when the registry may have let go of the lane already.
  queue_->close([self = shared_from_this(), after = std::move(after)] {
    self->channel_.deliverRevoke();
    if (after)
      after();
  });
  if (thread_)
    thread_->stop();
}

void ContenderLane::scheduleLocked() {
  if (scheduled_ || mailbox_.empty())
    return;
  // Weak: events still waiting when a lane is dropped unclosed must not keep it alive.
  scheduled_ = queue_->post([weak = weak_from_this()] {
    if (auto self = weak.lock())
      self->deliverNext();
  });
}

void ContenderLane::deliverNext() {
  std::optional<ContenderMailbox::Event> event;
  {
    std::lock_guard lock(mutex_);
    scheduled_ = false;
    if (closed_)
      return;
    event = mailbox_.take();
    scheduleLocked();  // the next one runs after this one: the queue is serial
  }
  if (!event)
    return;
  std::visit(
      [this](auto& e) {
        using Kind = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<Kind, ContenderMailbox::Grant>) {
          // Re-checked here: leadership may have ended (a lease ran out while the process was
          // frozen) before the driver's revoke arrived. The revoke then finds no delivered
          // grant and is dropped too.
          if (stillCurrent_(e.id))
            channel_.deliverGrant(e.id);
        } else if constexpr (std::is_same_v<Kind, ContenderMailbox::Revoke>) {
          channel_.deliverRevoke();
        } else {
          channel_.deliverError(e.error.rebuild());
        }
      },
      *event);
}

}  // namespace baton::detail
