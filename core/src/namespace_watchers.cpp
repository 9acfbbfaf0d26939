#include "baton/support/namespace_watchers.hpp"

#include <stdexcept>

#include <boost/asio/post.hpp>

#include "baton/support/listener_gate.hpp"

namespace baton::detail {

struct NamespaceWatchers::Watcher {
  std::string ns;
  boost::asio::any_io_executor executor;
  LeaderStateStore::ChangeListener listener;
  support::ListenerGate gate;
};

class NamespaceWatchers::Handle final : public NamespaceWatch {
 public:
  Handle(std::weak_ptr<NamespaceWatchers> owner, std::uint64_t id, std::shared_ptr<Watcher> watcher)
      : owner_(std::move(owner)), id_(id), watcher_(std::move(watcher)) {}
  ~Handle() override {
    watcher_->gate.close();
    if (auto owner = owner_.lock())
      owner->remove(id_);
  }

 private:
  std::weak_ptr<NamespaceWatchers> owner_;
  std::uint64_t id_;
  std::shared_ptr<Watcher> watcher_;
};

std::unique_ptr<NamespaceWatch> NamespaceWatchers::add(std::string_view ns,
                                                       boost::asio::any_io_executor executor,
                                                       LeaderStateStore::ChangeListener listener) {
  if (!listener)
    throw std::invalid_argument("state store: watching namespace '" + std::string(ns) +
                                "' with an empty listener");
  auto watcher = std::make_shared<Watcher>();
  watcher->ns = std::string(ns);
  watcher->executor = std::move(executor);
  watcher->listener = std::move(listener);
  std::uint64_t id = 0;
  {
    std::lock_guard lock(mutex_);
    id = nextId_++;
    watchers_.emplace(id, watcher);
    post(watcher, NamespaceChange{std::string(ns), {}, true});  // under the lock: first
  }
  return std::make_unique<Handle>(weak_from_this(), id, watcher);
}

void NamespaceWatchers::notify(std::string_view ns, std::vector<std::string> keys, bool relist) {
  std::lock_guard lock(mutex_);
  for (const auto& [id, watcher] : watchers_) {
    if (watcher->ns == ns)
      post(watcher, NamespaceChange{std::string(ns), keys, relist});
  }
}

void NamespaceWatchers::notifyAll() {
  std::lock_guard lock(mutex_);
  for (const auto& [id, watcher] : watchers_)
    post(watcher, NamespaceChange{watcher->ns, {}, true});
}

void NamespaceWatchers::remove(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  watchers_.erase(id);
}

void NamespaceWatchers::post(const std::shared_ptr<Watcher>& watcher, NamespaceChange change) {
  boost::asio::post(watcher->executor, [watcher, change = std::move(change)] {
    watcher->gate.invoke([&] { watcher->listener(change); });
  });
}

}  // namespace baton::detail
