// The run command's supervisor (apps/baton/child_supervisor.hpp) against a fake process API:
// every transition and what it asks of the operating system, with no process and no clock.
#include <catch2/catch.hpp>

#include <csignal>
#include <string>
#include <vector>

#include "child_supervisor.hpp"

using namespace baton::cli;
using namespace std::chrono_literals;
using State = ChildSupervisor::State;

namespace {

// Records each call as one line ("spawn", "signal 15", "arm 500", "cancel").
class FakeProcessApi final : public ChildProcessApi {
 public:
  bool spawnSucceeds = true;
  std::vector<std::string> calls;

  bool spawn() override {
    calls.emplace_back("spawn");
    return spawnSucceeds;
  }
  void signalGroup(int signal) override { calls.push_back("signal " + std::to_string(signal)); }
  void armGraceTimer(std::chrono::milliseconds after) override {
    calls.push_back("arm " + std::to_string(after.count()));
  }
  void cancelGraceTimer() override { calls.emplace_back("cancel"); }
  std::vector<std::string> take() { return std::exchange(calls, {}); }
};

using Calls = std::vector<std::string>;
const std::string kTerm = "signal " + std::to_string(SIGTERM);
const std::string kKill = "signal " + std::to_string(SIGKILL);

}  // namespace

TEST_CASE("a grant starts the command; its own exit is reported as by itself") {
  FakeProcessApi api;
  ChildSupervisor supervisor(api, 5s, 250ms);
  REQUIRE(supervisor.start());
  CHECK(api.take() == Calls{"spawn"});
  CHECK(supervisor.state() == State::running);
  CHECK(supervisor.reaped(3) == std::optional<bool>(true));
  CHECK(supervisor.state() == State::idle);
  CHECK(supervisor.lastExitCode() == 3);
  CHECK(api.take().empty());  // no timer was armed, none to cancel
}

TEST_CASE("a command that could not be spawned leaves the supervisor idle") {
  FakeProcessApi api;
  api.spawnSucceeds = false;
  ChildSupervisor supervisor(api, 5s, 250ms);
  CHECK_FALSE(supervisor.start());
  CHECK(supervisor.state() == State::idle);
  CHECK_THROWS_AS((api.spawnSucceeds = true, supervisor.start(), supervisor.start()),
                  std::logic_error);  // a second start while running is a bug of the caller
}

TEST_CASE("a lost leadership stops with SIGTERM and the grace clamped to the lease bound") {
  FakeProcessApi api;
  ChildSupervisor supervisor(api, 5s, 250ms);
  supervisor.start();
  api.take();
  supervisor.leadershipLost();
  CHECK(api.take() == Calls{kTerm, "arm 250"});
  CHECK(supervisor.state() == State::stopping);

  SECTION("a command that ignores SIGTERM gets SIGKILL when the grace ends") {
    supervisor.graceExpired();
    CHECK(api.take() == Calls{kKill});
    CHECK(supervisor.reaped(128 + SIGKILL) == std::optional<bool>(false));
    CHECK(api.take() == Calls{"cancel"});
  }
  SECTION("a command that stops in time is reaped as stopped; the timer is cancelled") {
    CHECK(supervisor.reaped(143) == std::optional<bool>(false));
    CHECK(api.take() == Calls{"cancel"});
    CHECK(supervisor.state() == State::idle);
    supervisor.graceExpired();  // a timer that fired anyway does nothing
    CHECK(api.take().empty());
  }
}

TEST_CASE("a grace shorter than the lease bound is kept") {
  FakeProcessApi api;
  ChildSupervisor supervisor(api, 100ms, 250ms);
  supervisor.start();
  api.take();
  supervisor.leadershipLost();
  CHECK(api.take() == Calls{kTerm, "arm 100"});
}

TEST_CASE("leaving forwards the signal and allows the whole grace") {
  FakeProcessApi api;
  ChildSupervisor supervisor(api, 5s, 250ms);
  supervisor.start();
  api.take();
  supervisor.stop(SIGHUP);
  CHECK(api.take() == Calls{"signal " + std::to_string(SIGHUP), "arm 5000"});

  SECTION("the leadership lost meanwhile ends the grace at once") {
    supervisor.leadershipLost();
    CHECK(api.take() == Calls{"cancel", kKill});
  }
  SECTION("a second stop does not restart the grace") {
    supervisor.stop(SIGTERM);
    CHECK(api.take().empty());
  }
}

TEST_CASE("stop, loss and timer events while idle do nothing") {
  FakeProcessApi api;
  ChildSupervisor supervisor(api, 5s, 250ms);
  supervisor.stop(SIGTERM);
  supervisor.leadershipLost();
  supervisor.graceExpired();
  CHECK(supervisor.reaped(0) == std::nullopt);
  CHECK(api.take().empty());
  CHECK(supervisor.state() == State::idle);
}
