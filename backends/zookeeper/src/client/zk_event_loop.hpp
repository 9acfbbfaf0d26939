#pragma once

#include <cstdint>
#include <functional>
#include <memory>

// GCC 12 reports a false "potential null pointer dereference" inside Asio's scheduler
// (compensating_work_started, inlined from the epoll reactor's descriptor operations) at -O2
// with -Wnull-dereference; the pointer is the current thread's scheduler context, never null.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#pragma GCC diagnostic pop

typedef struct _zhandle zhandle_t;

namespace baton::zookeeper::detail {

// The Asio pump of one single-threaded C client handle:
//   zookeeper_interest(zh, &fd, &interest, &tv)
//   -> wait until fd is readable/writable (as asked) or tv has passed
//   -> wake(events), which runs zookeeper_process(zh, events) -> repeat.
//
// The C client owns its socket and may close it inside any C call (a failed send inside
// zoo_aget, a timeout inside zookeeper_interest) and open a new one that often gets the SAME fd
// number. An epoll registration dies with the old socket, so a descriptor kept assigned across
// calls would wait on a dead registration. Hence each wait assigns the fd afresh and the
// descriptor is release()d (never closed: the fd is the C client's) as soon as the round ends,
// and rearm() must follow every C call that may have changed the socket or the interest (every
// zoo_a* call): it abandons the current round and asks zookeeper_interest again.
//
// Thread-safety: not thread-safe; lives on the client's executor. Handlers of abandoned rounds
// are recognised by a round number and ignored; they hold only a weak reference.
class ZkEventLoop : public std::enable_shared_from_this<ZkEventLoop> {
 public:
  // wake(events): called on the executor with ZOOKEEPER_READ/ZOOKEEPER_WRITE bits (0 when the
  // timeout passed); must call zookeeper_process. The loop re-arms itself afterwards.
  using Wake = std::function<void(int events)>;

  static std::shared_ptr<ZkEventLoop> create(boost::asio::any_io_executor executor);
  ~ZkEventLoop();
  ZkEventLoop(const ZkEventLoop&) = delete;
  ZkEventLoop& operator=(const ZkEventLoop&) = delete;

  void attach(zhandle_t* zh, Wake wake);
  // Abandons the current wait and starts a new round (no-op when detached or inside wake()).
  void rearm();
  // Stops pumping: timer cancelled, descriptor released. Call before zookeeper_close.
  void detach() noexcept;

 private:
  explicit ZkEventLoop(boost::asio::any_io_executor executor);
  void endRound() noexcept;
  void onReady(std::uint64_t round);

  boost::asio::posix::stream_descriptor descriptor_;
  boost::asio::steady_timer timer_;
  zhandle_t* zh_ = nullptr;
  Wake wake_;
  std::uint64_t round_ = 0;  // the current round; handlers of older rounds are ignored
  int fd_ = -1;              // the fd of the current round (-1: only the timer waits)
  int interest_ = 0;
  bool inWake_ = false;
};

}  // namespace baton::zookeeper::detail
