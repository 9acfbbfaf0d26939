// The codec against the bytes the machine's JDK writes at test time: a tiny Java program
// (test/support/flink/WriteConnectionInfo.java) serializes each address and session id as
// Flink's ZooKeeper HA does, and the codec must read exactly that and write it byte for byte.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "flink/flink_leader_codec.hpp"

using namespace baton;
using namespace baton::zookeeper;

namespace {

std::string toHex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xF]);
  }
  return out;
}

std::string fromHex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  return out;
}

// One payload per (session id, address), written by the JDK in one run. Fails the test (naming the
// fix) when there is no JDK: a missing JDK must not read as a pass.
std::vector<std::string> javaPayloads(const std::vector<LeaderInformation>& infos) {
  const std::string java = BATON_JAVA;
  if (java.empty() || !std::filesystem::exists(java)) {
    FAIL(
        "no JDK: CMake found no java with a compiler (set Java_JAVA_EXECUTABLE, or install "
        "default-jdk-headless: scripts/install-deps.sh); the codec cannot be checked against "
        "the JDK's bytes");
  }
  const auto input = std::filesystem::temp_directory_path() /
                     ("baton-flink-addresses-" + std::to_string(::getpid()) + ".txt");
  {
    std::ofstream file(input, std::ios::binary);
    for (const auto& info : infos)
      file << info.sessionId().toString() << ' ' << toHex(info.address()) << '\n';
  }
  const std::string command =
      "'" + java + "' '" + std::string(BATON_FLINK_JAVA_WRITER) + "' '" + input.string() + "' 2>&1";
  std::vector<std::string> payloads;
  std::string output;
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    char buffer[65536];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0)
      output.append(buffer, n);
    const int status = ::pclose(pipe);
    INFO("command: " << command << "\noutput: " << output.substr(0, 2000));
    REQUIRE(status == 0);
  } else {
    FAIL("cannot run " << command);
  }
  std::filesystem::remove(input);
  std::size_t start = 0;
  while (start < output.size()) {
    const auto end = output.find('\n', start);
    payloads.push_back(fromHex(output.substr(start, end - start)));
    start = end == std::string::npos ? output.size() : end + 1;
  }
  REQUIRE(payloads.size() == infos.size());
  return payloads;
}

std::string repeat(std::string_view piece, std::size_t times) {
  std::string out;
  for (std::size_t k = 0; k < times; ++k)
    out += piece;
  return out;
}

}  // namespace

TEST_CASE("the codec reads and writes exactly the bytes of the machine's JDK") {
  const std::vector<std::string> addresses{
      "",
      "a:1",
      "pekko.tcp://flink@10.0.0.7:6123/user/rpc/dispatcher_1",
      "akka.tcp://flink@jobmanager-0.flink.svc:6123/user/rpc/resourcemanager_0",
      "http://jobmanager:8081",
      "j\xC3\xB6"
      "bmanager-\xC3\xBC:6123",           // two-byte characters
      "\xE6\x97\xA5\xE6\x9C\xAC:1",       // three-byte characters
      "\xF0\x9F\x98\x80@host",            // beyond U+FFFF: a surrogate pair in Java
      std::string("nul\0inside", 10),     // Java writes U+0000 as C0 80
      repeat("h", 253),                   // 255 bytes of block data: TC_BLOCKDATA
      repeat("h", 254),                   // 256: TC_BLOCKDATALONG
      repeat("h", 1022),                  // one full block
      repeat("h", 1023),                  // a full block and one byte
      repeat("\xE2\x82\xAC", 700) + "x",  // three-byte characters across blocks
      repeat("\xC3\xA9", 1500),           // two-byte ones across blocks
      repeat("\xF0\x9F\x98\x80", 400),    // surrogate pairs across blocks
      repeat("h", 65535),                 // the most writeUTF takes
  };
  std::vector<LeaderInformation> infos;
  for (const auto& id : {LeaderSessionId::random(), LeaderSessionId::defaultId(),
                         *LeaderSessionId::parse("ffffffff-ffff-ffff-ffff-ffffffffffff")}) {
    for (const auto& address : addresses)
      infos.emplace_back(id, address);
  }
  const auto payloads = javaPayloads(infos);
  for (std::size_t k = 0; k < infos.size(); ++k) {
    INFO("#" << k << ": an address of " << infos[k].address().size() << " bytes under "
             << infos[k].sessionId().toString());
    std::string why;
    const auto decoded = flink::decodeLeaderInformation(payloads[k], &why);
    INFO("why: " << why);
    REQUIRE(decoded.has_value());
    CHECK(*decoded == infos[k]);
    CHECK(flink::encodeLeaderInformation(infos[k]) == payloads[k]);
  }
}
