#include "lease_watchdog.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <system_error>

namespace baton::cli {
namespace {

constexpr char kHeartbeat = 'h';
constexpr char kStandDown = 'x';

[[noreturn]] void watch(int readEnd, pid_t group, int windowMs) {
  for (int sig : {SIGINT, SIGTERM, SIGHUP})
    ::signal(sig, SIG_IGN);
  sigset_t none;
  ::sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  for (;;) {
    pollfd fd{.fd = readEnd, .events = POLLIN, .revents = 0};
    const int ready = ::poll(&fd, 1, windowMs);
    if (ready < 0 && errno == EINTR)
      continue;
    if (ready == 0)
      break;  // no proof of leadership for a whole window
    char buffer[64];
    const ssize_t n = ::read(readEnd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;  // `baton run` is gone without standing down
    for (ssize_t i = 0; i < n; ++i) {
      if (buffer[i] == kStandDown)
        ::_exit(0);
    }
  }
  ::kill(-group, SIGKILL);
  ::_exit(0);
}

}  // namespace

LeaseWatchdog::LeaseWatchdog(pid_t commandGroup, std::chrono::milliseconds window) {
  // A socket pair rather than a pipe: send() with MSG_NOSIGNAL, so that a heartbeat to a
  // helper that has already exited (it killed the group) is an EPIPE, not a SIGPIPE that
  // would kill `baton run` itself.
  int ends[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) != 0)
    throw std::system_error(errno, std::generic_category(), "baton run: watchdog socket");
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int error = errno;
    ::close(ends[0]);
    ::close(ends[1]);
    throw std::system_error(error, std::generic_category(), "baton run: watchdog fork");
  }
  if (pid == 0) {
    // Only the read end may stay open here: an inherited other end of its own socket pair would
    // keep the helper from seeing `baton run` die.
    ::dup2(ends[0], 3);
    ::close_range(4, ~0U, 0);
    watch(3, commandGroup, static_cast<int>(window.count()));
  }
  ::close(ends[0]);
  writeEnd_ = ends[1];
  pid_ = pid;
}

LeaseWatchdog::~LeaseWatchdog() {
  standDown();
}

void LeaseWatchdog::heartbeat() noexcept {
  if (writeEnd_ >= 0)
    (void)::send(writeEnd_, &kHeartbeat, 1, MSG_NOSIGNAL | MSG_DONTWAIT);
}

void LeaseWatchdog::standDown() noexcept {
  if (writeEnd_ < 0)
    return;
  // A full buffer drops this byte; closing then reads as EOF, which kills a group that was
  // reaped already (no such process): harmless.
  (void)::send(writeEnd_, &kStandDown, 1, MSG_NOSIGNAL | MSG_DONTWAIT);
  ::close(writeEnd_);
  writeEnd_ = -1;
}

}  // namespace baton::cli
