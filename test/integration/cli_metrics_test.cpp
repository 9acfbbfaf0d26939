// `baton elect --metrics` against the real ensemble: /metrics scraped over HTTP from real
// processes changes across a grant, a suspension (its connection reset through a FaultProxy)
// and a revoke (another process takes over after the first leaves); /healthz answers 200
// while healthy and 503 once a blackholed leader's lease runs low and its connection stays
// down; `joined` and `position` (a waiting participant moving up) are printed.
#include <catch2/catch.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "support/fault_proxy.hpp"
#include "support/fault_scenario.hpp"

using namespace baton;
using namespace baton::test;
using namespace std::chrono_literals;
namespace asio = boost::asio;

namespace {

struct HttpAnswer {
  int status = 0;
  std::string body;
};

// One GET over loopback; status 0 when the endpoint cannot be reached.
HttpAnswer httpGet(const std::string& address, const std::string& path) {
  const auto colon = address.rfind(':');
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  boost::system::error_code ec;
  socket.connect({asio::ip::make_address(address.substr(0, colon)),
                  static_cast<unsigned short>(std::stoi(address.substr(colon + 1)))},
                 ec);
  if (ec)
    return {};
  const std::string request = "GET " + path + " HTTP/1.1\r\nHost: baton\r\n\r\n";
  asio::write(socket, asio::buffer(request), ec);
  std::string answer;
  asio::read(socket, asio::dynamic_buffer(answer), ec);  // the server closes after answering
  if (answer.rfind("HTTP/1.1 ", 0) != 0)
    return {};
  const auto bodyAt = answer.find("\r\n\r\n");
  return {std::stoi(answer.substr(9, 3)),
          bodyAt == std::string::npos ? "" : answer.substr(bodyAt + 4)};
}

// The value of one series ("baton_leader_status{component=\"svc\"}") in a scrape; nullopt if
// absent.
std::optional<double> seriesValue(const std::string& scrape, const std::string& series) {
  const auto at = scrape.find("\n" + series + " ");
  if (at == std::string::npos)
    return std::nullopt;
  const auto start = at + series.size() + 2;
  return std::stod(scrape.substr(start, scrape.find('\n', start) - start));
}

// A `baton elect --json --metrics 127.0.0.1:0` process and its endpoint.
class MeteredElect {
 public:
  MeteredElect(const std::string& name, std::vector<std::string> args) {
    args.insert(args.end(), {"--metrics", "127.0.0.1:0"});
    process_ = std::make_unique<ElectProcess>(name, args);
    address_ = jsonField(process_->await("metrics").raw, "address");
    REQUIRE(address_.rfind("127.0.0.1:", 0) == 0);
  }

  ElectProcess& process() { return *process_; }
  const std::string& address() const { return address_; }

  // The body of GET /metrics; "" (no series) if the endpoint did not answer 200.
  std::string scrape() {
    const auto answer = httpGet(address_, "/metrics");
    return answer.status == 200 ? answer.body : std::string();
  }

  // Scrapes until the series has the value (every scrape is a fresh read of the registry).
  bool awaitSeries(const std::string& series, double value,
                   std::chrono::milliseconds timeout = scaled(20s)) {
    std::optional<double> last;
    const bool reached = waitUntil(
        [&] {
          last = seriesValue(scrape(), series);
          return last == value;
        },
        timeout);
    if (!reached) {
      UNSCOPED_INFO(process_->name()
                    << ": " << series << " is " << (last ? std::to_string(*last) : "absent")
                    << ", not " << value);
    }
    return reached;
  }

  bool awaitHealth(int status, HttpAnswer& answer, std::chrono::milliseconds timeout) {
    return waitUntil(
        [&] {
          answer = httpGet(address_, "/healthz");
          return answer.status == status;
        },
        timeout);
  }

  // Waits until the process printed `event` (in any order relative to the others: joined and
  // position are printed from another thread than granted and revoked).
  ElectEvent awaitPrinted(const std::string& event, long long sinceUs = 0) {
    ElectEvent found;
    waitUntil(
        [&] {
          found = firstEvent(*process_, event, sinceUs);
          return found.tsUs != 0;
        },
        eventTimeout());
    return found;
  }

 private:
  std::unique_ptr<ElectProcess> process_;
  std::string address_;
};

const std::string kLeader = "baton_leader_status{component=\"svc\"}";
const std::string kGrants =
    "baton_leadership_transitions_total{component=\"svc\",transition=\"granted\",reason=\"\"}";

std::string connectionSeries(const std::string& state) {
  return "baton_connection_state{state=\"" + state + "\"}";
}

// The revokes of the component whatever their reason.
double revokes(const std::string& scrape) {
  double total = 0;
  const std::string prefix =
      "baton_leadership_transitions_total{component=\"svc\",transition=\"revoked\",";
  for (auto at = scrape.find(prefix); at != std::string::npos; at = scrape.find(prefix, at + 1)) {
    const auto space = scrape.find("} ", at);
    total += std::stod(scrape.substr(space + 2, scrape.find('\n', space) - space - 2));
  }
  return total;
}

}  // namespace

TEST_CASE("baton elect --metrics: a malformed address is a usage error naming it") {
  ElectProcess p("bad", {"--component", "svc", "--address", "x", "--metrics", "localhost:9100"});
  CHECK(p.wait() == 2);
}

