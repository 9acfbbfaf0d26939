#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "support/fault_proxy.hpp"

namespace baton::test {

// A ZooKeeper ensemble owned by one test, for faults BETWEEN the servers: Debian's
// /usr/share/java/zookeeper.jar started with java (as test/zk/ensemble.sh does; by default with
// its settings: tickTime=100, initLimit=100, syncLimit=20; see Timing), on 127.0.0.1, with
// its own ports (a free block from 24801 up, never the shared ensemble's) and its state in a
// temporary directory removed at the end (BATON_SERVER_ENSEMBLE_KEEP=1 keeps it for the logs).
//
// Every quorum and election connection between two servers goes through a FaultProxy owned by
// the ensemble: server i's zoo.cfg names server j (j != i) by the proxy's listeners for the
// link i->j, and itself by its real ports. ZooKeeper 3.8 keeps each server's own view (with
// reconfigEnabled=false it neither stores nor applies the leader's NEWLEADER configuration:
// "Dynamic reconfig is disabled, we don't store the last seen config."), so followers reach
// the leader through the proxy. Election connections are kept only when opened by the larger
// id; the smaller one's attempt makes the larger connect back to the address the smaller sent
// in its initial message (its real port): the proxy rewrites that address to its listener for
// the link back (FaultProxy::rewriteElectionAddress). directPeerConnections() checks that no
// connection between servers bypasses the proxy. The proxy retries a refused upstream for up
// to 3 s or 3 ticks (FaultProxy::setConnectPatience) instead of resetting the accepted connection:
// else a follower that connects before its new leader has bound its port gives up following
// ("Exception when following the leader ... Connection reset by peer") and the leader waits
// initLimit ticks for an epoch from a quorum.
//
// Faults, by server id (1..size, ZooKeeper's myid):
//   cut(i, j)            nothing flows between i and j, either way, on any connection
//   cutOneWay(from, to)  bytes from `from` to `to` are held on every connection between them,
//                        whichever side opened it; the other way flows. No new connection can
//                        be established between them meanwhile (a handshake needs both ways).
//   isolate(i)           cut from every other server; heal() undoes every cut.
// Held bytes are delivered on heal if both ends still hold the connection (like TCP
// retransmitting); connections opened during a cut are reset on heal.
// Processes, by the pid the ensemble recorded (never by name): start, stop (SIGTERM), kill
// (SIGKILL), freeze (SIGSTOP), resume (SIGCONT). Servers die with the test process
// (PR_SET_PDEATHSIG, tied to the thread that started them: start them from the test's thread).
//
// Threads: not thread-safe; use it from the test's thread. Destruction kills every server it
// started, closes the proxy and removes the state directory.
class ServerEnsemble {
 public:
  // zoo.cfg's timing. A follower that hears nothing from its leader for syncLimit ticks stops
  // following (and the leader drops it likewise); a learner has initLimit ticks to connect and
  // sync. Sessions may last minSessionTimeout = 2 ticks (ZooKeeper's default) to 60 s; expiry
  // times are rounded up to the next multiple of tickTime, and the leader pings each learner
  // every tickTime/2 (a follower relays its sessions' renewals only in its replies).
  struct Timing {
    std::chrono::milliseconds tickTime{100};
    int initLimit = 100;
    int syncLimit = 20;
  };

  explicit ServerEnsemble(std::size_t size = 3);
  ServerEnsemble(std::size_t size, Timing timing);
  ~ServerEnsemble();
  ServerEnsemble(const ServerEnsemble&) = delete;
  ServerEnsemble& operator=(const ServerEnsemble&) = delete;

  std::size_t size() const { return servers_.size(); }
  std::uint16_t clientPort(std::size_t id) const;
  // "127.0.0.1:<client port of id>": a quorum of that one server, for a client pinned to it.
  std::string clientAddress(std::size_t id) const;
  // Every server's client address, comma-separated.
  std::string quorum() const;
  const std::string& directory() const { return directory_; }
  std::string logPath(std::size_t id) const;
  const Timing& timing() const { return timing_; }
  // zoo.cfg's minSessionTimeout and maxSessionTimeout.
  std::chrono::milliseconds minSessionTimeout() const { return 2 * timing_.tickTime; }
  static constexpr std::chrono::milliseconds maxSessionTimeout() {
    return std::chrono::milliseconds(60000);
  }

