#include <zookeeper/zookeeper.h>

#include <catch2/catch.hpp>
#include <map>
#include <string>

#include "baton/error.hpp"
#include "baton/zookeeper/zk_error.hpp"

using baton::zookeeper::isRetryable;
using baton::zookeeper::make_error_code;
using baton::zookeeper::zkError;
using baton::zookeeper::zkErrorName;

namespace {

// Every ZOO_ERRORS value of zookeeper.h 3.8 and whether a plain retry may succeed.
const std::map<int, bool>& expectedRetryable() {
  static const std::map<int, bool> table = {
      {ZSYSTEMERROR, true},
      {ZRUNTIMEINCONSISTENCY, true},  // the C client's "unexpected server response"
      {ZDATAINCONSISTENCY, false},
      {ZCONNECTIONLOSS, true},
      {ZMARSHALLINGERROR, false},
      {ZUNIMPLEMENTED, false},
      {ZOPERATIONTIMEOUT, true},
      {ZBADARGUMENTS, false},
      {ZINVALIDSTATE, false},
      {ZNEWCONFIGNOQUORUM, true},
      {ZRECONFIGINPROGRESS, true},
      {ZSSLCONNECTIONERROR, true},
      {ZAPIERROR, false},
      {ZNONODE, false},
      {ZNOAUTH, false},
      {ZBADVERSION, false},
      {ZNOCHILDRENFOREPHEMERALS, false},
      {ZNODEEXISTS, false},
      {ZNOTEMPTY, false},
      {ZSESSIONEXPIRED, false},
      {ZINVALIDCALLBACK, false},
      {ZINVALIDACL, false},
      {ZAUTHFAILED, false},
      {ZCLOSING, false},
      {ZNOTHING, false},
      {ZSESSIONMOVED, true},
      {ZNOTREADONLY, true},
      {ZEPHEMERALONLOCALSESSION, false},
      {ZNOWATCHER, false},
      {ZRECONFIGDISABLED, false},
      {ZSESSIONCLOSEDREQUIRESASLAUTH, false},
      {ZTHROTTLEDOP, true},
  };
  return table;
}

}  // namespace

TEST_CASE("the zookeeper category names codes and their meaning") {
  auto ec = make_error_code(ZNONODE);
  CHECK(std::string(ec.category().name()) == "zookeeper");
  CHECK(ec.message() == "ZNONODE: node does not exist");
  CHECK(make_error_code(ZNOAUTH).message().rfind("ZNOAUTH: ", 0) == 0);
  CHECK(make_error_code(ZSESSIONEXPIRED).message() == "ZSESSIONEXPIRED: session expired");
  CHECK_FALSE(make_error_code(ZOK));  // ZOK is success, an empty code
  CHECK(zkErrorName(ZBADVERSION) == "ZBADVERSION");
  CHECK(zkErrorName(-999) == "ZUNKNOWN(-999)");
  CHECK(make_error_code(-999).message() == "ZUNKNOWN(-999): unknown ZooKeeper error");
  CHECK(make_error_code(42).message() == "ZUNKNOWN(42): unknown ZooKeeper error");
}

TEST_CASE("isRetryable covers every ZOO_ERRORS value") {
  for (const auto& [code, retryable] : expectedRetryable()) {
    INFO(zkErrorName(code));
    CHECK(isRetryable(make_error_code(code)) == retryable);
    CHECK(zkErrorName(code).rfind("ZUNKNOWN", 0) == std::string::npos);
  }
  // Exhaustive against the library: every code zerror() knows is in the table above.
  for (int code = -300; code <= 0; ++code) {
    if (std::string(zerror(code)) == "unknown error" || code == ZOK)
      continue;
    INFO("code " << code << " (" << zerror(code) << ") is missing from the table");
    CHECK(expectedRetryable().count(code) == 1);
  }
}

TEST_CASE("isRetryable on other categories") {
  CHECK_FALSE(isRetryable({}));
  CHECK(isRetryable(baton::make_error_code(baton::Errc::timed_out)));
  CHECK(isRetryable(baton::make_error_code(baton::Errc::connection_suspended)));
  CHECK_FALSE(isRetryable(baton::make_error_code(baton::Errc::session_expired)));
  CHECK_FALSE(isRetryable(baton::make_error_code(baton::Errc::leadership_lost)));
  CHECK_FALSE(isRetryable(std::make_error_code(std::errc::connection_refused)));
  CHECK_FALSE(isRetryable(make_error_code(-999)));
}

TEST_CASE("zkError names the operation, the path and the code") {
  std::system_error e = zkError(ZNOAUTH, "/baton/secret", "getData");
  CHECK(e.code() == make_error_code(ZNOAUTH));
  std::string what = e.what();
  CHECK(what.find("getData '/baton/secret'") != std::string::npos);
  CHECK(what.find("ZNOAUTH") != std::string::npos);
}
