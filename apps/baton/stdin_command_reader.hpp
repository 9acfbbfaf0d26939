#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <thread>

namespace baton::cli {

// Reads commands, one per line, from a file descriptor (stdin) on a thread of its own and
// hands each trimmed, non-empty line to onLine; at end of input (or a read error) calls onEof
// once. The callbacks run on the reader's thread: post them where they belong.
//
// A blocking read cannot be interrupted portably, so the thread waits in poll() on the input
// and on a wake-up pipe that stop() writes to: stop() returns promptly even when nobody ever
// types anything (e.g. on SIGTERM), with no detached thread left behind. poll() also works for
// regular files and /dev/null, which Asio's reactor rejects.
//
// Thread-safety: start() once; stop() is idempotent, joins the thread, runs in the destructor,
// and must not be called from onLine/onEof.
class StdinCommandReader {
 public:
  StdinCommandReader(std::function<void(std::string)> onLine, std::function<void()> onEof);
  ~StdinCommandReader();
  StdinCommandReader(const StdinCommandReader&) = delete;
  StdinCommandReader& operator=(const StdinCommandReader&) = delete;

  // Throws std::system_error when the wake-up pipe cannot be created.
  void start(int fd);
  void stop() noexcept;

 private:
  void readLoop(int fd);
  // Appends input and emits every complete line.
  void consume(const char* data, std::size_t size);
  void emitLine(std::string_view line);

  std::function<void(std::string)> onLine_;
  std::function<void()> onEof_;
  std::string pending_;
  int wakeRead_ = -1;
  int wakeWrite_ = -1;
  std::thread thread_;
};

}  // namespace baton::cli
