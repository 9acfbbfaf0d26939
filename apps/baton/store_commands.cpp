#include "store_commands.hpp"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "baton/ha_services_factory.hpp"
#include "baton/leader_state_store.hpp"
#include "cli_configuration.hpp"
#include "command_loop.hpp"
#include "event_printer.hpp"

namespace baton::cli {
namespace {

Event recordEvent(const std::string& ns, const StoredRecord& record) {
  return Event{.name = "record",
               .fields = {{"ns", ns},
                          {"key", record.key},
                          {"value", record.value},
                          {"version", std::to_string(record.version)}}};
}

void printRecord(EventPrinter& printer, LeaderStateStore& store, const std::string& ns,
                 const std::string& key) {
  if (auto record = store.get(ns, key))
    printer.print(recordEvent(ns, *record));
  else
    printer.print(Event{.name = "no-record", .fields = {{"ns", ns}, {"key", key}}});
}

void printList(EventPrinter& printer, LeaderStateStore& store, const std::string& ns) {
  for (const auto& record : store.list(ns))
    printer.print(recordEvent(ns, record));
  printer.print(Event{.name = "end", .fields = {{"ns", ns}}});
}

// Runs fn with services made from the options, closing them on every path.
template <typename Fn>
int withServices(const CliOptions& options, Fn fn) {
  const Configuration configuration = buildConfiguration(options);
  EventPrinter printer = makeEventPrinter(options, configuration, "");
  auto services = createHighAvailabilityServices(configuration);
  try {
    fn(*services, printer);
  } catch (...) {
    services->close();
    throw;
  }
  services->close();
  return 0;
}

bool handleQuit(const std::string& command) {
  if (command == "quit")
    return false;
  reportUnknownCommand(command, "quit");
  return true;
}

}  // namespace

int runStoreGet(const CliOptions& options) {
  return withServices(options, [&](HighAvailabilityServices& services, EventPrinter& printer) {
    printRecord(printer, services.stateStore(), options.ns, options.key);
  });
}

int runStoreList(const CliOptions& options) {
  return withServices(options, [&](HighAvailabilityServices& services, EventPrinter& printer) {
    printList(printer, services.stateStore(), options.ns);
  });
}

int runCounterGet(const CliOptions& options) {
  return withServices(options, [&](HighAvailabilityServices& services, EventPrinter& printer) {
    auto value = services.stateStore().getCounter(options.ns, options.key);
    Event event{.name = value ? "counter" : "no-counter",
                .fields = {{"ns", options.ns}, {"name", options.key}}};
    if (value)
      event.fields.emplace_back("value", std::to_string(*value));
    printer.print(event);
  });
}

int runStoreWatch(const CliOptions& options) {
  const Configuration configuration = buildConfiguration(options);
  EventPrinter printer = makeEventPrinter(options, configuration, "");
  CommandLoop loop;  // handles SIGINT/SIGTERM from here on
  auto services = createHighAvailabilityServices(configuration);
  services->setConnectionStateCallback(
      [&printer](ConnectionState state, const std::string& detail) {
        printer.print(connectionEvent(state, detail));
      });
  LeaderStateStore& store = services->stateStore();
  const std::string ns = options.ns;
  // The listener runs on the services' callback thread, where the store's blocking reads are
  // not allowed (they would wait for that thread): it queues the change for a reader thread of
  // this command, which reads and prints one change at a time, in order.
  std::mutex mutex;
  std::condition_variable wake;
  std::deque<NamespaceChange> changes;
  bool stopping = false;
  std::thread reader([&] {
    for (;;) {
      NamespaceChange change;
      {
        std::unique_lock lock(mutex);
        wake.wait(lock, [&] { return stopping || !changes.empty(); });
        if (stopping)
          return;
        change = std::move(changes.front());
        changes.pop_front();
      }
      try {
        if (change.relist) {
          printer.print(Event{.name = "relist", .fields = {{"ns", ns}}});
          printList(printer, store, ns);
        }
        for (const auto& key : change.keys) {
          if (auto record = store.get(ns, key))
            printer.print(recordEvent(ns, *record));
          else
            printer.print(Event{.name = "erased", .fields = {{"ns", ns}, {"key", key}}});
        }
      } catch (const std::system_error& e) {
        printer.print(errorEvent(e));
      }
    }
  });
  std::unique_ptr<NamespaceWatch> watch;
  try {
    watch = store.watchNamespace(ns, [&](const NamespaceChange& change) {
      std::lock_guard lock(mutex);
      changes.push_back(change);
      wake.notify_one();
    });
  } catch (...) {
    {
      std::lock_guard lock(mutex);
      stopping = true;
    }
    wake.notify_one();
    reader.join();
    services->close();
    throw;
  }
  printer.print(Event{.name = "started", .fields = {{"ha", describeHaType(configuration)}}});
  const std::string quitReason = loop.run(handleQuit);
  watch.reset();
  {
    std::lock_guard lock(mutex);
    stopping = true;
  }
  wake.notify_one();
  reader.join();
  services->close();
  printer.print(Event{.name = "stopped", .fields = {{"reason", quitReason}}});
  return 0;
}

}  // namespace baton::cli
