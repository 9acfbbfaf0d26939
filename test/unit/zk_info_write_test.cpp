// The choice of fenced write for connection_info (an ephemeral node of the leader's session).
#include <catch2/catch.hpp>

#include "leader_info/zk_info_write.hpp"

using namespace baton::zookeeper;

namespace {
std::error_code rc(int code) {
  return make_error_code(code);
}
}  // namespace

TEST_CASE("the first write follows what is known of the node") {
  CHECK(firstInfoWrite(true, false) == InfoWrite::setData);  // ours: set in place
  CHECK(firstInfoWrite(false, false) == InfoWrite::create);  // absent or unknown
  CHECK(firstInfoWrite(false, true) == InfoWrite::replace);  // another session's, persistent
}

TEST_CASE("a wrong guess moves to the form the servers' answer calls for") {
  CHECK(nextInfoWrite(InfoWrite::setData, {{}, rc(ZNONODE)}) == InfoWrite::create);
  CHECK(nextInfoWrite(InfoWrite::create, {{}, rc(ZNODEEXISTS)}) == InfoWrite::replace);
  CHECK(nextInfoWrite(InfoWrite::replace, {{}, rc(ZNONODE), {}}) == InfoWrite::create);
  CHECK(nextInfoWrite(InfoWrite::replace, {{}, {}, rc(ZNODEEXISTS)}) == InfoWrite::replace);
}

TEST_CASE("a failed fence or an error not about the node ends the attempts") {
  // Deposed: our latch node is gone; nothing may be written.
  CHECK_FALSE(nextInfoWrite(InfoWrite::setData, {rc(ZNONODE), {}}));
  CHECK_FALSE(nextInfoWrite(InfoWrite::create, {rc(ZNONODE), {}}));
  CHECK_FALSE(nextInfoWrite(InfoWrite::replace, {rc(ZNONODE), {}, {}}));
  // Not about the node: retried when the session is back, or reported.
  CHECK_FALSE(nextInfoWrite(InfoWrite::setData, {}));
  CHECK_FALSE(nextInfoWrite(InfoWrite::create, {{}, rc(ZNOAUTH)}));
  CHECK_FALSE(nextInfoWrite(InfoWrite::setData, {{}, rc(ZNODEEXISTS)}));
}
