#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace baton::test {

// A TCP proxy in front of each ZooKeeper server, for fault injection between ONE client and
// the ensemble: hand quorum() to the client under test, then change what the network does.
//
//   pass       forward both directions (after the configured delay, if any)
//   blackhole  a partition: keep every connection open and accept new ones, forward nothing in
//              either direction; what was sent waits (like TCP retransmitting) until pass;
//              connections accepted during the partition are reset on pass (their handshake
//              would never have completed)
//   reset      close every connection (RST) and close each new one at once, until the mode changes
//   delay      per direction, added before each forwarded chunk
//
// Per direction, on top of the mode (setHeld): hold the bytes going one way only (to the server
// or to the client) on every connection of a server, while the other way flows: a one-way
// partition. Held bytes wait like blackholed ones. A connection accepted while either way is
// held is not connected upstream (a TCP handshake needs both ways) and is reset once neither
// way is held. blackhole is both ways held, whatever setHeld says.
//
// One-shot, protocol-aware: loseNextCreateReply() forwards the next create request (ZooKeeper
// framing: length prefix; create=1, create2=15, createContainer=19, createTTL=21) whose path
// contains a given text, then drops the server's reply to it and resets that client connection:
// the client never learns the name of the node the server created. A create the servers
// refuse (e.g. ZNONODE before its parents exist) created nothing: its reply flows and the
// next matching create is the one.
//
// Protocol-aware, per request type (the opcode in a client's RequestHeader), on every client
// connection (injectOnRequest): for a request of that type, optionally only one whose bytes
// contain a given text,
//   loseReply      forward it, then drop the server's reply and reset that connection: the
//                  server acted, the client never hears how (like loseNextCreateReply)
//   dropAndReset   never forward it and reset the connection: the server never sees it
//   unimplemented  answer as ZooKeeper 3.4 answers an opcode it does not know
//                  (UnimplementedRequestProcessor): ReplyHeader{xid, zxid -1, err -6
//                  ZUNIMPLEMENTED}, then close the connection; the request is not forwarded
// A rule set with once=true applies to the first matching request only. Requests of each type
// are counted (requestsSeen) whether forwarded or not. While a rule is armed, bytes to the
// servers are forwarded packet by packet, so the requests before a matching one still go.
//
// Protocol-aware, for proxies between ZooKeeper servers (test/support/server_ensemble.hpp):
// rewriteElectionAddress(server, address) replaces the election address that ZooKeeper's
// QuorumCnxManager sends in the initial message of every new connection to that server's
// election port ({int64 protocol version -65535/-65536, int64 sid, int32 length, "host:port"
// [|...]}). The server with the larger id drops a connection from a smaller one and connects
// back to the address in that message, which would bypass the proxy; the rewrite points it at
// the proxy's own listener for the way back.
//
// Threads: the proxy runs on a thread of its own. Every method may be called from any thread;
// mode changes are in effect when the call returns. Listens on 127.0.0.1 (ephemeral ports),
// forwards only to the given upstream addresses. Destruction closes every connection.
class FaultProxy {
 public:
  enum class Mode { pass, blackhole, reset };
  enum class Direction { toServer, toClient };

  // upstreams: "host:port[,host:port...]" (numeric IPv4 hosts), e.g. BATON_TEST_ZK.
  explicit FaultProxy(const std::string& upstreams);
  ~FaultProxy();
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  // "127.0.0.1:<port>,..." in the order of the upstreams.
  std::string quorum() const;
  std::uint16_t port(std::size_t server) const;
  std::size_t servers() const;

  void setMode(Mode mode);  // every server
  void setMode(std::size_t server, Mode mode);
  void setDelay(std::chrono::milliseconds toServer, std::chrono::milliseconds toClient);
  // Holds (or releases) one direction of every connection of one server; see above.
  void setHeld(std::size_t server, Direction direction, bool held);

  // While an upstream refuses a new connection, keep retrying it (every 50 ms) for up to
  // `patience` before resetting the client's connection (default 0: reset at once, "the server
  // is down"). The proxy has accepted the client already, so a refusal would otherwise look like
  // a reset after connecting: ZooKeeper's Learner retries a refused connect to a leader that is
  // still binding its port, but gives up following on a reset.
  void setConnectPatience(std::chrono::milliseconds patience);

  // Rewrites the election address in ZooKeeper's initial quorum message; see above. Applies to
  // connections accepted after the call.
  void rewriteElectionAddress(std::size_t server, const std::string& address);

  // Arms the one-shot lost create reply (see above); "" matches every create. With `then`,
  // every server switches to that mode as the reply is dropped (before the client can
  // reconnect): e.g. reset keeps the client from learning anything until the test heals.
  void loseNextCreateReply(const std::string& pathContains = "",
                           std::optional<Mode> then = std::nullopt);
  // The paths named by the create replies dropped so far.
  std::vector<std::string> lostCreateReplies() const;

  enum class RequestFault { loseReply, dropAndReset, unimplemented };
  // Arms a per-request fault; see above. Applies to requests read after the call.
  void injectOnRequest(std::int32_t type, RequestFault fault, const std::string& contains = "",
                       bool once = true);
  // How many client requests of that opcode the proxy has read, over every connection.
  std::size_t requestsSeen(std::int32_t type) const;

  // One-shot: drops the server's reply to the next request of one of requestTypes (ZooKeeper
  // opcodes, e.g. getChildren=8, getChildren2=12) whose path contains pathContains, and lets
  // everything else through on the same connection: the client's next reply then does not
  // match the request it waits for. Only a reply that starts within one read chunk can be cut
  // out (replies are small, chunks 16 KiB); droppedReplies() says whether it happened.
  void dropNextReply(std::vector<std::int32_t> requestTypes, const std::string& pathContains);
  std::size_t droppedReplies() const;

  // Connections closed at once on accept (Mode::reset) so far: each is a client's connection
  // attempt that failed, which fails the requests it had queued.
  std::size_t refusedConnections() const;

  // Indices of the servers that have at least one open client connection through the proxy.
  std::set<std::size_t> serversInUse() const;
  std::size_t openConnections() const;

  class Impl;

 private:
  std::shared_ptr<Impl> impl_;
  std::thread thread_;
};

}  // namespace baton::test