  // Starts every server and waits until they serve with one leader; throws at the deadline.
  void startAll(std::chrono::milliseconds timeout);
  void start(std::size_t id);  // does not wait; see awaitServing
  void stop(std::size_t id);   // SIGTERM (SIGCONT too, if frozen); waits for the exit
  void kill(std::size_t id);   // SIGKILL; waits for the exit
  void freeze(std::size_t id);
  void resume(std::size_t id);
  bool running(std::size_t id) const;

  // "leader", "follower", "standalone", "not-serving" (up, but in no quorum: LOOKING) or
  // "down" (no answer to srvr on its client port within a second).
  std::string mode(std::size_t id) const;
  // The id of the server that says it leads, if exactly one does.
  std::optional<std::size_t> leader() const;
  // Waits until every running, unfrozen server serves and exactly one leads; returns the
  // leader's id, or nullopt at the deadline.
  std::optional<std::size_t> awaitQuorum(std::chrono::milliseconds timeout) const;
  // Who is who once a quorum stands (3 servers): the ZooKeeper leader, the follower F the
  // faults target, and the other follower (for clients no fault may touch).
  struct Roles {
    std::size_t leader;
    std::size_t follower;
    std::size_t other;
  };
  // awaitQuorum, then the roles; nullopt at the deadline.
  std::optional<Roles> awaitRoles(std::chrono::milliseconds timeout) const;
  // Waits until mode(id) == mode; false at the deadline.
  bool awaitMode(std::size_t id, const std::string& mode, std::chrono::milliseconds timeout) const;
  // Waits until server id stops serving (mode neither leader nor follower); false at the deadline.
  bool awaitNotServing(std::size_t id, std::chrono::milliseconds timeout) const;
  // One line per server: id, pid, mode.
  std::string describe() const;
  // A four-letter word's answer from server id's client port ("" when nothing answers within a
  // second). Allowed: mntr, ruok, stat, srvr, conf, cons (cons: one line per client
  // connection with its session id, last operation and last response time).
  std::string fourLetterWord(std::size_t id, const std::string& word) const;

  void cut(std::size_t a, std::size_t b);
  void cutOneWay(std::size_t from, std::size_t to);
  void isolate(std::size_t id);
  void heal();

  // Established TCP connections of the servers' processes to another server's real quorum or
  // election port (should be none: all such traffic goes through the proxy), described.
  std::vector<std::string> directPeerConnections() const;
  // How many of the proxy's four links between the two servers (quorum and election, each
  // way) carry at least one open connection.
  std::size_t proxiedConnections(std::size_t a, std::size_t b) const;

 private:
  struct Server {
    std::uint16_t clientPort = 0;
    std::uint16_t quorumPort = 0;
    std::uint16_t electionPort = 0;
    pid_t pid = -1;
    bool frozen = false;
  };

  std::size_t link(std::size_t from, std::size_t to, int kind) const;  // proxy listener index
  void hold(std::size_t from, std::size_t to, bool held);
  void writeConfig(std::size_t id) const;
  const Server& server(std::size_t id) const;
  Server& server(std::size_t id);

  Timing timing_;
  std::string directory_;
  std::string java_;
  std::vector<Server> servers_;
  std::unique_ptr<FaultProxy> proxy_;
};

// Points BATON_TEST_ZK, where AdminClient (support/zk_test_env.hpp) reads its quorum when it is
// constructed, at `quorum` (e.g. a ServerEnsemble's, or one of its servers) for this object's
// lifetime; restores the previous value (or unsets it) on destruction. Construct AdminClients
// while it lives; one at a time per process (the environment is the process's).
class ScopedTestQuorum {
 public:
  explicit ScopedTestQuorum(const std::string& quorum);
  ~ScopedTestQuorum();
  ScopedTestQuorum(const ScopedTestQuorum&) = delete;
  ScopedTestQuorum& operator=(const ScopedTestQuorum&) = delete;

 private:
  std::optional<std::string> previous_;
};

}  // namespace baton::test
