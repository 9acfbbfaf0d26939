// Elects itself on the in-process backend and checks that it was granted: proves the installed
// headers, libraries and exported targets are complete.
#include <chrono>
#include <future>
#include <iostream>

#include <baton/ha_services_factory.hpp>

namespace {
class Contender : public baton::LeaderContender {
 public:
  std::promise<baton::LeaderSessionId> granted;
  void grantLeadership(const baton::LeaderSessionId& id) override { granted.set_value(id); }
  void revokeLeadership() override {}
  void handleError(const std::system_error& e) override { std::cerr << e.what() << "\n"; }
};
}  // namespace

int main() {
  auto services = baton::createHighAvailabilityServices(
      baton::Configuration::fromMap({{"ha.type", "embedded"}, {"ha.cluster-id", "consumer"}}));
  Contender contender;
  auto granted = contender.granted.get_future();
  auto election = services->getLeaderElection("consumer");
  election->startLeaderElection(contender);
  if (granted.wait_for(std::chrono::seconds(30)) != std::future_status::ready) {
    std::cerr << "not granted\n";
    return 1;
  }
  auto id = granted.get();
  election->confirmLeadership(id, "127.0.0.1:1");
  bool leads = election->hasLeadership(id);
  election->close();
  services->close();
  std::cout << "consumer granted " << id.toString() << " leads=" << leads << "\n";
  return leads ? 0 : 1;
}
