#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <spdlog/logger.h>

#include "baton/leader_information.hpp"
#include "baton/zookeeper/zk_paths.hpp"
#include "zk_connection.hpp"

namespace baton::zookeeper {

// Writes, deletes and watches the connection_info znodes of a leading participant.
// Every write is a multi-op that also checks the latch node that made us leader (the fence),
// so a deposed leader's write fails and changes nothing. Bytes equal to what is stored are
// never rewritten. What is stored is watched and reported, so the service can heal it.
//
// Thread-safety: none; lives on the connection's executor. Create through std::make_shared.
class ZkLeaderStore : public std::enable_shared_from_this<ZkLeaderStore> {
 public:
  using StoredCallback =
      std::function<void(const std::string& componentId, const LeaderInformation& stored)>;

  ZkLeaderStore(std::shared_ptr<ZkConnection> connection, ZkPaths paths,
                std::shared_ptr<spdlog::logger> logger, StoredCallback onStored);

  // The latch node that makes us leader; nullopt when we do not lead.
  void setFence(std::optional<std::string> latchPath) { fence_ = std::move(latchPath); }
  void publish(const std::string& componentId, const LeaderInformation& info);
  void remove(const std::string& componentId);
  // A new session: the old watches are gone and what we knew of the store may be stale.
  void onNewSession();
  // The same session is back: writes that failed with a connection error are retried.
  void onResumed();
  void close() { closed_ = true; }

 private:
  struct Component {
    std::optional<std::string> storedBytes;   // as last read or written by us
    std::optional<std::string> pendingBytes;  // a write to retry after reconnecting
    bool watchArmed = false;
  };
  enum class WriteKind { setData, create };

  void write(const std::string& componentId, const std::string& bytes, const std::string& fence,
             WriteKind kind);
  void onWritten(const std::string& componentId, const std::string& bytes, const std::string& fence,
                 WriteKind kind, std::error_code error, const std::vector<ZkOpResult>& results);
  void armWatch(const std::string& componentId);
  void onRead(const std::string& componentId, std::error_code error, const std::string& data);

  std::shared_ptr<ZkConnection> connection_;
  ZkPaths paths_;
  std::shared_ptr<spdlog::logger> logger_;
  StoredCallback onStored_;
  std::optional<std::string> fence_;
  std::map<std::string, Component> components_;
  bool closed_ = false;
};

}  // namespace baton::zookeeper
