#include "client/zk_event_loop.hpp"

#include <poll.h>
#include <zookeeper/zookeeper.h>

#include <chrono>

namespace baton::zookeeper::detail {

using boost::asio::posix::stream_descriptor;

std::shared_ptr<ZkEventLoop> ZkEventLoop::create(boost::asio::any_io_executor executor) {
  return std::shared_ptr<ZkEventLoop>(new ZkEventLoop(std::move(executor)));
}

ZkEventLoop::ZkEventLoop(boost::asio::any_io_executor executor)
    : descriptor_(executor), timer_(executor) {}

ZkEventLoop::~ZkEventLoop() {
  detach();
}

void ZkEventLoop::attach(zhandle_t* zh, Wake wake) {
  detach();
  zh_ = zh;
  wake_ = std::move(wake);
  rearm();
}

void ZkEventLoop::detach() noexcept {
  endRound();
  zh_ = nullptr;
  wake_ = nullptr;
}

void ZkEventLoop::endRound() noexcept {
  ++round_;
  timer_.cancel();
  if (descriptor_.is_open()) {
    // release(), not close(): the fd belongs to the C client. Pending waits end with
    // operation_aborted and find a newer round.
    (void)descriptor_.release();
  }
  fd_ = -1;
  interest_ = 0;
}

void ZkEventLoop::rearm() {
  if (!zh_ || inWake_)
    return;  // inside wake() the loop re-arms once wake() returns
  endRound();
  int fd = -1;
  int interest = 0;
  timeval tv{};
  int rc = zookeeper_interest(zh_, &fd, &interest, &tv);
  if (rc == ZINVALIDSTATE || rc == ZBADARGUMENTS) {
    return;  // expired or auth failed: the session event has been delivered; nothing to pump
  }
  // Other errors (ZCONNECTIONLOSS, ZOPERATIONTIMEOUT ...) mean the C client dropped the socket
  // and wants to be called again after tv; it already reported what happened.
  std::uint64_t round = round_;
  auto self = weak_from_this();
  auto handler = [self, round](const boost::system::error_code& ec) {
    if (ec == boost::asio::error::operation_aborted)
      return;
    if (auto loop = self.lock())
      loop->onReady(round);
  };
  auto timeout = std::chrono::seconds(tv.tv_sec) + std::chrono::microseconds(tv.tv_usec);
  timer_.expires_after(timeout);
  timer_.async_wait(handler);
  if (fd >= 0 && interest != 0) {
    fd_ = fd;
    interest_ = interest;
    boost::system::error_code ec;
    descriptor_.assign(fd, ec);
    if (ec) {
      fd_ = -1;  // the timer still wakes us; zookeeper_process will notice a broken socket
      return;
    }
    if (interest & ZOOKEEPER_READ)
      descriptor_.async_wait(stream_descriptor::wait_read, handler);
    if (interest & ZOOKEEPER_WRITE)
      descriptor_.async_wait(stream_descriptor::wait_write, handler);
  }
}

void ZkEventLoop::onReady(std::uint64_t round) {
  if (round != round_ || !zh_)
    return;  // an abandoned round
  int events = 0;
  if (fd_ >= 0) {
    // One readiness fired; ask poll() for the full picture, so zookeeper_process sees read and
    // write together and errors (POLLERR/POLLHUP) as the readiness it asked for.
    pollfd p{fd_, 0, 0};
    if (interest_ & ZOOKEEPER_READ)
      p.events |= POLLIN;
    if (interest_ & ZOOKEEPER_WRITE)
      p.events |= POLLOUT;
    if (::poll(&p, 1, 0) > 0) {
      bool failed = (p.revents & (POLLERR | POLLHUP | POLLNVAL)) != 0;
      if ((p.revents & POLLIN) || failed)
        events |= interest_ & ZOOKEEPER_READ;
      if ((p.revents & POLLOUT) || failed)
        events |= interest_ & ZOOKEEPER_WRITE;
    }
  }
  endRound();  // release the descriptor before the C client may close or reopen the socket
  inWake_ = true;
  Wake wake = wake_;  // wake_ must not be destroyed while it runs, whatever wake() does
  wake(events);
  inWake_ = false;
  rearm();
}

}  // namespace baton::zookeeper::detail
