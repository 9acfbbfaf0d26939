// `baton run` with real processes against the real ensemble: the commands of two `baton run`
// instances never run at the same time. Each command takes an exclusive flock on one file and
// records "overlap" if it cannot, so an overlap is caught without comparing clocks. Also: exit
// code passthrough, --restart, signal forwarding, SIGKILL after the grace.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/fault_proxy.hpp"
#include "support/fault_scenario.hpp"

using namespace baton;
using namespace baton::test;
using namespace std::chrono_literals;

namespace {

// A `baton run --json` process: its events, signals by pid (never by name).
class RunProcess {
 public:
  RunProcess(std::string name, const std::vector<std::string>& flags,
             const std::string& shellCommand)
      : name_(std::move(name)) {
    int out[2];
    if (pipe2(out, O_CLOEXEC) != 0)
      throw std::runtime_error("pipe");
    std::vector<std::string> args{BATON_CLI_PATH, "run", "--json", "--id", name_};
    args.insert(args.end(), flags.begin(), flags.end());
    args.insert(args.end(), {"--", "sh", "-c", shellCommand});
    pid_ = fork();
    if (pid_ < 0)
      throw std::runtime_error("fork");
    if (pid_ == 0) {
      dup2(out[1], 1);
      ::close_range(3, ~0U, 0);  // no test socket lives on in the child (see ElectProcess)
      std::vector<char*> argv;
      for (auto& a : args)
        argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(out[1]);
    reader_ = std::thread([this, fd = out[0]] { readLines(fd); });
  }
  ~RunProcess() {
    if (!exited_) {
      ::kill(pid_, SIGCONT);
      ::kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    reader_.join();
  }
  RunProcess(const RunProcess&) = delete;
  RunProcess& operator=(const RunProcess&) = delete;

  void signal(int sig) { ::kill(pid_, sig); }

  // Skips events until one named `event` arrives; returns its line.
  std::string await(const std::string& event, std::chrono::milliseconds timeout = scaled(30s)) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      std::string line;
      try {
        if (left.count() <= 0)
          throw std::runtime_error("deadline passed");
        line = inbox_.next(left);
      } catch (const std::runtime_error&) {
        throw std::runtime_error(name_ + ": no '" + event + "' event in time; seen:\n" + seen_);
      }
      seen_ += line + "\n";
      if (jsonField(line, "event") == event)
        return line;
    }
  }
  // The exit status (128+signal when killed).
  int wait(std::chrono::milliseconds timeout = scaled(30s)) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(10ms);  // no event for a process exit
    }
    throw std::runtime_error(name_ + ": did not exit in time");
  }

 private:
  void readLines(int fd) {
    std::string buffer;
    char chunk[4096];
    ssize_t n;
    while ((n = read(fd, chunk, sizeof chunk)) > 0) {
      buffer.append(chunk, static_cast<std::size_t>(n));
      for (auto nl = buffer.find('\n'); nl != std::string::npos; nl = buffer.find('\n')) {
        inbox_.push(buffer.substr(0, nl));
        buffer.erase(0, nl + 1);
      }
    }
    close(fd);
  }

  std::string name_;
  pid_t pid_ = -1;
  bool exited_ = false;
  std::thread reader_;
  EventInbox<std::string> inbox_;
  std::string seen_;  // every line awaited so far, for failure messages
};

// A scratch directory with the lock file and the log the commands share.
struct Scratch {
  std::string dir;
  Scratch() {
    std::string pattern = "/tmp/baton-run-test-XXXXXX";
    dir = mkdtemp(pattern.data());
  }
  ~Scratch() { std::filesystem::remove_all(dir); }
  std::string log() const { return dir + "/log"; }
  std::string lines() const {
    std::ifstream in(log());
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  // Holds the lock while it runs; `body` is shell code run once the lock is held (default:
  // wait forever). An overlap is recorded, never waited out.
  std::string exclusive(const std::string& body = "exec sleep 1000") const {
    return "exec 9>>" + dir +
           "/lock; if ! flock -n 9; then echo \"overlap $BATON_PARTICIPANT_ID\" >> " + log() +
           "; exit 99; fi; echo \"start $BATON_PARTICIPANT_ID $BATON_FENCING_TOKEN\" >> " + log() +
           "; " + body;
  }
};

std::vector<std::string> runFlags(const ElectSetup& setup, const std::string& quorum,
                                  std::vector<std::string> extra = {}) {
  auto flags = setup.args(quorum);
  // `run` takes no --address of its own need; keep elect's flags as they are otherwise.
  flags.insert(flags.end(), extra.begin(), extra.end());
  return flags;
}

// The handover every scenario ends with: b's command got the lock, and nobody overlapped.
void checkHandedOver(RunProcess& b, const Scratch& scratch) {
  b.await("command-started", scaled(40s));
  CHECK(
      waitUntil([&] { return scratch.lines().find("start b") != std::string::npos; }, scaled(10s)));
  CHECK(scratch.lines().find("overlap") == std::string::npos);
  INFO(scratch.lines());
}

}  // namespace

