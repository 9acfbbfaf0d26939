#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

#include "baton/leader_state_store.hpp"

namespace baton::detail {

// The namespace watches of the in-memory stores (standalone, embedded): who watches which
// namespace, and the delivery of each change to its listener on that watcher's executor
// (posted, through a ListenerGate, so no lock is held while a listener runs and none runs
// after its watch was destroyed). The stores call notify() after a write was applied.
//
// Thread-safety: every method may be called from any thread. Handles may outlive this object
// (they hold it weakly).
class NamespaceWatchers : public std::enable_shared_from_this<NamespaceWatchers> {
 public:
  // Posts the initial relist event, then every change of ns until the handle is destroyed.
  std::unique_ptr<NamespaceWatch> add(std::string_view ns, boost::asio::any_io_executor executor,
                                      LeaderStateStore::ChangeListener listener);
  // Posts {ns, keys} (or relist) to every watcher of ns.
  void notify(std::string_view ns, std::vector<std::string> keys, bool relist);
  // Posts relist to every watcher (the data was cleaned up).
  void notifyAll();

 private:
  struct Watcher;
  class Handle;
  void remove(std::uint64_t id);
  static void post(const std::shared_ptr<Watcher>& watcher, NamespaceChange change);

  std::mutex mutex_;
  std::map<std::uint64_t, std::shared_ptr<Watcher>> watchers_;
  std::uint64_t nextId_ = 1;
};

}  // namespace baton::detail
