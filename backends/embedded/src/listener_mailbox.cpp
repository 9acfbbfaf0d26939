#include "listener_mailbox.hpp"

#include <exception>

#include <boost/asio/post.hpp>

namespace baton::embedded::detail {

void ListenerMailbox::post(std::function<void()> call) {
  // The handler keeps the mailbox (not the listener) alive: after close() the gate drops the
  // call without touching a listener that may be gone.
  boost::asio::post(strand_,
                    [self = shared_from_this(), call = std::move(call)] { self->run(call); });
}

void ListenerMailbox::run(const std::function<void()>& call) noexcept {
  // An exception escaping a handler would end the delivery thread for every participant.
  try {
    gate_.invoke(call);
  } catch (const std::exception& e) {
    logger_->error("an embedded driver listener threw and the exception was dropped: {}", e.what());
  } catch (...) {
    logger_->error("an embedded driver listener threw a non-standard exception; dropped");
  }
}

}  // namespace baton::embedded::detail
