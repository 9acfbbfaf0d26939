// counter_server: one instance of the replicated counter (see docs/embedding.md).
//   counter_server --id s1 --listen 127.0.0.1:0 [--advertise HOST:PORT] [--zk QUORUM]
//                  [--cluster-id ID] [--session-timeout 4s] [--config FILE]
// Prints "LISTEN <address>" once bound, then the service's events (counter_service.hpp).
#include <unistd.h>

#include <csignal>
#include <exception>
#include <iostream>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/signal_set.hpp>

#include "baton/ha_services_factory.hpp"
#include "counter_service.hpp"
#include "example_args.hpp"
#include "line_server.hpp"

namespace {

boost::asio::ip::tcp::endpoint parseEndpoint(const std::string& text) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos)
    throw std::invalid_argument("--listen needs HOST:PORT");
  return {boost::asio::ip::make_address(text.substr(0, colon)),
          static_cast<unsigned short>(std::stoi(text.substr(colon + 1)))};
}

int run(const counter::Args& args) {
  auto id = args.get("id", "counter-" + std::to_string(::getpid()));
  auto config = counter::haConfiguration(args).set("ha.participant-id", id);
  boost::asio::io_context io;
  baton::HaServicesOptions options;
  options.callbackExecutor = io.get_executor();  // one thread for everything
  auto services = baton::createHighAvailabilityServices(config, options);

  std::unique_ptr<counter::CounterService> service;
  counter::LineServer server(io, parseEndpoint(args.get("listen", "127.0.0.1:0")),
                             [&service](const std::string& request, counter::LineServer::Reply r) {
                               service->handle(request, std::move(r));
                             });
  auto bound = server.localEndpoint();
  auto address =
      args.get("advertise", bound.address().to_string() + ":" + std::to_string(bound.port()));
  service = std::make_unique<counter::CounterService>(io, *services, "counter", address, std::cout);
  std::cout << "LISTEN " << address << std::endl;
  server.start();
  service->start();

  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](boost::system::error_code, int) {
    service->close();  // the revoke runs here, on this thread
    server.stop();
    services->close();
    io.stop();
  });
  io.run();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(counter::parseArgs(
        argc, argv,
        {"id", "listen", "advertise", "zk", "cluster-id", "session-timeout", "config"}));
  } catch (const std::exception& e) {
    std::cerr << "counter_server: " << e.what() << std::endl;
    return 2;
  }
}
