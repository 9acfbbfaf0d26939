// counter_check: verifies a run of the replicated counter against what the services store.
//   counter_check [--zk QUORUM] [--cluster-id ID] [--config FILE] [--acks FILE]
//                 [--server-logs FILE,FILE,...] [--min-sessions N] [--cleanup true]
// Reads the counter's log from the state store, the client's acknowledgements (--acks) and every
// "ACK" line the servers printed (--server-logs), and checks them (history_check.hpp). With
// --min-sessions it also requires that many leader sessions to have stored writes (proof that
// the failovers happened while the client was writing). --cleanup deletes the cluster's data
// afterwards. Exit status 0 when the history is correct, 1 otherwise.
#include <fstream>
#include <future>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "baton/ha_services_factory.hpp"
#include "counter_store.hpp"
#include "example_args.hpp"
#include "history_check.hpp"
#include "worker_thread.hpp"

namespace {

void readAcks(const std::string& file, std::vector<counter::Ack>& acks) {
  std::ifstream in(file);
  if (!in)
    throw std::runtime_error("cannot read " + file);
  std::string line;
  while (std::getline(in, line)) {
    if (auto ack = counter::parseAck(line, file))
      acks.push_back(*ack);
  }
}

counter::CounterLog readStore(baton::HighAvailabilityServices& services) {
  counter::WorkerThread thread;
  std::promise<counter::CounterLog> done;
  std::unique_ptr<counter::CounterStore> store;
  boost::asio::post(thread.executor(), [&] {
    store = std::make_unique<counter::CounterStore>(thread.executor(), services.stateStore());
    store->read([&](std::error_code ec, counter::CounterLog log, std::int64_t) {
      if (ec) {
        done.set_exception(std::make_exception_ptr(std::system_error(ec, "reading the counter")));
      } else {
        done.set_value(std::move(log));
      }
    });
  });
  auto log = done.get_future().get();
  boost::asio::post(thread.executor(), [&] { store.reset(); });
  thread.stop();
  return log;
}

int run(const counter::Args& args) {
  auto services = baton::createHighAvailabilityServices(counter::haConfiguration(args));
  auto store = readStore(*services);

  std::vector<counter::Ack> acks;
  std::size_t clientAcks = 0;
  if (args.has("acks")) {
    readAcks(args.get("acks"), acks);
    clientAcks = acks.size();
  }
  std::stringstream logs(args.get("server-logs"));
  for (std::string file; std::getline(logs, file, ',');) {
    if (!file.empty())
      readAcks(file, acks);
  }
  auto report = counter::checkHistory(store, acks);
  auto minSessions = static_cast<std::size_t>(std::stoul(args.get("min-sessions", "0")));
  if (report.sessions < minSessions) {
    report.violations.push_back("only " + std::to_string(report.sessions) +
                                " leader sessions stored writes, expected at least " +
                                std::to_string(minSessions));
  }
  std::cout << "store: " << store.value() << " writes from " << report.sessions
            << " leader sessions; acknowledgements checked: " << clientAcks << " by the client, "
            << acks.size() - clientAcks << " by the servers" << std::endl;
  for (const auto& violation : report.violations)
    std::cout << "VIOLATION " << violation << std::endl;
  if (args.get("cleanup") == "true")
    services->cleanupAllData();
  services->close();
  std::cout << (report.violations.empty() ? "history OK" : "history BROKEN") << std::endl;
  return report.violations.empty() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(counter::parseArgs(argc, argv,
                                  {"zk", "cluster-id", "config", "session-timeout", "acks",
                                   "server-logs", "min-sessions", "cleanup"}));
  } catch (const std::exception& e) {
    std::cerr << "counter_check: " << e.what() << std::endl;
    return 2;
  }
}
