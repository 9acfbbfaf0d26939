#include "zk_floor.hpp"

#include <poll.h>
#include <unistd.h>
#include <zookeeper/zookeeper.h>

#include <algorithm>
#include <functional>
#include <initializer_list>
#include <memory>
#include <stdexcept>

#include "report.hpp"

namespace baton::bench {
namespace {

// Everything the C callbacks report, read by the pump's predicates.
struct Inbox {
  bool connected = false;
  int rc = 0;
  bool done = false;
  bool watchFired = false;
  std::string createdPath;
};

void sessionWatcher(zhandle_t*, int type, int state, const char*, void* context) {
  if (type == ZOO_SESSION_EVENT && state == ZOO_CONNECTED_STATE)
    static_cast<Inbox*>(context)->connected = true;
}

void onString(int rc, const char* value, const void* data) {
  auto* inbox = static_cast<Inbox*>(const_cast<void*>(data));
  inbox->rc = rc;
  inbox->createdPath = value ? value : "";
  inbox->done = true;
}

void onVoid(int rc, const void* data) {
  auto* inbox = static_cast<Inbox*>(const_cast<void*>(data));
  inbox->rc = rc;
  inbox->done = true;
}

void onData(int rc, const char*, int, const Stat*, const void* data) {
  onVoid(rc, data);
}

void onStat(int rc, const Stat*, const void* data) {
  onVoid(rc, data);
}

void onChildren(int rc, const String_vector*, const void* data) {
  onVoid(rc, data);
}

// Runs the C client's loop for every handle until done() holds (or 10 s pass).
void pump(const std::vector<zhandle_t*>& handles, const std::function<bool()>& done,
          const char* what) {
  auto deadline = Clock::now() + std::chrono::seconds(10);
  while (!done()) {
    if (Clock::now() > deadline)
      throw std::runtime_error(std::string("floor: no ") + what + " within 10 s");
    std::vector<pollfd> fds(handles.size());
    int timeoutMs = 100;
    for (std::size_t i = 0; i < handles.size(); ++i) {
      int fd = -1, interest = 0;
      timeval tv{};
      zookeeper_interest(handles[i], &fd, &interest, &tv);
      short events = 0;
      if (interest & ZOOKEEPER_READ)
        events |= POLLIN;
      if (interest & ZOOKEEPER_WRITE)
        events |= POLLOUT;
      fds[i] = pollfd{fd, events, 0};
      timeoutMs = std::min<int>(timeoutMs, static_cast<int>(tv.tv_sec * 1000 + tv.tv_usec / 1000));
    }
    ::poll(fds.data(), fds.size(), std::max(timeoutMs, 0));
    for (std::size_t i = 0; i < handles.size(); ++i) {
      int events = 0;
      if (fds[i].revents & (POLLIN | POLLERR | POLLHUP))
        events |= ZOOKEEPER_READ;
      if (fds[i].revents & (POLLOUT | POLLERR | POLLHUP))
        events |= ZOOKEEPER_WRITE;
      zookeeper_process(handles[i], events);
    }
  }
}

class FloorSession {
 public:
  explicit FloorSession(const std::string& quorum) {
    zh_ = zookeeper_init(quorum.c_str(), sessionWatcher, 30000, nullptr, &session_, 0);
    if (!zh_)
      throw std::runtime_error("floor: zookeeper_init failed");
    // By default the C client resolves every server name each time zookeeper_interest runs
    // (three getaddrinfo calls per loop round here): not part of any round trip's floor.
    zoo_set_servers_resolution_delay(zh_, -1);
  }
  ~FloorSession() { zookeeper_close(zh_); }
  FloorSession(const FloorSession&) = delete;
  FloorSession& operator=(const FloorSession&) = delete;

  zhandle_t* handle() const { return zh_; }
  bool connected() const { return session_.connected; }

