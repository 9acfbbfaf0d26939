#include "run_command.hpp"

#include <sys/wait.h>

#include <algorithm>
#include <csignal>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "baton/ha_services_factory.hpp"
#include "child_supervisor.hpp"
#include "cli_configuration.hpp"
#include "cli_metrics.hpp"
#include "command_process.hpp"
#include "event_printer.hpp"
#include "lease_watchdog.hpp"
// Boost.Asio's signal_set, behind the GCC 12 warning workaround (see there).
#include "shutdown_signals.hpp"

namespace baton::cli {
namespace {

using std::chrono::milliseconds;

constexpr milliseconds kDefaultGrace{5000};
constexpr milliseconds kDefaultLeaseMargin{500};  // ha.lease.safety-margin's default
constexpr milliseconds kRestartDelay{1000};       // --restart: from the exit to the rejoin

// One LeaderElection's callbacks, moved onto the io_context; `generation` tells a late
// callback of an election already closed from the current one's.
class RunContender final : public LeaderContender {
 public:
  using OnGrant = std::function<void(unsigned generation, LeaderSessionId)>;
  using OnRevoke = std::function<void(unsigned generation)>;

  RunContender(boost::asio::io_context& io, unsigned generation, EventPrinter& printer,
               OnGrant onGrant, OnRevoke onRevoke)
      : io_(io),
        generation_(generation),
        printer_(printer),
        onGrant_(std::move(onGrant)),
        onRevoke_(std::move(onRevoke)) {}

  // The handlers own copies of what they call: they may run after this contender was
  // replaced by the next election's (--restart), and are then dropped by their generation.
  void grantLeadership(const LeaderSessionId& id) override {
    boost::asio::post(
        io_, [onGrant = onGrant_, generation = generation_, id] { onGrant(generation, id); });
  }
  void revokeLeadership() override {
    boost::asio::post(io_,
                      [onRevoke = onRevoke_, generation = generation_] { onRevoke(generation); });
  }
  void handleError(const std::system_error& error) override { printer_.print(errorEvent(error)); }

 private:
  boost::asio::io_context& io_;
  const unsigned generation_;
  EventPrinter& printer_;
  OnGrant onGrant_;
  OnRevoke onRevoke_;
};

// The run command's state, all on the main thread's io_context: the election, the command
// (through the sans-io ChildSupervisor) and its watchdog.
class RunSession final : public ChildProcessApi {
 public:
  RunSession(const CliOptions& options, const Configuration& configuration,
             HighAvailabilityServices& services, EventPrinter& printer)
      : options_(options),
        services_(services),
        printer_(printer),
        participant_(participantId(configuration)),
        // The window stays well inside the margin: see lease_watchdog.hpp.
        window_(configuration.getDuration("ha.lease.safety-margin", kDefaultLeaseMargin) / 2),
        supervisor_(*this, options.grace.value_or(kDefaultGrace), window_),
        signals_(io_, SIGINT, SIGTERM, SIGHUP),
        children_(io_, SIGCHLD),
        graceTimer_(io_),
        heartbeatTimer_(io_),
        restartTimer_(io_) {}

  int run() {
    waitForSignal();
    waitForChild();
    join();
    io_.run();
    leave();
    return exitCode_;
  }

  bool spawn() override;
  void signalGroup(int signal) override {
    if (child_ > 0)
      ::kill(-child_, signal);
  }
  void armGraceTimer(milliseconds after) override {
    graceTimer_.expires_after(after);
    graceTimer_.async_wait([this](const boost::system::error_code& ec) {
      if (!ec)
        supervisor_.graceExpired();
    });
  }
  void cancelGraceTimer() override { graceTimer_.cancel(); }

 private:
  void join() {
    ++generation_;
    contender_ = std::make_unique<RunContender>(
        io_, generation_, printer_,
        [this](unsigned generation, LeaderSessionId id) { onGranted(generation, id); },
        [this](unsigned generation) { onRevoked(generation); });
    election_ = services_.getLeaderElection(options_.component);
    election_->startLeaderElection(*contender_);
  }
  // Releases leadership (deletes the latch node); callbacks still queued are dropped by
  // their generation.
  void leave() {
    ++generation_;
    if (election_)
      election_->close();
    election_.reset();
    session_.reset();
  }

  void onGranted(unsigned generation, LeaderSessionId id);
  void onRevoked(unsigned generation);
  void onSignal(int signal);
  void onChildExited(int exitCode);
  void startCommand();
  void finish(int exitCode) {
    exitCode_ = exitCode;
    io_.stop();
  }

  void waitForSignal() {
    signals_.async_wait([this](const boost::system::error_code& ec, int signal) {
      if (ec)
        return;
      onSignal(signal);
      waitForSignal();
    });
  }
  void waitForChild();
  void heartbeat();

  const CliOptions& options_;
  HighAvailabilityServices& services_;
  EventPrinter& printer_;
  const std::string participant_;
  const milliseconds window_;
  boost::asio::io_context io_;
  ChildSupervisor supervisor_;
  boost::asio::signal_set signals_;
  boost::asio::signal_set children_;
  boost::asio::steady_timer graceTimer_;
  boost::asio::steady_timer heartbeatTimer_;
  boost::asio::steady_timer restartTimer_;

