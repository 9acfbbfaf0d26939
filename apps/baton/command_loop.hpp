#pragma once

#include <functional>
#include <string>

#include <boost/asio/io_context.hpp>

#include "shutdown_signals.hpp"
#include "stdin_command_reader.hpp"

namespace baton::cli {

// The main thread's loop of an interactive command: stdin commands and shutdown signals,
// handled one at a time on the thread that calls run().
//
// Create it before joining an election: its signal handlers are installed by the constructor,
// so a SIGTERM that arrives while the election starts ends run() as soon as it is called.
//
// Thread-safety: construct, run() and destroy on one thread.
class CommandLoop {
 public:
  // Handles one command line; returns false to quit.
  using Handler = std::function<bool(const std::string& command)>;

  CommandLoop();
  ~CommandLoop();
  CommandLoop(const CommandLoop&) = delete;
  CommandLoop& operator=(const CommandLoop&) = delete;

  // Reads stdin and dispatches commands until the handler returns false, stdin ends, or
  // SIGINT/SIGTERM arrives. Returns why it stopped: "quit", "eof", "SIGINT" or "SIGTERM".
  // Call once.
  std::string run(const Handler& handler);

 private:
  void dispatch(const std::string& command);
  void finish(std::string reason);

  boost::asio::io_context io_;
  ShutdownSignals signals_;
  StdinCommandReader reader_;
  const Handler* handler_ = nullptr;
  std::string quitReason_;
};

// Prints "baton: unknown command '<command>' (expected: <expected>)" on stderr.
void reportUnknownCommand(const std::string& command, const char* expected);

}  // namespace baton::cli
