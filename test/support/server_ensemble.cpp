#include "support/server_ensemble.hpp"

#include "support/four_letter_word.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <utility>

namespace baton::test {

namespace fs = std::filesystem;
using Direction = FaultProxy::Direction;

namespace {

constexpr const char* kHost = "127.0.0.1";
constexpr int kQuorum = 0;  // link kinds: the quorum (learner) port, the election port
constexpr int kElection = 1;

// Whether nobody listens on (or holds) 127.0.0.1:port now.
bool portFree(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0)
    return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool free = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return free;
}

// Ports base+1..base+3 (client), +4..+6 (quorum), +7..+9 (election), in blocks of 10 from 24800
// (the shared ensemble uses 21811-21813, 22881-22883, 23881-23883); the first block wholly free,
// starting at one picked by the pid so that concurrent test processes rarely probe the same one.
std::uint16_t freePortBlock(std::size_t size) {
  constexpr int kBlocks = 200;
  for (int attempt = 0; attempt < kBlocks; ++attempt) {
    auto base = static_cast<std::uint16_t>(24800 + 10 * ((getpid() + attempt) % kBlocks));
    bool free = true;
    for (std::size_t i = 1; i <= 3 * size && free; ++i)
      free = portFree(static_cast<std::uint16_t>(base + i));
    if (free)
      return base;
  }
  throw std::runtime_error("ServerEnsemble: no free block of ports in 24800-26799");
}

std::string findJava() {
  std::stringstream path(std::getenv("PATH") ? std::getenv("PATH") : "/usr/bin");
  std::string dir;
  while (std::getline(path, dir, ':')) {
    auto candidate = dir + "/java";
    if (::access(candidate.c_str(), X_OK) == 0)
      return candidate;
  }
  throw std::runtime_error("ServerEnsemble: no java on PATH (apt-get install zookeeper)");
}

bool serving(const std::string& mode) {
  return mode == "leader" || mode == "follower" || mode == "standalone";
}

// Waits for pid to exit (reaps it); false at the deadline.
bool reap(pid_t pid, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    auto done = waitpid(pid, &status, WNOHANG);
    if (done == pid || (done < 0 && errno == ECHILD))
      return true;
    if (std::chrono::steady_clock::now() >= deadline)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));  // no event for a child's exit
  }
}

// Polls condition every 50 ms (each poll is a srvr round trip); false at the deadline.
template <typename F>
bool pollUntil(F condition, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

// Socket inodes of a process's open file descriptors.
std::set<std::string> socketInodes(pid_t pid) {
  std::set<std::string> inodes;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec)) {
    auto target = fs::read_symlink(entry.path(), ec).string();
    if (!ec && target.rfind("socket:[", 0) == 0)
      inodes.insert(target.substr(8, target.size() - 9));
  }
  return inodes;
}

}  // namespace

ServerEnsemble::ServerEnsemble(std::size_t size) : ServerEnsemble(size, Timing{}) {}

ServerEnsemble::ServerEnsemble(std::size_t size, Timing timing)
    : timing_(timing), java_(findJava()), servers_(size) {
  if (size < 2)
    throw std::invalid_argument("ServerEnsemble: at least 2 servers");
  if (timing_.tickTime.count() <= 0 || timing_.initLimit < 1 || timing_.syncLimit < 1 ||
      minSessionTimeout() > maxSessionTimeout())
    throw std::invalid_argument(
        "ServerEnsemble: tickTime > 0, initLimit and syncLimit >= 1, "
        "2 * tickTime <= 60 s");
  if (::access("/usr/share/java/zookeeper.jar", R_OK) != 0)
    throw std::runtime_error(
        "ServerEnsemble: /usr/share/java/zookeeper.jar is missing "
        "(apt-get install zookeeper, or run test/zk/ensemble.sh start once)");
  auto base = freePortBlock(size);
  for (std::size_t i = 0; i < size; ++i) {
    servers_[i].clientPort = static_cast<std::uint16_t>(base + 1 + i);
    servers_[i].quorumPort = static_cast<std::uint16_t>(base + 1 + size + i);
    servers_[i].electionPort = static_cast<std::uint16_t>(base + 1 + 2 * size + i);
  }
  // One proxy listener per link from -> to (from != to) and kind, in the order of link().
  std::string upstreams;
  for (std::size_t from = 1; from <= size; ++from) {
    for (std::size_t to = 1; to <= size; ++to) {
      if (from == to)
        continue;
      const auto& target = server(to);
      for (auto port : {target.quorumPort, target.electionPort}) {
        upstreams +=
            (upstreams.empty() ? "" : ",") + std::string(kHost) + ":" + std::to_string(port);
      }
    }
  }
  proxy_ = std::make_unique<FaultProxy>(upstreams);
  // A peer's port that is not bound yet (a leader still starting to lead) refuses in a real
  // network and the connecting server retries; through the proxy it would be a reset instead.
  proxy_->setConnectPatience(
      std::max<std::chrono::milliseconds>(std::chrono::seconds(3), 3 * timing_.tickTime));
  for (std::size_t from = 1; from <= size; ++from) {
    for (std::size_t to = 1; to <= size; ++to) {
      if (from != to) {
        proxy_->rewriteElectionAddress(
            link(from, to, kElection),
            std::string(kHost) + ":" + std::to_string(proxy_->port(link(to, from, kElection))));
      }
    }
  }
  char pattern[] = "/tmp/baton-server-ensemble-XXXXXX";
  if (!::mkdtemp(pattern))
    throw std::runtime_error("ServerEnsemble: mkdtemp failed");
  directory_ = pattern;
  fs::create_directories(directory_ + "/conf");
  std::ofstream(directory_ + "/conf/log4j.properties")
      << "log4j.rootLogger=INFO, CONSOLE\n"
         "log4j.appender.CONSOLE=org.apache.log4j.ConsoleAppender\n"
         "log4j.appender.CONSOLE.layout=org.apache.log4j.PatternLayout\n"
         "log4j.appender.CONSOLE.layout.ConversionPattern="
         "%d{ISO8601} [myid:%X{myid}] - %-5p [%t:%C{1}@%L] - %m%n\n";
  for (std::size_t id = 1; id <= size; ++id)
    writeConfig(id);
}

