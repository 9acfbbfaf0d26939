#include "command_loop.hpp"

#include <unistd.h>

#include <cstdio>

#include <boost/asio/post.hpp>

namespace baton::cli {

CommandLoop::CommandLoop()
    : signals_(io_),
      reader_(
          [this](std::string line) {
            boost::asio::post(io_, [this, line = std::move(line)] { dispatch(line); });
          },
          [this] { boost::asio::post(io_, [this] { finish("eof"); }); }) {}

CommandLoop::~CommandLoop() {
  reader_.stop();
}

std::string CommandLoop::run(const Handler& handler) {
  handler_ = &handler;
  signals_.asyncWait([this](int signalNumber) { finish(signalName(signalNumber)); });
  reader_.start(STDIN_FILENO);
  io_.run();
  handler_ = nullptr;
  reader_.stop();
  return quitReason_;
}

void CommandLoop::dispatch(const std::string& command) {
  if (!quitReason_.empty() || handler_ == nullptr)
    return;
  if (!(*handler_)(command))
    finish("quit");
}

void CommandLoop::finish(std::string reason) {
  if (!quitReason_.empty())
    return;
  quitReason_ = std::move(reason);
  signals_.cancel();
  io_.stop();
}

void reportUnknownCommand(const std::string& command, const char* expected) {
  std::fprintf(stderr, "baton: unknown command '%s' (expected: %s)\n", command.c_str(), expected);
}

}  // namespace baton::cli
