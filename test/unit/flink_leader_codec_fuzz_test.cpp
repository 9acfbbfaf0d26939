// A million mutated payloads through Flink's connection_info decoder: none may crash (the
// sanitizer builds run this too), and whatever it accepts must be canonical, i.e. re-encode
// to the very same bytes, and round-trip.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "flink/flink_leader_codec.hpp"

using namespace baton;
using namespace baton::zookeeper;

namespace {

std::vector<std::string> seedPayloads() {
  std::mt19937_64 random(7);
  auto id = [&] {
    LeaderSessionId::Bytes bytes{};
    for (auto& b : bytes)
      b = static_cast<std::uint8_t>(random());
    return LeaderSessionId(bytes);
  };
  std::vector<std::string> seeds;
  for (const std::string& address :
       {std::string(), std::string("a:1"),
        std::string("pekko.tcp://flink@10.0.0.7:6123/user/rpc/x"),
        std::string("j\xC3\xB6\xE6\x97\xA5\xF0\x9F\x98\x80"), std::string("n\0l", 3),
        std::string(300, 'h'), std::string(1100, 'w')}) {
    seeds.push_back(flink::encodeLeaderInformation(LeaderInformation(id(), address)));
  }
  return seeds;
}

// One to four random edits of a random seed: bit flips, byte overwrites with interesting
// values, truncation, insertion, deletion, and splices with another seed.
std::string mutate(const std::vector<std::string>& seeds, std::mt19937_64& random) {
  auto below = [&](std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(random() % n); };
  std::string bytes = seeds[below(seeds.size())];
  static constexpr unsigned char kInteresting[] = {0x00, 0x01, 0x70, 0x72, 0x73, 0x77, 0x78,
                                                   0x7A, 0x7F, 0x80, 0xC0, 0xED, 0xFF};
  const std::size_t edits = 1 + below(4);
  for (std::size_t e = 0; e < edits; ++e) {
    const std::size_t at = below(bytes.size() + 1);
    switch (below(7)) {
      case 0:
        if (at < bytes.size())
          bytes[at] = static_cast<char>(bytes[at] ^ (1 << below(8)));
        break;
      case 1:
        if (at < bytes.size())
          bytes[at] = static_cast<char>(kInteresting[below(sizeof kInteresting)]);
        break;
      case 2:
        bytes.resize(at);
        break;
      case 3:
        bytes.insert(at, 1 + below(3), static_cast<char>(random()));
        break;
      case 4:
        bytes.erase(at, 1 + below(8));
        break;
      case 5: {
        const std::string& other = seeds[below(seeds.size())];
        bytes = bytes.substr(0, at) + other.substr(below(other.size() + 1));
        break;
      }
      default:
        if (at < bytes.size())
          bytes[at] = static_cast<char>(random());
        break;
    }
  }
  return bytes;
}

}  // namespace

TEST_CASE("a million mutated payloads: no crash, and what is accepted is canonical") {
  const auto seeds = seedPayloads();
  std::mt19937_64 random(20261129);  // deterministic: a failure reproduces
  std::size_t accepted = 0;
  std::size_t rejected = 0;
  std::string why;
  for (int iteration = 0; iteration < 1'000'000; ++iteration) {
    const std::string input = mutate(seeds, random);
    why.clear();
    const auto decoded = flink::decodeLeaderInformation(input, &why);
    if (!decoded) {
      ++rejected;
      if (why.rfind("offset ", 0) != 0) {
        INFO("iteration " << iteration);
        FAIL("a rejection without its offset: " << why);
      }
      continue;
    }
    ++accepted;
    const std::string encoded = flink::encodeLeaderInformation(*decoded);
    if (encoded != input || flink::decodeLeaderInformation(encoded) != decoded) {
      INFO("iteration " << iteration);
      FAIL("accepted bytes that do not re-encode to themselves");
    }
  }
  // Some mutations keep a payload valid (a flipped bit in the UUID, a splice at the same
  // offset): both paths must have been exercised.
  CHECK(accepted > 1000);
  CHECK(rejected > 500'000);
}
