#include "stdin_command_reader.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <system_error>
#include <utility>

namespace baton::cli {
namespace {

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos)
    return {};
  const auto last = text.find_last_not_of(" \t\r");
  return std::string(text.substr(first, last - first + 1));
}

}  // namespace

StdinCommandReader::StdinCommandReader(std::function<void(std::string)> onLine,
                                       std::function<void()> onEof)
    : onLine_(std::move(onLine)), onEof_(std::move(onEof)) {}

StdinCommandReader::~StdinCommandReader() {
  stop();
}

void StdinCommandReader::start(int fd) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    throw std::system_error(errno, std::generic_category(), "pipe2 for the stdin reader");
  }
  wakeRead_ = fds[0];
  wakeWrite_ = fds[1];
  thread_ = std::thread([this, fd] { readLoop(fd); });
}

void StdinCommandReader::stop() noexcept {
  if (!thread_.joinable())
    return;
  const char wake = 'x';
  // A failed write leaves the pipe as it was; the reader also ends at end of input.
  [[maybe_unused]] const auto written = write(wakeWrite_, &wake, 1);
  thread_.join();
  close(wakeRead_);
  close(wakeWrite_);
  wakeRead_ = wakeWrite_ = -1;
}

void StdinCommandReader::readLoop(int fd) {
  std::array<char, 4096> buffer{};
  for (;;) {
    std::array<pollfd, 2> fds{pollfd{fd, POLLIN, 0}, pollfd{wakeRead_, POLLIN, 0}};
    if (poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR)
        continue;
      break;
    }
    if (fds[1].revents != 0)
      return;  // stop(): no onEof, the owner is already leaving
    if (fds[0].revents == 0)
      continue;
    const ssize_t n = read(fd, buffer.data(), buffer.size());
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
      continue;
    if (n <= 0)
      break;
    consume(buffer.data(), static_cast<std::size_t>(n));
  }
  if (!pending_.empty())
    emitLine(std::exchange(pending_, {}));
  onEof_();
}

void StdinCommandReader::consume(const char* data, std::size_t size) {
  pending_.append(data, size);
  std::size_t start = 0;
  for (auto newline = pending_.find('\n'); newline != std::string::npos;
       newline = pending_.find('\n', start)) {
    emitLine(std::string_view(pending_).substr(start, newline - start));
    start = newline + 1;
  }
  pending_.erase(0, start);
}

void StdinCommandReader::emitLine(std::string_view line) {
  std::string command = trim(line);
  if (!command.empty())
    onLine_(std::move(command));
}

}  // namespace baton::cli
