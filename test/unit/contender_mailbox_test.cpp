// ContenderMailbox, stepped without threads: what waits for a busy contender stays short.
#include <random>
#include <variant>
#include <vector>

#include <catch2/catch.hpp>

#include "baton/error.hpp"
#include "contender_mailbox.hpp"

using baton::LeaderSessionId;
using baton::detail::ContenderMailbox;
using baton::detail::ErrorCopy;

namespace {

ErrorCopy errorNamed(const std::string& text) {
  return ErrorCopy(std::system_error(make_error_code(baton::Errc::driver_failure), text));
}

// Drains the mailbox into a compact string: R (revoke), G (grant), E (error).
std::string drain(ContenderMailbox& mailbox, std::vector<LeaderSessionId>* grants = nullptr,
                  std::vector<std::string>* errors = nullptr) {
  std::string out;
  for (int i = 0; i < 10; ++i) {
    auto event = mailbox.take();
    if (!event)
      break;
    if (auto* g = std::get_if<ContenderMailbox::Grant>(&*event)) {
      out += 'G';
      if (grants)
        grants->push_back(g->id);
    } else if (std::holds_alternative<ContenderMailbox::Revoke>(*event)) {
      out += 'R';
    } else {
      out += 'E';
      if (errors)
        errors->push_back(std::get<ContenderMailbox::Error>(*event).error.text);
    }
  }
  return out;
}

}  // namespace

TEST_CASE("an undelivered grant and the revoke that follows cancel each other") {
  ContenderMailbox mailbox;
  mailbox.grant(LeaderSessionId::random());
  mailbox.revoke();
  CHECK(mailbox.empty());
}

TEST_CASE("a revoke of a delivered grant waits before the next grant") {
  ContenderMailbox mailbox;
  auto first = LeaderSessionId::random();
  auto last = LeaderSessionId::random();
  mailbox.revoke();  // of a grant already delivered
  mailbox.grant(first);
  mailbox.revoke();
  mailbox.grant(last);
  std::vector<LeaderSessionId> grants;
  CHECK(drain(mailbox, &grants) == "RG");
  CHECK(grants == std::vector<LeaderSessionId>{last});
}

TEST_CASE("errors are coalesced to the latest, in its place") {
  ContenderMailbox mailbox;
  CHECK_FALSE(mailbox.error(errorNamed("first")));
  mailbox.revoke();
  CHECK(mailbox.error(errorNamed("second")));
  std::vector<std::string> errors;
  CHECK(drain(mailbox, nullptr, &errors) == "RE");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].rfind("second", 0) == 0);
}

TEST_CASE("any sequence of facts leaves at most one event of each kind, never a grant first") {
  std::mt19937 random(20261129);
  for (int run = 0; run < 200; ++run) {
    ContenderMailbox mailbox;
    bool granted = random() % 2 == 0;  // the contender's state when it went busy
    bool leading = granted;            // what the service last said
    for (int step = 0; step < 100; ++step) {
      switch (random() % 3) {
        case 0:
          if (!leading) {
            mailbox.grant(LeaderSessionId::random());
            leading = true;
          }
          break;
        case 1:
          if (leading) {
            mailbox.revoke();
            leading = false;
          }
          break;
        default:
          mailbox.error(errorNamed("e"));
      }
      REQUIRE(mailbox.size() <= 3);
    }
    auto order = drain(mailbox);
    INFO(order);
    auto r = order.find('R');
    auto g = order.find('G');
    // A revoke is due only if the contender was granted when it went busy.
    CHECK((r != std::string::npos) == (granted && (!leading || g != std::string::npos)));
    CHECK((g != std::string::npos) == (leading && (granted ? r != std::string::npos : true)));
    if (r != std::string::npos && g != std::string::npos)
      CHECK(r < g);
  }
}
