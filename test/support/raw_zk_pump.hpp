#pragma once

// Drives a raw single-threaded ZooKeeper C handle (zookeeper_interest / poll /
// zookeeper_process) until a condition holds, for tests that act on the servers outside
// ZkClient (a second handle on a session, an admin with other credentials). The C client has
// no other signal, so this is an fd-event loop bounded by a deadline.
#include <poll.h>
#include <zookeeper/zookeeper.h>

#include <algorithm>
#include <chrono>

#include <catch2/catch.hpp>

#include "support/deadline.hpp"

namespace baton::test {

template <typename Done>
void pumpRawHandle(zhandle_t* zh, Done isDone) {
  auto deadline = std::chrono::steady_clock::now() + eventTimeout();
  while (!isDone()) {
    REQUIRE(std::chrono::steady_clock::now() < deadline);
    int fd = -1;
    int interest = 0;
    timeval tv{};
    zookeeper_interest(zh, &fd, &interest, &tv);
    pollfd p{fd, 0, 0};
    if (interest & ZOOKEEPER_READ)
      p.events |= POLLIN;
    if (interest & ZOOKEEPER_WRITE)
      p.events |= POLLOUT;
    int waitMs = static_cast<int>(std::min<long>(tv.tv_sec * 1000 + tv.tv_usec / 1000, 100));
    ::poll(fd >= 0 ? &p : nullptr, fd >= 0 ? 1 : 0, waitMs);
    int events = 0;
    if (p.revents & (POLLIN | POLLERR | POLLHUP))
      events |= ZOOKEEPER_READ;
    if (p.revents & (POLLOUT | POLLERR | POLLHUP))
      events |= ZOOKEEPER_WRITE;
    zookeeper_process(zh, events);
  }
}

}  // namespace baton::test
