#include "zk_tree.hpp"

#include <zookeeper/zookeeper.h>

#include "baton/zookeeper/zk_error.hpp"
#include "election/latch_state_machine.hpp"

namespace baton::zookeeper {
namespace {

bool isNoNode(const std::error_code& ec) {
  return ec == make_error_code(ZNONODE);
}

// Counts down the completions of a fan-out and keeps the first error.
struct Join {
  std::size_t remaining;
  std::error_code firstError;
  std::function<void(std::error_code)> done;
  void complete(std::error_code ec) {
    if (ec && !firstError)
      firstError = ec;
    if (--remaining == 0)
      done(firstError);
  }
};

}  // namespace

void deleteTree(const std::shared_ptr<ZkConnection>& connection, const std::string& path,
                std::function<void(std::error_code)> done) {
  connection->client().getChildren(
      path, nullptr,
      [connection, path, done](std::error_code ec, const std::vector<std::string>& children) {
        if (isNoNode(ec))
          return done({});
        if (ec)
          return done(ec);
        auto removeSelf = [connection, path, done](std::error_code childError) {
          if (childError)
            return done(childError);
          connection->client().removeNode(
              path, -1, [done](std::error_code e) { done(isNoNode(e) ? std::error_code() : e); });
        };
        if (children.empty())
          return removeSelf({});
        auto join = std::make_shared<Join>(Join{children.size(), {}, removeSelf});
        for (const auto& child : children) {
          deleteTree(connection, path + "/" + child,
                     [join](std::error_code e) { join->complete(e); });
        }
      });
}

void deleteEmptyParents(const std::shared_ptr<ZkConnection>& connection, const std::string& path,
                        const std::string& stopAt, std::function<void(std::error_code)> done) {
  auto slash = path.rfind('/');
  if (path == stopAt || slash == 0 || slash == std::string::npos || stopAt == "/") {
    return done({});
  }
  auto parent = path.substr(0, slash);
  connection->client().removeNode(parent, -1,
                                  [connection, parent, stopAt, done](std::error_code ec) {
                                    if (ec == make_error_code(ZNOTEMPTY))
                                      return done({});  // someone else still uses it
                                    if (ec && !isNoNode(ec))
                                      return done(ec);
                                    deleteEmptyParents(connection, parent, stopAt, done);
                                  });
}

void readParticipants(const std::shared_ptr<ZkConnection>& connection, const std::string& latchDir,
                      std::function<void(std::error_code, std::vector<ParticipantData>)> done) {
  connection->client().getChildren(
      latchDir, nullptr,
      [connection, latchDir, done](std::error_code ec, const std::vector<std::string>& children) {
        if (isNoNode(ec))
          return done({}, {});
        if (ec)
          return done(ec, {});
        auto sorted = LatchStateMachine::sortLatchNodes(children);
        if (sorted.empty())
          return done({}, {});
        auto result = std::make_shared<std::vector<ParticipantData>>(sorted.size());
        auto join = std::make_shared<Join>(Join{
            sorted.size(), {}, [result, done](std::error_code) { done({}, std::move(*result)); }});
        for (std::size_t i = 0; i < sorted.size(); ++i) {
          auto name = sorted[i];
          connection->client().getData(
              latchDir + "/" + name, nullptr,
              [result, join, i, name](std::error_code e, const std::string& data, const ZkStat&) {
                auto decoded = e ? std::nullopt : decodeParticipant(data);
                (*result)[i] = decoded.value_or(ParticipantData{name, ""});
                join->complete({});
              });
        }
      });
}

}  // namespace baton::zookeeper