TEST_CASE("baton run: a graceful handover (SIGTERM forwarded) never overlaps") {
  ElectSetup setup{uniqueClusterId("run-handover")};
  Scratch scratch;
  AdminClient admin;
  {
    RunProcess a("a", runFlags(setup, zkQuorum()), scratch.exclusive());
    a.await("command-started");
    RunProcess b("b", runFlags(setup, zkQuorum()), scratch.exclusive());
    admin.awaitChildren(setup.latch(), 2, scaled(20s));
    a.signal(SIGTERM);
    CHECK(a.wait() == 128 + SIGTERM);  // the command's status: sleep killed by the SIGTERM
    checkHandedOver(b, scratch);
    b.signal(SIGTERM);
    CHECK(b.wait() == 128 + SIGTERM);
  }
  CHECK(admin.children(setup.latch()).empty());
  admin.removeTree("/baton-test/" + setup.cluster);
}

TEST_CASE("baton run: a SIGKILLed leader's command dies with it; no overlap") {
  ElectSetup setup{uniqueClusterId("run-sigkill")};
  Scratch scratch;
  AdminClient admin;
  {
    RunProcess a("a", runFlags(setup, zkQuorum()), scratch.exclusive());
    a.await("command-started");
    RunProcess b("b", runFlags(setup, zkQuorum()), scratch.exclusive());
    admin.awaitChildren(setup.latch(), 2, scaled(20s));
    a.signal(SIGKILL);
    CHECK(a.wait() == 128 + SIGKILL);
    checkHandedOver(b, scratch);
  }
  admin.removeTree("/baton-test/" + setup.cluster);
}

TEST_CASE(
    "baton run: a partitioned leader's command is killed before the successor's starts, "
    "even when it ignores SIGTERM and the grace is long") {
  ElectSetup setup{uniqueClusterId("run-partition")};  // lease, 4 s, margin 1 s
  Scratch scratch;
  FaultProxy proxy(zkQuorum());
  AdminClient admin;
  {
    RunProcess a("a", runFlags(setup, proxy.quorum(), {"--grace", "60s"}),
                 "trap '' TERM; " + scratch.exclusive());
    a.await("command-started");
    RunProcess b("b", runFlags(setup, zkQuorum()), scratch.exclusive());
    admin.awaitChildren(setup.latch(), 2, scaled(20s));
    proxy.setMode(FaultProxy::Mode::blackhole);
    // Killed by the supervisor (the grace clamped to half the margin) or by the watchdog,
    // whichever comes first; both are SIGKILL.
    auto exited = a.await("command-exited");
    CHECK(jsonField(exited, "code") == std::to_string(128 + SIGKILL));
    checkHandedOver(b, scratch);
    proxy.setMode(FaultProxy::Mode::pass);
    b.signal(SIGTERM);
    CHECK(b.wait() == 128 + SIGTERM);
  }
  admin.removeTree("/baton-test/" + setup.cluster);
}

TEST_CASE("baton run: a frozen leader's command is killed by its watchdog; no overlap") {
  ElectSetup setup{uniqueClusterId("run-freeze")};
  Scratch scratch;
  AdminClient admin;
  {
    RunProcess a("a", runFlags(setup, zkQuorum()), scratch.exclusive());
    a.await("command-started");
    RunProcess b("b", runFlags(setup, zkQuorum()), scratch.exclusive());
    admin.awaitChildren(setup.latch(), 2, scaled(20s));
    a.signal(SIGSTOP);
    checkHandedOver(b, scratch);  // only after the servers expired a's session
    a.signal(SIGCONT);
    a.await("command-exited");  // reaped once it runs again; its command died while frozen
    b.signal(SIGTERM);
    CHECK(b.wait() == 128 + SIGTERM);
  }
  admin.removeTree("/baton-test/" + setup.cluster);
}

