#pragma once

// A process's footprint from /proc: resident memory and threads (/proc/<pid>/status) and CPU
// time consumed so far (utime + stime of /proc/<pid>/stat), also per thread
// (/proc/<pid>/task/<tid>/stat).
#include <sys/types.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

namespace baton::bench {

struct ProcSample {
  long rssKiB = 0;
  int threads = 0;
  double cpuSeconds = 0;
};

// utime + stime of a /proc/.../stat file, in seconds; 0 if it cannot be read. name receives
// the command (the thread's name for a task).
inline double cpuSecondsOf(const std::string& statPath, std::string* name = nullptr) {
  std::ifstream statFile(statPath);
  std::string stat((std::istreambuf_iterator<char>(statFile)), std::istreambuf_iterator<char>());
  auto open = stat.find('(');
  auto paren = stat.rfind(')');
  if (paren == std::string::npos || open == std::string::npos)
    return 0;
  if (name)
    *name = stat.substr(open + 1, paren - open - 1);
  // After "pid (comm)": state is field 3, utime field 14, stime field 15.
  std::istringstream fields(stat.substr(paren + 2));
  std::string field;
  long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14)
      utime = std::stoll(field);
    if (i == 15)
      stime = std::stoll(field);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

inline ProcSample sampleProcess(pid_t pid) {
  ProcSample sample;
  std::string base = "/proc/" + std::to_string(pid);
  std::ifstream status(base + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0)
      sample.rssKiB = std::stol(line.substr(6));
    else if (line.rfind("Threads:", 0) == 0)
      sample.threads = std::stoi(line.substr(8));
  }
  sample.cpuSeconds = cpuSecondsOf(base + "/stat");
  return sample;
}

// Time on CPU of every live thread of pid, in seconds, from /proc/<pid>/task/*/schedstat (its
// first field, in ns). utime + stime count clock ticks (10 ms): too coarse for an idle process,
// whose whole minute may cost less than one tick.
inline double onCpuSeconds(pid_t pid) {
  double total = 0;
  std::error_code ec;
  std::filesystem::directory_iterator tasks("/proc/" + std::to_string(pid) + "/task", ec);
  for (; !ec && tasks != std::filesystem::directory_iterator(); tasks.increment(ec)) {
    std::ifstream schedstat(tasks->path().string() + "/schedstat");
    long long ns = 0;
    if (schedstat >> ns)
      total += static_cast<double>(ns) / 1e9;
  }
  return total;
}

struct ThreadSample {
  std::string name;
  double cpuSeconds = 0;
};

// Every thread of pid by thread id; empty if the process is gone.
inline std::map<pid_t, ThreadSample> sampleThreads(pid_t pid) {
  std::map<pid_t, ThreadSample> threads;
  std::error_code ec;
  std::filesystem::directory_iterator tasks("/proc/" + std::to_string(pid) + "/task", ec);
  for (; !ec && tasks != std::filesystem::directory_iterator(); tasks.increment(ec)) {
    ThreadSample sample;
    sample.cpuSeconds = cpuSecondsOf(tasks->path().string() + "/stat", &sample.name);
    threads.emplace(static_cast<pid_t>(std::stol(tasks->path().filename().string())), sample);
  }
  return threads;
}

}  // namespace baton::bench
