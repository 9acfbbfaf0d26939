#pragma once

#include <zookeeper/zookeeper.h>

#include <memory>

namespace baton::zookeeper::detail {

// zookeeper_close ends the session (the server deletes its ephemeral nodes at once), calls
// every outstanding completion with ZCLOSING, drops the watches without calling them and frees
// the handle. It may block briefly: it flushes the close request (up to 3 s) and waits for the
// server's answer (up to 1.5 s) when connected.
struct ZhandleCloser {
  void operator()(zhandle_t* zh) const noexcept {
    if (zh)
      zookeeper_close(zh);
  }
};

// The C client handle, closed exactly once by its owner.
using ZkHandle = std::unique_ptr<zhandle_t, ZhandleCloser>;

}  // namespace baton::zookeeper::detail