  unsigned generation_ = 0;
  std::unique_ptr<RunContender> contender_;
  std::unique_ptr<LeaderElection> election_;
  std::optional<LeaderSessionId> session_;  // the leadership held, if any
  std::optional<FencingToken> token_;
  pid_t child_ = -1;
  std::unique_ptr<LeaseWatchdog> watchdog_;
  std::optional<int> shutdownSignal_;
  int exitCode_ = 0;
};

void RunSession::onGranted(unsigned generation, LeaderSessionId id) {
  if (generation != generation_ || !election_)
    return;
  token_ = election_->fencingToken(id);
  if (!token_)
    return;  // revoked again already; its revoke is queued behind
  session_ = id;
  election_->confirmLeadership(id, options_.address.empty() ? participant_ : options_.address);
  printer_.print(Event{.name = "granted",
                       .sessionId = id,
                       .fields = {{"fencing_token", std::to_string(token_->epoch)}}});
  // A command still stopping after an earlier revoke starts again once reaped.
  if (supervisor_.state() == ChildSupervisor::State::idle && !shutdownSignal_)
    startCommand();
}

void RunSession::onRevoked(unsigned generation) {
  if (generation != generation_ || !session_)
    return;
  const auto id = std::exchange(session_, std::nullopt);
  printer_.print(Event{
      .name = "revoked", .sessionId = id, .fields = {{"command", toString(supervisor_.state())}}});
  supervisor_.leadershipLost();
}

void RunSession::startCommand() {
  if (!supervisor_.start())
    finish(1);
}

bool RunSession::spawn() {
  std::vector<std::string> environment{
      "BATON_LEADER_SESSION_ID=" + session_->toString(),
      "BATON_FENCING_TOKEN=" + std::to_string(token_->epoch),
      "BATON_COMPONENT=" + options_.component,
      "BATON_PARTICIPANT_ID=" + participant_,
  };
  try {
    child_ = spawnCommand(options_.command, environment);
    watchdog_ = std::make_unique<LeaseWatchdog>(child_, window_);
  } catch (const std::system_error& e) {
    if (child_ > 0)
      ::kill(-child_, SIGKILL);  // reaped as usual; never left running unwatched
    printer_.print(Event{.name = "error", .fields = {{"message", e.what()}}});
    return child_ > 0;
  }
  printer_.print(Event{.name = "command-started", .fields = {{"pid", std::to_string(child_)}}});
  heartbeat();
  return true;
}

// Proves leadership to the watchdog a few times per window; hasLeadership() checks the lease
// deadline itself, so a frozen or cut-off leader stops proving in time.
void RunSession::heartbeat() {
  if (!watchdog_)
    return;
  if (session_ && election_ && election_->hasLeadership(*session_))
    watchdog_->heartbeat();
  heartbeatTimer_.expires_after(std::max(window_ / 5, milliseconds(1)));
  heartbeatTimer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec)
      heartbeat();
  });
}

void RunSession::waitForChild() {
  children_.async_wait([this](const boost::system::error_code& ec, int) {
    if (ec)
      return;
    // One SIGCHLD may stand for several children (the command and its watchdog).
    for (int i = 0; i < 64; ++i) {
      int status = 0;
      const pid_t pid = ::waitpid(-1, &status, WNOHANG);
      if (pid <= 0)
        break;
      if (pid == child_)
        onChildExited(exitCodeOf(status));
    }
    waitForChild();
  });
}

void RunSession::onChildExited(int exitCode) {
  child_ = -1;
  heartbeatTimer_.cancel();
  if (watchdog_)
    watchdog_->standDown();
  watchdog_.reset();
  const auto byItself = supervisor_.reaped(exitCode);
  printer_.print(Event{.name = "command-exited",
                       .fields = {{"code", std::to_string(exitCode)},
                                  {"stopped", byItself.value_or(false) ? "no" : "yes"}}});
  if (shutdownSignal_) {
    finish(exitCode);
  } else if (byItself.value_or(false)) {
    leave();
    printer_.print(Event{.name = "released"});
    if (!options_.restart) {
      finish(exitCode);
      return;
    }
    // A command that fails at once must not turn into a loop of elections.
    restartTimer_.expires_after(kRestartDelay);
    restartTimer_.async_wait([this](const boost::system::error_code& ec) {
      if (ec || shutdownSignal_)
        return;
      printer_.print(Event{.name = "rejoined"});
      join();
    });
  } else if (session_ && election_ && election_->hasLeadership(*session_)) {
    startCommand();  // granted again while it was stopping
  }
}

void RunSession::onSignal(int signal) {
  if (!shutdownSignal_) {
    shutdownSignal_ = signal;
    printer_.print(Event{.name = "signal",
                         .fields = {{"signal", std::to_string(signal)},
                                    {"command", toString(supervisor_.state())}}});
  }
  switch (supervisor_.state()) {
    case ChildSupervisor::State::idle:
      finish(0);
      break;
    case ChildSupervisor::State::running:
      supervisor_.stop(signal);
      break;
    case ChildSupervisor::State::stopping:
      signalGroup(signal);  // forwarded as well; the grace timer keeps running
      break;
  }
}

}  // namespace

int runRun(const CliOptions& options) {
  const Configuration configuration = buildConfiguration(options);
  EventPrinter printer = makeEventPrinter(options, configuration, options.component);
  // Before the services (which report to it) and outliving them.
  CommandMetrics metrics(options, printer);
  const auto services = createHighAvailabilityServices(configuration, metrics.servicesOptions());
  services->setConnectionStateCallback([&printer](ConnectionState state, const std::string& d) {
    printer.print(connectionEvent(state, d));
  });
  printer.print(Event{.name = "started", .fields = {{"ha", describeHaType(configuration)}}});
  int exitCode = 0;
  {
    RunSession session(options, configuration, *services, printer);
    exitCode = session.run();
  }
  services->close();
  printer.print(Event{.name = "exit", .fields = {{"code", std::to_string(exitCode)}}});
  return exitCode;
}

}  // namespace baton::cli