 private:
  zhandle_t* zh_ = nullptr;
  Inbox session_;
};

// Completion contexts of requests whose wait failed: the C client may still call them.
std::vector<std::shared_ptr<Inbox>>& orphans() {
  static std::vector<std::shared_ptr<Inbox>> kept;
  return kept;
}

// Pumps until done() holds; on failure keeps `inboxes` alive for their late completions.
void await(const std::vector<zhandle_t*>& all, const std::function<bool()>& done, const char* what,
           std::initializer_list<std::shared_ptr<Inbox>> inboxes) {
  try {
    pump(all, done, what);
  } catch (...) {
    orphans().insert(orphans().end(), inboxes);
    throw;
  }
}

// Issues one request and pumps both handles until its completion.
template <typename Issue>
Inbox call(const std::vector<zhandle_t*>& all, Issue issue) {
  auto inbox = std::make_shared<Inbox>();
  if (int rc = issue(inbox.get()); rc != ZOK)
    throw std::runtime_error(std::string("floor: request not sent: ") + zerror(rc));
  await(all, [&] { return inbox->done; }, "reply", {inbox});
  return *inbox;
}

// One handover on the raw client: A creates a node, B sets a data watch on it, A deletes it,
// B is notified and lists the directory; then one plain read round trip.
void measureOnce(zhandle_t* a, zhandle_t* b, const std::vector<zhandle_t*>& all,
                 const std::string& dir, FloorResult& result) {
  auto leader = call(all, [&](Inbox* in) {
    return zoo_acreate(a, (dir + "/a-").c_str(), "", 0, &ZOO_OPEN_ACL_UNSAFE,
                       ZOO_EPHEMERAL | ZOO_SEQUENCE, onString, in);
  });
  if (leader.rc != ZOK)
    throw std::runtime_error(std::string("floor: create failed: ") + zerror(leader.rc));
  auto watch = std::make_shared<Inbox>();
  try {
    call(all, [&](Inbox* in) {
      return zoo_awget(
          b, leader.createdPath.c_str(),
          [](zhandle_t*, int, int, const char*, void* ctx) {
            static_cast<Inbox*>(ctx)->watchFired = true;
          },
          watch.get(), onData, in);
    });
  } catch (...) {
    orphans().push_back(watch);
    throw;
  }
  // The handover: delete -> notification -> list.
  auto deleted = std::make_shared<Inbox>();
  auto listed = std::make_shared<Inbox>();
  auto t0 = Clock::now();
  zoo_adelete(a, leader.createdPath.c_str(), -1, onVoid, deleted.get());
  await(all, [&] { return watch->watchFired; }, "watch notification", {watch, deleted});
  auto notifiedAt = Clock::now();
  zoo_aget_children(b, dir.c_str(), 0, onChildren, listed.get());
  await(all, [&] { return listed->done; }, "list reply", {deleted, listed});
  result.handovers.push_back(msBetween(t0, Clock::now()));
  result.notified.push_back(msBetween(t0, notifiedAt));
  await(all, [&] { return deleted->done; }, "delete reply", {deleted});

  auto t1 = Clock::now();
  call(all, [&](Inbox* in) { return zoo_aexists(b, dir.c_str(), 0, onStat, in); });
  result.roundTrips.push_back(msBetween(t1, Clock::now()));
}

}  // namespace

// The sessions of a floor run: a ring, each connected to a server of the C client's choosing
// (random), and every handover goes from one to the next. A single pair would measure one
// placement only (both on the quorum leader, or both on followers, ...), which moves the floor
// by up to 2x between runs; the benchmarks' participants rotate over as many placements.
constexpr int kFloorRing = 6;

FloorResult measureHandoverFloor(const std::string& quorum, int reps) {
  zoo_set_debug_level(ZOO_LOG_LEVEL_ERROR);
  std::vector<std::unique_ptr<FloorSession>> ring;
  std::vector<zhandle_t*> all;
  for (int i = 0; i < kFloorRing; ++i) {
    ring.push_back(std::make_unique<FloorSession>(quorum));
    all.push_back(ring.back()->handle());
  }
  pump(
      all,
      [&] {
        return std::all_of(ring.begin(), ring.end(), [](const auto& s) { return s->connected(); });
      },
      "session");
  auto* acl = &ZOO_OPEN_ACL_UNSAFE;
  const std::string root = "/baton-bench";
  const std::string dir = root + "/floor-" + std::to_string(::getpid());
  for (const auto& path : {root, dir}) {
    call(all,
         [&](Inbox* in) { return zoo_acreate(all[0], path.c_str(), "", 0, acl, 0, onString, in); });
  }
  // Each session waits in the directory too, as participants do: the list returns the queue.
  std::vector<std::string> members;
  for (auto* member : all) {
    members.push_back(call(all, [&](Inbox* in) {
                        return zoo_acreate(member, (dir + "/m-").c_str(), "", 0, acl,
                                           ZOO_EPHEMERAL | ZOO_SEQUENCE, onString, in);
                      }).createdPath);
  }

  FloorResult result;
  for (int rep = 0, failures = 0; rep < reps; ++rep) {
    try {
      measureOnce(all[static_cast<std::size_t>(rep % kFloorRing)],
                  all[static_cast<std::size_t>((rep + 1) % kFloorRing)], all, dir, result);
    } catch (const std::exception& e) {
      // E.g. a server restarted by another test on a shared ensemble: skip this sample.
      progress(std::string(e.what()) + "; repetition skipped");
      if (++failures > 10)
        throw;
    }
  }
  for (std::size_t i = 0; i < members.size(); ++i) {
    call(all, [&](Inbox* in) { return zoo_adelete(all[i], members[i].c_str(), -1, onVoid, in); });
  }
  call(all, [&](Inbox* in) { return zoo_adelete(all[0], dir.c_str(), -1, onVoid, in); });
  return result;
}

StartFloorResult measureStartFloor(const std::string& quorum, int reps) {
  zoo_set_debug_level(ZOO_LOG_LEVEL_ERROR);
  const std::string root = "/baton-bench";
  const std::string dir = root + "/start-floor-" + std::to_string(::getpid());
  {
    FloorSession setup(quorum);
    std::vector<zhandle_t*> one{setup.handle()};
    pump(
        one, [&] { return setup.connected(); }, "session");
    for (const auto& path : {root, dir}) {
      call(one, [&](Inbox* in) {
        return zoo_acreate(setup.handle(), path.c_str(), "", 0, &ZOO_OPEN_ACL_UNSAFE, 0, onString,
                           in);
      });
    }
  }
  StartFloorResult result;
  for (int rep = 0, failures = 0; rep < reps; ++rep) {
    try {
      auto t0 = Clock::now();
      FloorSession s(quorum);
      std::vector<zhandle_t*> one{s.handle()};
      await(one, [&] { return s.connected(); }, "session", {});
      auto t1 = Clock::now();
      auto created = call(one, [&](Inbox* in) {
        return zoo_acreate(s.handle(), (dir + "/n-").c_str(), "", 0, &ZOO_OPEN_ACL_UNSAFE,
                           ZOO_EPHEMERAL | ZOO_SEQUENCE, onString, in);
      });
      if (created.rc != ZOK)
        throw std::runtime_error(std::string("floor: create failed: ") + zerror(created.rc));
      call(one, [&](Inbox* in) {
        return zoo_aget_children(s.handle(), dir.c_str(), 0, onChildren, in);
      });
      auto t2 = Clock::now();
      result.starts.push_back(msBetween(t0, t2));
      result.elections.push_back(msBetween(t1, t2));
      // Closing the session deletes the ephemeral node: the next start finds the same directory.
    } catch (const std::exception& e) {
      progress(std::string(e.what()) + "; repetition skipped");
      if (++failures > 10)
        throw;
    }
  }
  FloorSession cleanup(quorum);
  std::vector<zhandle_t*> one{cleanup.handle()};
  pump(
      one, [&] { return cleanup.connected(); }, "session");
  call(one, [&](Inbox* in) { return zoo_adelete(cleanup.handle(), dir.c_str(), -1, onVoid, in); });
  return result;
}

}  // namespace baton::bench
