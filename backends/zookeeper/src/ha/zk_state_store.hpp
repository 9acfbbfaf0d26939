#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "baton/leader_state_store.hpp"
#include "ha/state_write_plan.hpp"

namespace baton::zookeeper {

class ZooKeeperHaServices;

// LeaderStateStore on ZooKeeper: a record is the znode <root>/<cluster-id>/state/<ns>/<key>
// holding the value; its version is the znode's data version. Every write attempt is one
// multi-op that also checks the writer's latch node (ZooKeeperHaServices::fencedWriteOnIo),
// so ZooKeeper applies it only while that leadership lasts; missing parents are created in
// the same multi (state_write_plan.hpp decides the attempts). Reads pass a barrier through
// the ZooKeeper leader first, so they see every write acknowledged before they were called.
//
// Thread-safety: callable from any thread (LeaderStateStore); all ZooKeeper work runs on the
// services' I/O thread and write handlers on their callback executor. Lives inside its
// ZooKeeperHaServices.
class ZkStateStore final : public LeaderStateStore {
 public:
  explicit ZkStateStore(ZooKeeperHaServices& services);

  void asyncPut(const FencingToken& token, std::string_view ns, std::string_view key,
                std::string_view value, WriteExpectation expectation,
                WriteHandler handler) override;
  void asyncErase(const FencingToken& token, std::string_view ns, std::string_view key,
                  WriteExpectation expectation, WriteHandler handler) override;
  void asyncEraseNamespace(const FencingToken& token, std::string_view ns,
                           WriteHandler handler) override;

  std::optional<StoredRecord> get(std::string_view ns, std::string_view key) override;
  std::vector<StoredRecord> list(std::string_view ns) override;
  // A ZkNamespaceWatcher on the I/O thread (ha/zk_namespace_watch.hpp).
  std::unique_ptr<NamespaceWatch> watchNamespace(std::string_view ns,
                                                 ChangeListener listener) override;

 private:
  state::RecordPaths pathsOf(std::string_view ns, std::string_view key) const;
  // False (after delivering Errc::leadership_lost) when the election no longer holds token.
  bool admit(const FencingToken& token, const WriteHandler& handler);
  void finish(const WriteHandler& handler, std::error_code ec, std::int64_t version);
  void putAttempt(FencingToken token, state::RecordPaths paths, std::string value,
                  WriteExpectation expectation, state::PutStep step, int attempt,
                  WriteHandler handler);
  void eraseNamespaceAttempt(FencingToken token, std::string nsPath, int attempt,
                             WriteHandler handler);

  ZooKeeperHaServices& services_;
};

}  // namespace baton::zookeeper
