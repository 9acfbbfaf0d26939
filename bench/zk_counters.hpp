#pragma once

// ZooKeeper request counters for the herd benchmark.
//  - serverRequests(): the servers' own total (mntr zk_packets_received summed over the
//    quorum). Counts every client of the ensemble, this benchmark's four-letter words too.
//  - ownRequests(): only the connections of this process, from the servers' `stat` listing
//    (one line per connection with its `recved` count), matched by local port against this
//    process's sockets. Other engineers' or tests' traffic on a shared ensemble is left out.
#include <dirent.h>
#include <unistd.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "support/zk_test_env.hpp"

namespace baton::bench {

inline long long serverRequests() {
  return test::mntrSum("zk_packets_received");
}

// Socket inodes this process holds.
inline std::set<unsigned long> ownSocketInodes() {
  std::set<unsigned long> inodes;
  DIR* dir = ::opendir("/proc/self/fd");
  if (!dir)
    return inodes;
  while (dirent* entry = ::readdir(dir)) {
    std::string link = std::string("/proc/self/fd/") + entry->d_name;
    char target[128];
    auto n = ::readlink(link.c_str(), target, sizeof target - 1);
    if (n <= 0)
      continue;
    target[n] = '\0';
    unsigned long inode = 0;
    if (std::sscanf(target, "socket:[%lu]", &inode) == 1)
      inodes.insert(inode);
  }
  ::closedir(dir);
  return inodes;
}

// Local ports of this process's TCP connections (IPv4 loopback is all the ensemble uses).
inline std::set<int> ownLocalPorts() {
  auto inodes = ownSocketInodes();
  std::set<int> ports;
  std::ifstream table("/proc/self/net/tcp");
  std::string line;
  std::getline(table, line);  // header
  while (std::getline(table, line)) {
    std::istringstream fields(line);
    std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout;
    unsigned long inode = 0;
    fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >>
        timeout >> inode;
    if (inodes.count(inode))
      ports.insert(std::stoi(local.substr(local.find(':') + 1), nullptr, 16));
  }
  return ports;
}

// Sum of `recved` over this process's connections, as the servers of the quorum list them.
inline long long ownRequests() {
  auto ports = ownLocalPorts();
  long long sum = 0;
  std::stringstream servers(test::zkQuorum());
  std::string server;
  while (std::getline(servers, server, ',')) {
    int port = std::stoi(server.substr(server.rfind(':') + 1));
    std::stringstream lines(test::fourLetterWord(port, "stat"));
    std::string line;
    //  /127.0.0.1:47746[1](queued=0,recved=12,sent=12)
    while (std::getline(lines, line)) {
      auto colon = line.find(':');
      auto recved = line.find("recved=");
      if (line.rfind(" /", 0) != 0 || colon == std::string::npos || recved == std::string::npos)
        continue;
      if (ports.count(std::stoi(line.substr(colon + 1))))
        sum += std::stoll(line.substr(recved + 7));
    }
  }
  return sum;
}

}  // namespace baton::bench