TEST_CASE("baton elect --metrics: an address in use is refused naming it, before joining") {
  ElectSetup setup{uniqueClusterId("metrics-busy")};
  AdminClient admin;
  MeteredElect a("a", setup.args(zkQuorum()));
  a.process().await("granted", scaled(20s));
  ElectProcess b("b", [&] {
    auto args = setup.args(zkQuorum());
    args.insert(args.end(), {"--metrics", a.address()});
    return args;
  }());
  CHECK(b.wait() == 1);
  // b never joined: a is the only participant.
  CHECK(admin.children(setup.latch()).size() == 1);
  a.process().send("quit");
  CHECK(a.process().wait() == 0);
  admin.removeTree("/baton-test/" + setup.cluster);
}

TEST_CASE("baton elect --metrics: values follow a grant, a suspension and a revoke; /healthz") {
  ElectSetup setup{uniqueClusterId("metrics")};  // lease, session 4 s, margin 1 s
  FaultProxy proxyA(zkQuorum());
  FaultProxy proxyC(zkQuorum());
  AdminClient admin;
  {
    // --- grant ---
    MeteredElect a("a", setup.args(proxyA.quorum()));
    a.process().await("granted", scaled(20s));
    CHECK(a.awaitSeries(kLeader, 1));
    CHECK(a.awaitSeries(kGrants, 1));
    CHECK(a.awaitSeries(connectionSeries("connected"), 1));
    CHECK(a.awaitSeries("baton_participant_joined", 1));
    CHECK(a.awaitSeries("baton_queue_position", 0));
    auto scrape = a.scrape();
    CHECK(seriesValue(scrape, "baton_session_timeout_seconds") == 4.0);
    CHECK(seriesValue(scrape, "baton_lease_remaining_seconds").value_or(0) > 0);
    CHECK(seriesValue(scrape, "baton_last_answer_age_seconds").has_value());
    CHECK(seriesValue(scrape, "baton_healthy") == 1);
    CHECK(scrape.find("baton_requests_total{operation=") != std::string::npos);
    HttpAnswer health;
    CHECK(a.awaitHealth(200, health, scaled(10s)));
    CHECK(health.body.rfind("ok: ", 0) == 0);
    const auto joined = a.awaitPrinted("joined");
    CHECK(jsonField(joined.raw, "position") == "0");
    CHECK(jsonField(joined.raw, "node").find("latch-") != std::string::npos);

    // --- suspension: the connection is reset, then let through again ---
    proxyA.setMode(FaultProxy::Mode::reset);
    a.process().await("suspended");
    CHECK(a.awaitSeries(connectionSeries("suspended"), 1));
    CHECK(seriesValue(a.scrape(), connectionSeries("connected")) == 0);
    proxyA.setMode(FaultProxy::Mode::pass);
    // The same session back (reconnected), or a new one if the old had expired meanwhile.
    CHECK(waitUntil(
        [&] {
          const auto s = a.scrape();
          return seriesValue(s, connectionSeries("reconnected")) == 1 ||
                 seriesValue(s, connectionSeries("connected")) == 1;
        },
        scaled(20s)));
    CHECK(a.awaitSeries(kLeader, 1, scaled(30s)));

    // --- the queue: b and c wait in line; b leaves, c moves up and says so ---
    MeteredElect b("b", setup.args(zkQuorum()));
    CHECK(jsonField(b.awaitPrinted("joined").raw, "position") == "1");
    MeteredElect c("c", setup.args(proxyC.quorum()));
    CHECK(jsonField(c.awaitPrinted("joined").raw, "position") == "2");
    CHECK(c.awaitSeries("baton_queue_position", 2));
    CHECK(seriesValue(c.scrape(), kGrants) == std::nullopt);
    b.process().send("release");
    // c watched b, its predecessor: b's node gone, c looks again and finds itself next.
    CHECK(jsonField(c.awaitPrinted("position").raw, "position") == "1");
    CHECK(c.awaitSeries("baton_queue_position", 1));
    CHECK(b.awaitSeries("baton_participant_joined", 0));
    const long long rejoinUs = nowUs();
    b.process().send("rejoin");
    CHECK(jsonField(b.awaitPrinted("joined", rejoinUs).raw, "position") == "2");

    // --- revoke: a leaves, c takes over ---
    const double aRevokesBefore = revokes(a.scrape());
    a.process().send("release");
    c.process().await("granted", scaled(20s));
    CHECK(a.awaitSeries(kLeader, 0));
    CHECK(a.awaitSeries("baton_participant_joined", 0));
    scrape = a.scrape();
    CHECK(revokes(scrape) == aRevokesBefore + 1);
    CHECK(seriesValue(scrape, "baton_leadership_tenure_seconds_count{component=\"svc\"}")
              .value_or(0) >= 1);
    CHECK(c.awaitSeries(kLeader, 1));
    CHECK(c.awaitSeries(kGrants, 1));

    // --- unhealthy: c is cut off while leading ---
    CHECK(c.awaitHealth(200, health, scaled(10s)));
    proxyC.setMode(FaultProxy::Mode::blackhole);
    // Its lease runs low, then out (revoked); the connection then stays down past the session
    // timeout: 503 from the first moment on, whichever rule says it first.
    REQUIRE(c.awaitHealth(503, health, scaled(30s)));
    CHECK(health.body.rfind("unhealthy: ", 0) == 0);
    CHECK(health.body.find("\nrule: ") != std::string::npos);
    b.process().await("granted", scaled(30s));  // the next in line takes over
    CHECK(c.awaitSeries(kLeader, 0, scaled(30s)));
    CHECK(c.awaitHealth(503, health, scaled(30s)));
    CHECK(seriesValue(c.scrape(), "baton_healthy") == 0);
    proxyC.setMode(FaultProxy::Mode::pass);
    CHECK(c.awaitHealth(200, health, scaled(30s)));

    CHECK(quitAll({&a.process(), &b.process(), &c.process()}));
  }
  admin.removeTree("/baton-test/" + setup.cluster);
}