TEST_CASE("baton run: the command's exit code is passed through and leadership released") {
  ElectSetup setup{uniqueClusterId("run-exit")};
  AdminClient admin;
  {
    RunProcess a(
        "a", runFlags(setup, zkQuorum()),
        "[ \"$BATON_COMPONENT\" = svc ] && [ -n \"$BATON_LEADER_SESSION_ID\" ] && "
        "[ \"$BATON_FENCING_TOKEN\" -gt 0 ] && [ \"$BATON_PARTICIPANT_ID\" = a ] && exit 7; "
        "exit 1");
    CHECK(a.wait() == 7);
  }
  CHECK(admin.children(setup.latch()).empty());
  admin.removeTree("/baton-test/" + setup.cluster);
}

TEST_CASE("baton run --restart rejoins after the command exits, with a new fencing token") {
  ElectSetup setup{uniqueClusterId("run-restart")};
  Scratch scratch;
  AdminClient admin;
  {
    RunProcess a("a", runFlags(setup, zkQuorum(), {"--restart"}),
                 "echo $BATON_FENCING_TOKEN >> " + scratch.log() + "; [ $(wc -l < " +
                     scratch.log() + ") -ge 3 ] && exec sleep 1000; exit 0");
    std::vector<std::string> tokens;
    for (int i = 0; i < 3; ++i)
      tokens.push_back(jsonField(a.await("granted"), "fencing_token"));
    a.await("command-started");
    CHECK(std::stoull(tokens[0]) < std::stoull(tokens[1]));
    CHECK(std::stoull(tokens[1]) < std::stoull(tokens[2]));
    a.signal(SIGTERM);
    CHECK(a.wait() == 128 + SIGTERM);
  }
  CHECK(admin.children(setup.latch()).empty());
  admin.removeTree("/baton-test/" + setup.cluster);
}

TEST_CASE("baton run forwards SIGHUP to the command and exits with its status") {
  ElectSetup setup{uniqueClusterId("run-forward")};
  Scratch scratch;
  AdminClient admin;
  {
    RunProcess a("a", runFlags(setup, zkQuorum()),
                 "trap 'echo got-HUP >> " + scratch.log() + "; exit 5' HUP; echo ready >> " +
                     scratch.log() + "; while :; do sleep 1; done");
    a.await("command-started");
    REQUIRE(
        waitUntil([&] { return scratch.lines().find("ready") != std::string::npos; }, scaled(10s)));
    a.signal(SIGHUP);
    CHECK(a.wait() == 5);
    CHECK(scratch.lines().find("got-HUP") != std::string::npos);
  }
  CHECK(admin.children(setup.latch()).empty());
  admin.removeTree("/baton-test/" + setup.cluster);
}

TEST_CASE("baton run SIGKILLs a command that ignores SIGTERM once the grace is over") {
  ElectSetup setup{uniqueClusterId("run-grace")};
  Scratch scratch;
  AdminClient admin;
  {
    RunProcess a("a", runFlags(setup, zkQuorum(), {"--grace", "1s"}),
                 "trap '' TERM; echo ready >> " + scratch.log() + "; exec sleep 1000");
    a.await("command-started");
    REQUIRE(
        waitUntil([&] { return scratch.lines().find("ready") != std::string::npos; }, scaled(10s)));
    a.signal(SIGTERM);
    CHECK(a.wait() == 128 + SIGKILL);
  }
  CHECK(admin.children(setup.latch()).empty());
  admin.removeTree("/baton-test/" + setup.cluster);
}

TEST_CASE("baton run refuses bad arguments with status 2 before joining anything") {
  CHECK(RunProcess("a", {"--ha", "standalone", "--component", "svc", "--grace", "5x"}, "exit 0")
            .wait() == 2);
  CHECK(RunProcess("a", {"--ha", "standalone"}, "exit 0").wait() == 2);  // no --component
}
