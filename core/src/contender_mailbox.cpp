#include "contender_mailbox.hpp"

#include <algorithm>

namespace baton::detail {

template <typename Kind>
bool ContenderMailbox::removeWaiting() {
  auto it = std::find_if(events_.begin(), events_.end(),
                         [](const Event& e) { return std::holds_alternative<Kind>(e); });
  if (it == events_.end())
    return false;
  events_.erase(it);
  return true;
}

void ContenderMailbox::grant(const LeaderSessionId& id) {
  removeWaiting<Grant>();
  events_.emplace_back(Grant{id});
}

void ContenderMailbox::revoke() {
  if (removeWaiting<Grant>())
    return;
  for (const auto& e : events_) {
    if (std::holds_alternative<Revoke>(e))
      return;
  }
  events_.emplace_back(Revoke{});
}

bool ContenderMailbox::error(const ErrorCopy& error) {
  bool replaced = removeWaiting<Error>();
  events_.emplace_back(Error{error});
  return replaced;
}

std::optional<ContenderMailbox::Event> ContenderMailbox::take() {
  if (events_.empty())
    return std::nullopt;
  Event e = std::move(events_.front());
  events_.pop_front();
  return e;
}

}  // namespace baton::detail
