#include "elect_command.hpp"

#include <cstdio>
#include <exception>

#include "baton/ha_services_factory.hpp"
#include "cli_configuration.hpp"
#include "cli_metrics.hpp"
#include "command_loop.hpp"
#include "elect_contender.hpp"
#include "elect_write.hpp"
#include "event_printer.hpp"

namespace baton::cli {
namespace {

void release(ElectContender& contender, EventPrinter& printer) {
  if (!contender.leave("released")) {
    std::fputs("baton: not in the election ('rejoin' joins it again)\n", stderr);
    return;
  }
  printer.print(Event{.name = "released"});
}

void rejoin(ElectContender& contender, EventPrinter& printer) {
  if (contender.joined()) {
    std::fputs("baton: already in the election ('release' leaves it)\n", stderr);
    return;
  }
  printer.print(Event{.name = "rejoined"});
  try {
    contender.join();
  } catch (const std::exception& e) {
    printer.print(Event{.name = "error", .fields = {{"message", e.what()}}});
  }
}

// Returns false to quit.
bool handleCommand(const std::string& command, ElectContender& contender,
                   HighAvailabilityServices& services, const std::string& component,
                   EventPrinter& printer) {
  if (command == "quit")
    return false;
  if (command == "release") {
    release(contender, printer);
  } else if (command == "rejoin") {
    rejoin(contender, printer);
  } else if (command.rfind("write ", 0) == 0) {
    fencedWriteCommand(services, component, contender.lastFencingToken(), command.substr(6),
                       printer);
  } else if (command.rfind("store ", 0) == 0) {
    storeCommand(services, contender.lastFencingToken(), command.substr(6), printer);
  } else if (command.rfind("counter ", 0) == 0) {
    counterCommand(services, contender.lastFencingToken(), command.substr(8), printer);
  } else {
    reportUnknownCommand(command,
                         "release, rejoin, write <value>, store put NS KEY VALUE, "
                         "counter add NS NAME DELTA, quit");
  }
  return true;
}

}  // namespace

int runElect(const CliOptions& options) {
  const Configuration configuration = buildConfiguration(options);
  EventPrinter printer = makeEventPrinter(options, configuration, options.component);
  CommandLoop loop;  // handles SIGINT/SIGTERM from here on
  // Before the services (which report to it) and outliving them.
  CommandMetrics metrics(options, printer);
  const auto services = createHighAvailabilityServices(configuration, metrics.servicesOptions());
  ElectContender contender(*services, printer, options.component, options.address);
  services->setConnectionStateCallback(
      [&contender](ConnectionState state, const std::string& detail) {
        contender.onConnectionState(state, detail);
      });

  printer.print(
      Event{.name = "started",
            .fields = {{"address", options.address}, {"ha", describeHaType(configuration)}}});
  try {
    contender.join();
  } catch (...) {
    services->close();  // before the contender the connection callback refers to is gone
    throw;
  }
  const std::string quitReason = loop.run([&](const std::string& command) {
    return handleCommand(command, contender, *services, options.component, printer);
  });

  contender.leave("closing");
  // Closed before the contender goes out of scope: no connection callback may reach it later.
  services->close();
  printer.print(Event{.name = "exit", .fields = {{"reason", quitReason}}});
  return 0;
}

}  // namespace baton::cli
