#include "watch_command.hpp"

#include "baton/error.hpp"
#include "baton/ha_services_factory.hpp"
#include "baton/leader_retrieval_service.hpp"
#include "cli_configuration.hpp"
#include "command_loop.hpp"
#include "event_printer.hpp"

#ifdef BATON_HAS_ZOOKEEPER
#include "baton/zookeeper/flink_leader_retrieval.hpp"
#endif

namespace baton::cli {
namespace {

// Prints what retrieval reports. Runs on the library's callback thread; printing is serialized
// by the printer.
class WatchListener final : public LeaderRetrievalListener {
 public:
  explicit WatchListener(EventPrinter& printer) : printer_(printer) {}

  void notifyLeaderAddress(const std::string& leaderAddress,
                           const LeaderSessionId& leaderSessionId) override {
    if (leaderAddress.empty()) {
      printer_.print(Event{.name = "no-leader"});
      return;
    }
    printer_.print(Event{
        .name = "leader", .sessionId = leaderSessionId, .fields = {{"address", leaderAddress}}});
  }

  void handleError(const std::system_error& error) override { printer_.print(errorEvent(error)); }

 private:
  EventPrinter& printer_;
};

bool handleCommand(const std::string& command) {
  if (command == "quit")
    return false;
  reportUnknownCommand(command, "quit");
  return true;
}

// `watch --flink`: Flink's nodes through a read-only retrieval service of its own session.
int runFlinkWatch(const CliOptions& options, const Configuration& configuration) {
#ifdef BATON_HAS_ZOOKEEPER
  if (!configuration.contains("ha.zookeeper.quorum")) {
    throw ConfigurationError(
        "ha.zookeeper.quorum",
        "--flink needs the Flink cluster's ZooKeeper quorum: --zk HOST:PORT,...");
  }
  const std::string component =
      zookeeper::flinkComponent(options.component);  // checked: cli_options
  EventPrinter printer = makeEventPrinter(options, configuration, component);
  CommandLoop loop;  // handles SIGINT/SIGTERM from here on
  const auto retriever = zookeeper::makeFlinkLeaderRetrievalService(configuration, component);
  WatchListener listener(printer);
  printer.print(Event{.name = "started", .fields = {{"ha", "flink"}}});
  retriever->start(listener);
  const std::string quitReason = loop.run(handleCommand);
  retriever->stop();
  printer.print(Event{.name = "exit", .fields = {{"reason", quitReason}}});
  return 0;
#else
  (void)options;
  (void)configuration;
  throw ConfigurationError("ha.type",
                           "--flink needs the ZooKeeper backend, which this build of baton lacks");
#endif
}

}  // namespace

int runWatch(const CliOptions& options) {
  const Configuration configuration = buildConfiguration(options);
  if (options.flink)
    return runFlinkWatch(options, configuration);
  EventPrinter printer = makeEventPrinter(options, configuration, options.component);
  CommandLoop loop;  // handles SIGINT/SIGTERM from here on
  const auto services = createHighAvailabilityServices(configuration);
  WatchListener listener(printer);
  services->setConnectionStateCallback(
      [&printer](ConnectionState state, const std::string& detail) {
        printer.print(connectionEvent(state, detail));
      });
  const auto retriever = services->getLeaderRetriever(options.component);

  printer.print(Event{.name = "started", .fields = {{"ha", describeHaType(configuration)}}});
  retriever->start(listener);
  const std::string quitReason = loop.run(handleCommand);

  retriever->stop();
  services->close();
  printer.print(Event{.name = "exit", .fields = {{"reason", quitReason}}});
  return 0;
}

}  // namespace baton::cli
