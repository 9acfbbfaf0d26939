#include "command_process.hpp"

#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <system_error>

extern char** environ;

namespace baton::cli {
namespace {

std::string nameOf(const std::string& entry) {
  return entry.substr(0, entry.find('='));
}

// Everything is built before fork: between fork and exec only async-signal-safe calls are
// allowed in a multithreaded program.
std::vector<std::string> environmentWith(const std::vector<std::string>& extra) {
  std::vector<std::string> out;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry(*e);
    bool overridden = false;
    for (const auto& x : extra)
      overridden = overridden || nameOf(x) == nameOf(entry);
    if (!overridden)
      out.push_back(entry);
  }
  out.insert(out.end(), extra.begin(), extra.end());
  return out;
}

std::vector<char*> pointersTo(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings)
    out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

[[noreturn]] void execChild(pid_t parent, char** argv, char** envp, const char* cannotExec) {
  ::setpgid(0, 0);
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent)  // the parent died before the death signal was armed
    ::_exit(128 + SIGKILL);
  // The command starts with default dispositions and nothing blocked, whatever baton's own
  // signal handling set up (handled signals are reset by exec, ignored and blocked ones not).
  for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGCHLD})
    ::signal(sig, SIG_DFL);
  sigset_t none;
  ::sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  ::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
  ::execvpe(argv[0], argv, envp);
  const int error = errno;
  (void)::write(STDERR_FILENO, cannotExec, std::strlen(cannotExec));
  (void)::write(STDERR_FILENO, std::strerror(error), std::strlen(std::strerror(error)));
  (void)::write(STDERR_FILENO, "\n", 1);
  ::_exit(127);
}

}  // namespace

pid_t spawnCommand(const std::vector<std::string>& argv,
                   const std::vector<std::string>& extraEnvironment) {
  std::vector<std::string> args = argv;
  std::vector<std::string> env = environmentWith(extraEnvironment);
  auto argPointers = pointersTo(args);
  auto envPointers = pointersTo(env);
  const std::string cannotExec = "baton run: cannot execute '" + argv.at(0) + "': ";
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0)
    throw std::system_error(errno, std::generic_category(), "baton run: fork");
  if (pid == 0)
    execChild(parent, argPointers.data(), envPointers.data(), cannotExec.c_str());
  // Also set here: a signal to the group right after fork must not miss the child.
  ::setpgid(pid, pid);
  return pid;
}

int exitCodeOf(int waitStatus) noexcept {
  if (WIFEXITED(waitStatus))
    return WEXITSTATUS(waitStatus);
  if (WIFSIGNALED(waitStatus))
    return 128 + WTERMSIG(waitStatus);
  return 1;
}

}  // namespace baton::cli
