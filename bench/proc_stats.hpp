#pragma once

// A process's footprint from /proc: resident memory and threads (/proc/<pid>/status) and CPU
// time consumed so far (utime + stime of /proc/<pid>/stat).
#include <sys/types.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

namespace baton::bench {

struct ProcSample {
  long rssKiB = 0;
  int threads = 0;
  double cpuSeconds = 0;
};

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
  std::ifstream statFile(base + "/stat");
  std::string stat((std::istreambuf_iterator<char>(statFile)), std::istreambuf_iterator<char>());
  auto paren = stat.rfind(')');
  if (paren != std::string::npos) {
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
    sample.cpuSeconds =
        static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
  }
  return sample;
}

}  // namespace baton::bench
