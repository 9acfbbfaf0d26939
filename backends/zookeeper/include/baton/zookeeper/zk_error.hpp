#pragma once

#include <string>
#include <system_error>

namespace baton::zookeeper {

// The std::error_category "zookeeper" for the C client's ZOO_ERRORS codes (ZNONODE, ...).
// message() is "<name>: <meaning>", e.g. "ZNONODE: node does not exist".
const std::error_category& zookeeperCategory() noexcept;

// A ZOO_ERRORS return code as an error code of zookeeperCategory(); ZOK gives an empty code.
std::error_code make_error_code(int zkRc) noexcept;

// The symbolic name of a ZOO_ERRORS code ("ZNONODE"), "ZUNKNOWN(<n>)" for other values.
std::string zkErrorName(int zkRc);

// Whether the operation that failed with ec may succeed when simply tried again (on the same
// session, after a backoff): connection loss, timeouts, throttling, a moved session. Semantic
// errors (ZNONODE, ZNODEEXISTS, ZBADVERSION ...), ZSESSIONEXPIRED (needs a new session, not a
// retry), authentication and ACL failures, API misuse and ZCLOSING are not. Covers every
// ZOO_ERRORS value, plus baton::Errc::timed_out and connection_suspended (retryable). Any other
// category: false.
bool isRetryable(std::error_code ec) noexcept;

// A std::system_error for a failed ZooKeeper call on path; what() names the operation, the path
// and the code, e.g. "create '/baton/latch': ZNONODE: node does not exist".
std::system_error zkError(int rc, const std::string& path, const std::string& what);

}  // namespace baton::zookeeper