ServerEnsemble::~ServerEnsemble() {
  for (std::size_t id = 1; id <= size(); ++id) {
    if (server(id).pid > 0)
      kill(id);
  }
  proxy_.reset();
  if (std::getenv("BATON_SERVER_ENSEMBLE_KEEP")) {
    std::fprintf(stderr, "ServerEnsemble: state and logs kept in %s\n", directory_.c_str());
    return;
  }
  std::error_code ignored;
  fs::remove_all(directory_, ignored);
}

std::size_t ServerEnsemble::link(std::size_t from, std::size_t to, int kind) const {
  auto n = size();
  if (from < 1 || from > n || to < 1 || to > n || from == to)
    throw std::out_of_range("ServerEnsemble: no link " + std::to_string(from) + "->" +
                            std::to_string(to));
  return ((from - 1) * (n - 1) + (to < from ? to - 1 : to - 2)) * 2 +
         static_cast<std::size_t>(kind);
}

const ServerEnsemble::Server& ServerEnsemble::server(std::size_t id) const {
  if (id < 1 || id > servers_.size())
    throw std::out_of_range("ServerEnsemble: no server " + std::to_string(id));
  return servers_[id - 1];
}

ServerEnsemble::Server& ServerEnsemble::server(std::size_t id) {
  return const_cast<Server&>(std::as_const(*this).server(id));
}

std::uint16_t ServerEnsemble::clientPort(std::size_t id) const {
  return server(id).clientPort;
}

std::string ServerEnsemble::clientAddress(std::size_t id) const {
  return std::string(kHost) + ":" + std::to_string(clientPort(id));
}

std::string ServerEnsemble::quorum() const {
  std::string out;
  for (std::size_t id = 1; id <= size(); ++id)
    out += (id > 1 ? "," : "") + clientAddress(id);
  return out;
}

std::string ServerEnsemble::logPath(std::size_t id) const {
  return directory_ + "/node" + std::to_string(id) + "/zookeeper.log";
}

void ServerEnsemble::writeConfig(std::size_t id) const {
  auto dir = directory_ + "/node" + std::to_string(id);
  fs::create_directories(dir + "/data");
  std::ofstream(dir + "/data/myid") << id << "\n";
  std::ofstream cfg(dir + "/zoo.cfg");
  cfg << "tickTime=" << timing_.tickTime.count() << "\ninitLimit=" << timing_.initLimit
      << "\nsyncLimit=" << timing_.syncLimit << "\n"
      << "dataDir=" << dir << "/data\n"
      << "clientPortAddress=" << kHost << "\nclientPort=" << clientPort(id) << "\n"
      << "minSessionTimeout=" << minSessionTimeout().count()
      << "\nmaxSessionTimeout=" << maxSessionTimeout().count() << "\nmaxClientCnxns=0\n"
      << "admin.enableServer=false\n4lw.commands.whitelist=mntr,ruok,stat,srvr,conf,cons\n"
      << "autopurge.purgeInterval=0\n";
  for (std::size_t peer = 1; peer <= size(); ++peer) {
    // Itself by its real ports (it binds them); every other server by the proxy's listeners.
    auto quorumPort = peer == id ? server(peer).quorumPort : proxy_->port(link(id, peer, kQuorum));
    auto electionPort =
        peer == id ? server(peer).electionPort : proxy_->port(link(id, peer, kElection));
    cfg << "server." << peer << "=" << kHost << ":" << quorumPort << ":" << electionPort << "\n";
  }
}

