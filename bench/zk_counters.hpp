#pragma once

// ZooKeeper request counters for the herd benchmark.
//  - serverRequests(): the servers' own total (mntr zk_packets_received summed over the
//    quorum). Counts every client of the ensemble, this benchmark's four-letter words too.
//  - ownRequests(): only the connections of this process, from the servers' `stat` listing
//    (one line per connection with its `recved` count), matched by local port against this
//    process's sockets. Other engineers' or tests' traffic on a shared ensemble is left out.
//  - connectionCounts(pids): `recved` and `sent` of the connections of the given processes
//    (this one, or `baton elect` children). Every request gets exactly one reply, so once
//    the replies are in, sent - recved over a window is the watch notifications the servers
//    delivered to those connections in it (pings are a request and a reply: they cancel).
#include <dirent.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/zk_test_env.hpp"

namespace baton::bench {

inline long long serverRequests() {
  return test::mntrSum("zk_packets_received");
}

// Socket inodes a process holds ("self" or a pid of a child of this process).
inline void addSocketInodes(const std::string& process, std::set<unsigned long>& inodes) {
  const std::string fdDir = "/proc/" + process + "/fd";
  DIR* dir = ::opendir(fdDir.c_str());
  if (!dir)
    return;
  while (dirent* entry = ::readdir(dir)) {
    std::string link = fdDir + "/" + entry->d_name;
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
}

// Local ports of the TCP connections of these processes (IPv4 loopback is all the ensemble
// uses; the children share this process's network namespace, hence its table).
inline std::set<int> localPortsOf(const std::vector<std::string>& processes) {
  std::set<unsigned long> inodes;
  for (const auto& process : processes)
    addSocketInodes(process, inodes);
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

inline std::set<int> ownLocalPorts() {
  return localPortsOf({"self"});
}

struct ConnectionCounts {
  long long recved = 0;  // requests the servers received on these connections
  long long sent = 0;    // replies and watch notifications they sent on them
};

// `recved` and `sent` of each connection with one of these local ports, as the servers of the
// quorum list them in `stat`.
inline std::map<int, ConnectionCounts> countsByPort(const std::set<int>& ports) {
  std::map<int, ConnectionCounts> counts;
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
      auto sent = line.find("sent=");
      if (line.rfind(" /", 0) != 0 || colon == std::string::npos || recved == std::string::npos ||
          sent == std::string::npos)
        continue;
      int local = std::stoi(line.substr(colon + 1));
      if (ports.count(local)) {
        counts[local].recved += std::stoll(line.substr(recved + 7));
        counts[local].sent += std::stoll(line.substr(sent + 5));
      }
    }
  }
  return counts;
}

inline ConnectionCounts connectionCounts(const std::set<int>& ports) {
  ConnectionCounts sum;
  for (const auto& [port, counts] : countsByPort(ports)) {
    sum.recved += counts.recved;
    sum.sent += counts.sent;
  }
  return sum;
}

// Sum of `recved` over this process's connections, as the servers of the quorum list them.
inline long long ownRequests() {
  return connectionCounts(ownLocalPorts()).recved;
}

}  // namespace baton::bench
