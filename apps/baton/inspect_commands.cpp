#include "inspect_commands.hpp"

#include <cstdio>

#include "baton/ha_services_factory.hpp"
#include "cli_configuration.hpp"
#include "event_printer.hpp"

namespace baton::cli {

int runLeader(const CliOptions& options) {
  const Configuration configuration = buildConfiguration(options);
  EventPrinter printer = makeEventPrinter(options, configuration, options.component);
  auto services = createHighAvailabilityServices(configuration);
  auto info = services->currentLeader(options.component);
  if (info.isEmpty()) {
    printer.print(Event{.name = "no-leader"});
  } else {
    printer.print(Event{
        .name = "leader", .sessionId = info.sessionId(), .fields = {{"address", info.address()}}});
  }
  services->close();
  return 0;
}

int runParticipants(const CliOptions& options) {
  const Configuration configuration = buildConfiguration(options);
  EventPrinter printer = makeEventPrinter(options, configuration, "");
  auto services = createHighAvailabilityServices(configuration);
  auto participants = services->participants();
  for (std::size_t i = 0; i < participants.size(); ++i) {
    printer.print(Event{.name = "participant",
                        .fields = {{"rank", std::to_string(i + 1)},
                                   {"participant", participants[i].id},
                                   {"address", participants[i].address},
                                   {"role", i == 0 ? "leader" : "follower"}},
                        .participant = participants[i].id});
  }
  if (participants.empty())
    printer.print(Event{.name = "no-participants"});
  services->close();
  return 0;
}

}  // namespace baton::cli