void ServerEnsemble::start(std::size_t id) {
  auto& s = server(id);
  if (s.pid > 0)
    return;
  auto dir = directory_ + "/node" + std::to_string(id);
  std::string classpath = directory_ + "/conf:/usr/share/java/zookeeper.jar";
  for (const char* jar : {"slf4j-log4j12.jar", "log4j-1.2.jar"}) {
    auto path = std::string("/usr/share/java/") + jar;
    if (::access(path.c_str(), R_OK) == 0)
      classpath += ":" + path;
  }
  std::vector<std::string> args{java_,
                                "-Xmx128m",
                                "-XX:+UseSerialGC",
                                "-XX:TieredStopAtLevel=1",
                                "-Xshare:auto",
                                "-Dzookeeper.log.dir=" + dir,
                                "-Dzookeeper.root.logger=INFO,CONSOLE",
                                "-Dzookeeper.jmx.log4j.disable=true",
                                "-Dzookeeper.admin.enableServer=false",
                                "-cp",
                                classpath,
                                "org.apache.zookeeper.server.quorum.QuorumPeerMain",
                                dir + "/zoo.cfg"};
  std::vector<char*> argv;
  for (auto& arg : args)
    argv.push_back(arg.data());
  argv.push_back(nullptr);
  int log = ::open(logPath(id).c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (log < 0 || null < 0)
    throw std::runtime_error("ServerEnsemble: cannot open " + logPath(id));
  auto parent = getpid();
  pid_t pid = fork();
  if (pid == 0) {  // only async-signal-safe calls from here to exec
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
      _exit(127);  // the test died before prctl took effect
    ::dup2(null, 0);
    ::dup2(log, 1);
    ::dup2(log, 2);
    ::execv(argv[0], argv.data());
    _exit(127);
  }
  ::close(log);
  ::close(null);
  if (pid < 0)
    throw std::runtime_error("ServerEnsemble: fork failed");
  s.pid = pid;
  s.frozen = false;
}

void ServerEnsemble::startAll(std::chrono::milliseconds timeout) {
  for (std::size_t id = 1; id <= size(); ++id)
    start(id);
  if (!awaitQuorum(timeout))
    throw std::runtime_error("ServerEnsemble: no quorum in time (logs in " + directory_ + ")\n" +
                             describe());
}

void ServerEnsemble::stop(std::size_t id) {
  auto& s = server(id);
  if (s.pid <= 0)
    return;
  ::kill(s.pid, SIGTERM);
  ::kill(s.pid, SIGCONT);  // a frozen server only acts on SIGTERM once it runs
  if (!reap(s.pid, std::chrono::seconds(20))) {
    ::kill(s.pid, SIGKILL);
    reap(s.pid, std::chrono::seconds(20));
  }
  s.pid = -1;
  s.frozen = false;
}

void ServerEnsemble::kill(std::size_t id) {
  auto& s = server(id);
  if (s.pid <= 0)
    return;
  ::kill(s.pid, SIGKILL);
  reap(s.pid, std::chrono::seconds(20));
  s.pid = -1;
  s.frozen = false;
}

void ServerEnsemble::freeze(std::size_t id) {
  auto& s = server(id);
  if (s.pid > 0 && ::kill(s.pid, SIGSTOP) == 0)
    s.frozen = true;
}

void ServerEnsemble::resume(std::size_t id) {
  auto& s = server(id);
  if (s.pid > 0 && ::kill(s.pid, SIGCONT) == 0)
    s.frozen = false;
}

bool ServerEnsemble::running(std::size_t id) const {
  return server(id).pid > 0;
}

std::string ServerEnsemble::mode(std::size_t id) const {
  auto answer = baton::test::fourLetterWord(clientPort(id), "srvr", std::chrono::seconds(1));
  if (answer.empty())
    return "down";
  auto at = answer.find("Mode: ");
  if (at == std::string::npos)
    return "not-serving";  // "This ZooKeeper instance is not currently serving requests"
  auto end = answer.find('\n', at);
  return answer.substr(at + 6, end == std::string::npos ? end : end - at - 6);
}

std::optional<std::size_t> ServerEnsemble::leader() const {
  std::optional<std::size_t> found;
  for (std::size_t id = 1; id <= size(); ++id) {
    if (mode(id) != "leader")
      continue;
    if (found)
      return std::nullopt;
    found = id;
  }
  return found;
}

std::optional<ServerEnsemble::Roles> ServerEnsemble::awaitRoles(
    std::chrono::milliseconds timeout) const {
  auto leader = awaitQuorum(timeout);
  if (!leader)
    return std::nullopt;
  std::size_t follower = *leader == 1 ? 2 : 1;
  return Roles{*leader, follower, 6 - *leader - follower};
}

std::optional<std::size_t> ServerEnsemble::awaitQuorum(std::chrono::milliseconds timeout) const {
  std::optional<std::size_t> leaderId;
  pollUntil(
      [&] {
        leaderId.reset();
        int leaders = 0;
        for (std::size_t id = 1; id <= size(); ++id) {
          const auto& s = server(id);
          if (s.pid <= 0 || s.frozen)
            continue;
          auto m = mode(id);
          if (!serving(m))
            return false;
          if (m == "leader") {
            ++leaders;
            leaderId = id;
          }
        }
        return leaders == 1;
      },
      timeout);
  return leaderId;
}

bool ServerEnsemble::awaitMode(std::size_t id, const std::string& wanted,
                               std::chrono::milliseconds timeout) const {
  return pollUntil([&] { return mode(id) == wanted; }, timeout);
}

bool ServerEnsemble::awaitNotServing(std::size_t id, std::chrono::milliseconds timeout) const {
  return pollUntil([&] { return !serving(mode(id)); }, timeout);
}

std::string ServerEnsemble::describe() const {
  std::string out;
  for (std::size_t id = 1; id <= size(); ++id) {
    const auto& s = server(id);
    out += "server " + std::to_string(id) + " (client port " + std::to_string(s.clientPort) +
           ") pid " + std::to_string(s.pid) + (s.frozen ? " frozen" : "") + ": " +
           (s.frozen ? std::string("-") : mode(id)) + "\n";
  }
  return out;
}

std::string ServerEnsemble::fourLetterWord(std::size_t id, const std::string& word) const {
  return baton::test::fourLetterWord(clientPort(id), word, std::chrono::seconds(1));
}

void ServerEnsemble::hold(std::size_t from, std::size_t to, bool held) {
  for (int kind : {kQuorum, kElection}) {
    // On links from -> to, `from` is the proxy's client; on links to -> from, its server.
    proxy_->setHeld(link(from, to, kind), Direction::toServer, held);
    proxy_->setHeld(link(to, from, kind), Direction::toClient, held);
  }
}

void ServerEnsemble::cut(std::size_t a, std::size_t b) {
  hold(a, b, true);
  hold(b, a, true);
}

void ServerEnsemble::cutOneWay(std::size_t from, std::size_t to) {
  hold(from, to, true);
}

void ServerEnsemble::isolate(std::size_t id) {
  for (std::size_t other = 1; other <= size(); ++other) {
    if (other != id)
      cut(id, other);
  }
}

void ServerEnsemble::heal() {
  for (std::size_t from = 1; from <= size(); ++from) {
    for (std::size_t to = 1; to <= size(); ++to) {
      if (from != to)
        hold(from, to, false);
    }
  }
}

std::vector<std::string> ServerEnsemble::directPeerConnections() const {
  std::set<std::uint16_t> peerPorts;
  for (const auto& s : servers_) {
    peerPorts.insert(s.quorumPort);
    peerPorts.insert(s.electionPort);
  }
  std::vector<std::string> found;
  for (std::size_t id = 1; id <= size(); ++id) {
    const auto& s = server(id);
    if (s.pid <= 0)
      continue;
    auto inodes = socketInodes(s.pid);
    std::ifstream table("/proc/net/tcp");
    std::string line;
    std::getline(table, line);  // header
    while (std::getline(table, line)) {
      // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
      std::stringstream fields(line);
      std::string sl, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
      fields >> sl >> local >> remote >> state >> queues >> timer >> retransmits >> uid >>
          timeout >> inode;
      if (state != "01" || !inodes.count(inode))
        continue;  // 01: ESTABLISHED
      auto port =
          static_cast<std::uint16_t>(std::stoul(remote.substr(remote.find(':') + 1), nullptr, 16));
      if (peerPorts.count(port) && port != s.quorumPort && port != s.electionPort) {
        found.push_back("server " + std::to_string(id) + " connected directly to port " +
                        std::to_string(port));
      }
    }
  }
  return found;
}

std::size_t ServerEnsemble::proxiedConnections(std::size_t a, std::size_t b) const {
  auto inUse = proxy_->serversInUse();
  std::size_t n = 0;
  for (int kind : {kQuorum, kElection})
    n += inUse.count(link(a, b, kind)) + inUse.count(link(b, a, kind));
  return n;
}

ScopedTestQuorum::ScopedTestQuorum(const std::string& quorum) {
  if (const char* old = std::getenv("BATON_TEST_ZK"))
    previous_ = old;
  ::setenv("BATON_TEST_ZK", quorum.c_str(), 1);
}

ScopedTestQuorum::~ScopedTestQuorum() {
  if (previous_)
    ::setenv("BATON_TEST_ZK", previous_->c_str(), 1);
  else
    ::unsetenv("BATON_TEST_ZK");
}

}  // namespace baton::test
