#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support/recording_contender.hpp"

namespace baton::test {

// One line of `baton elect --json`.
struct ElectEvent {
  std::string event;
  std::string sessionId;  // "" for null
  std::string reason;
  long long tsUs = 0;
  std::string raw;
};

// The value of a top-level JSON field in one line printed by the baton tool ("" for null or
// missing). The tool prints flat objects with string, number and null values only.
inline std::string jsonField(const std::string& line, const std::string& key) {
  auto at = line.find("\"" + key + "\":");
  if (at == std::string::npos)
    return "";
  auto pos = at + key.size() + 3;
  if (line.compare(pos, 4, "null") == 0)
    return "";
  if (line[pos] != '"') {
    auto end = line.find_first_of(",}", pos);
    return line.substr(pos, end - pos);
  }
  std::string value;
  for (++pos; pos < line.size() && line[pos] != '"'; ++pos) {
    if (line[pos] == '\\' && pos + 1 < line.size())
      ++pos;
    value.push_back(line[pos]);
  }
  return value;
}

// A `baton elect --json` process: its events as they are printed, its stdin for commands,
// and signals by pid (only this process, never by name).
class ElectProcess {
 public:
  // command: "elect", or another command that prints the same JSON lines ("watch").
  ElectProcess(std::string name, const std::vector<std::string>& extraArgs,
               const std::string& command = "elect")
      : name_(std::move(name)) {
    int in[2], out[2];
    if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0)
      throw std::runtime_error("pipe");
    std::vector<std::string> args{BATON_CLI_PATH, command, "--json", "--id", name_};
    args.insert(args.end(), extraArgs.begin(), extraArgs.end());
    pid_ = fork();
    if (pid_ < 0)
      throw std::runtime_error("fork");
    if (pid_ == 0) {
      dup2(in[0], 0);
      dup2(out[1], 1);
      // Nothing else of the test process may live on in the child: a fault proxy's sockets
      // (Asio opens accepted sockets without O_CLOEXEC) held open by a `baton elect` started
      // later kept the proxy's resets from reaching the client (no RST while another process
      // still has the socket open), which looked like a C client reporting resets late.
      ::close_range(3, ~0U, 0);
      std::vector<char*> argv;
      for (auto& a : args)
        argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(in[0]);
    close(out[1]);
    stdin_ = in[1];
    reader_ = std::thread([this, fd = out[0]] { readLines(fd); });
  }
  ~ElectProcess() {
    if (running()) {
      ::kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (stdin_ >= 0)
      close(stdin_);
    reader_.join();
  }

  const std::string& name() const { return name_; }
  pid_t pid() const { return pid_; }

  void send(const std::string& line) {
    auto text = line + "\n";
    if (write(stdin_, text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
      throw std::runtime_error(name_ + ": cannot write to stdin");
    }
  }
  void signal(int sig) { ::kill(pid_, sig); }

  // Skips events until one named `event` arrives.
  ElectEvent await(const std::string& event, std::chrono::milliseconds timeout = eventTimeout()) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0)
        throw std::runtime_error(name_ + ": no '" + event + "' event in time");
      auto e = inbox_.next(left);
      if (e.event == event)
        return e;
    }
  }

  // Waits for the process to exit; returns its exit status (128+signal when killed).
  int wait(std::chrono::milliseconds timeout = eventTimeout()) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));  // no event for process exit
    }
    throw std::runtime_error(name_ + ": did not exit in time");
  }
  void killNow() {
    ::kill(pid_, SIGKILL);
    wait();
  }

  std::vector<ElectEvent> history() const {
    std::lock_guard lock(mutex_);
    return history_;
  }

 private:
  bool running() {
    if (exited_)
      return false;
    return waitpid(pid_, nullptr, WNOHANG) == 0;
  }
  void readLines(int fd) {
    std::string buffer;
    char chunk[4096];
    ssize_t n;
    while ((n = read(fd, chunk, sizeof chunk)) > 0) {
      buffer.append(chunk, static_cast<std::size_t>(n));
      std::size_t nl;
      while ((nl = buffer.find('\n')) != std::string::npos) {
        auto line = buffer.substr(0, nl);
        buffer.erase(0, nl + 1);
        ElectEvent e{jsonField(line, "event"), jsonField(line, "session_id"),
                     jsonField(line, "reason"), 0, line};
        auto ts = jsonField(line, "ts_us");
        if (!ts.empty())
          e.tsUs = std::stoll(ts);
        {
          std::lock_guard lock(mutex_);
          history_.push_back(e);
        }
        inbox_.push(std::move(e));
      }
    }
    close(fd);
  }

  std::string name_;
  pid_t pid_ = -1;
  int stdin_ = -1;
  bool exited_ = false;
  std::thread reader_;
  EventInbox<ElectEvent> inbox_;
  mutable std::mutex mutex_;
  std::vector<ElectEvent> history_;
};

// A leadership interval [granted, revoked) of one process, from its own log (one machine, one
// clock); built by LeadershipTimeline.
struct LeaderInterval {
  std::string who;
  long long fromUs;
  long long toUs;
};

// A description of the first overlap between intervals of different processes, "" if none.
inline std::string firstOverlap(const std::vector<LeaderInterval>& all) {
  for (std::size_t i = 0; i < all.size(); ++i) {
    for (std::size_t j = i + 1; j < all.size(); ++j) {
      const auto& a = all[i];
      const auto& b = all[j];
      if (a.who != b.who && a.fromUs < b.toUs && b.fromUs < a.toUs) {
        return a.who + " [" + std::to_string(a.fromUs) + "," + std::to_string(a.toUs) + ") and " +
               b.who + " [" + std::to_string(b.fromUs) + "," + std::to_string(b.toUs) + ")";
      }
    }
  }
  return "";
}

inline long long nowUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace baton::test
