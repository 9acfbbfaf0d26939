#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>

#include "flink/flink_leader_codec.hpp"

using namespace baton;
using namespace baton::zookeeper;

namespace {

std::string fromHex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size();) {
    if (hex[i] == ' ') {
      ++i;
      continue;
    }
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
    i += 2;
  }
  return out;
}

const LeaderSessionId kId = *LeaderSessionId::parse("00112233-4455-6677-8899-aabbccddeeff");

// writeUTF("a:1") then writeObject(UUID 00112233-4455-6677-8899-aabbccddeeff), checked by hand
// against ObjectOutputStream's grammar (docs/flink.md walks through it).
std::string handChecked() {
  return fromHex(
      "ACED 0005"                            // offset 0: magic, version
      "77 05 0003 613A31"                    // 4: TC_BLOCKDATA, 5 bytes: u16 3, "a:1"
      "73 72 000E"                           // 11: TC_OBJECT, TC_CLASSDESC, name length 14
      "6A6176612E7574696C2E55554944"         // 15: "java.util.UUID"
      "BC9903F7986D852F 02 0002"             // 29: serialVersionUID, SC_SERIALIZABLE, 2 fields
      "4A 000C 6C6561737453696742697473"     // 40: 'J' "leastSigBits"
      "4A 000B 6D6F737453696742697473"       // 55: 'J' "mostSigBits"
      "78 70"                                // 69: TC_ENDBLOCKDATA, TC_NULL
      "8899AABBCCDDEEFF 0011223344556677");  // 71: leastSigBits, mostSigBits; 87 bytes
}

std::string whyRejected(const std::string& bytes) {
  std::string why;
  auto decoded = flink::decodeLeaderInformation(bytes, &why);
  CHECK_FALSE(decoded.has_value());
  return why;
}

std::string replaced(std::string bytes, std::string_view from, std::string_view to) {
  const auto at = bytes.find(from);
  REQUIRE(at != std::string::npos);
  return bytes.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("Flink's connection_info: hand-checked bytes both ways") {
  const LeaderInformation info(kId, "a:1");
  CHECK(flink::encodeLeaderInformation(info) == handChecked());
  CHECK(flink::decodeLeaderInformation(handChecked()) == info);
}

TEST_CASE("Flink's connection_info: every truncation is rejected with its offset") {
  const std::string full = handChecked();
  for (std::size_t n = 0; n < full.size(); ++n) {
    INFO("prefix of " << n << " bytes");
    const std::string why = whyRejected(full.substr(0, n));
    CHECK_THAT(why, Catch::StartsWith("offset "));
    CHECK_THAT(why, Catch::Contains("expected"));
  }
}

TEST_CASE("Flink's connection_info: foreign streams are rejected with the reason") {
  const std::string full = handChecked();
  CHECK_THAT(whyRejected(replaced(full, "\xAC\xED", "\xAC\xEE")),
             Catch::Contains("offset 1: expected the stream header AC ED 00 05, found 0xee"));
  CHECK_THAT(whyRejected(replaced(full, "java.util.UUID", "java.util.UUIE")),
             Catch::Contains("offset 28: expected the class name java.util.UUID"));
  CHECK_THAT(whyRejected(replaced(full, "\xBC\x99\x03\xF7", "\xBC\x99\x03\xF8")),
             Catch::Contains("offset 32: expected UUID's serialVersionUID"));
  CHECK_THAT(whyRejected(full + "x"),
             Catch::Contains("1 bytes after the UUID, where the data should end"));
  CHECK_THAT(
      whyRejected(replaced(full, std::string("\x02\x00\x02", 3), std::string("\x03\x00\x02", 3))),
      Catch::Contains("SC_SERIALIZABLE"));
  CHECK_THAT(whyRejected(replaced(full, "\x78\x70", "\x78\x71")), Catch::Contains("TC_NULL"));
  // A back reference instead of the class descriptor: valid Java, but not what Flink writes.
  CHECK_THAT(whyRejected(replaced(full, "\x73\x72", "\x73\x71")), Catch::Contains("TC_CLASSDESC"));
  // writeUTF's length disagreeing with the block.
  CHECK_THAT(whyRejected(replaced(full, std::string("\x77\x05\x00\x03", 4),
                                  std::string("\x77\x05\x00\x02", 4))),
             Catch::Contains("writeUTF's length says 2 bytes, the block data holds 3"));
  CHECK_THAT(whyRejected("not java at all"), Catch::Contains("offset 0"));
}

TEST_CASE(
    "Flink's connection_info: invalid modified UTF-8 is rejected, Java's NUL and "
    "surrogate pairs accepted") {
  auto payload = [](std::string_view modifiedUtf8) {
    std::string out = fromHex("ACED0005");
    out.push_back('\x77');
    out.push_back(static_cast<char>(modifiedUtf8.size() + 2));
    out.push_back('\0');
    out.push_back(static_cast<char>(modifiedUtf8.size()));
    out += modifiedUtf8;
    const std::string tail = handChecked();
    return out + tail.substr(tail.find('\x73'));
  };
  // Java writes U+0000 as C0 80 and U+1F600 as the surrogates D83D DE00, three bytes each.
  CHECK(flink::decodeLeaderInformation(payload("a\xC0\x80"
                                               "b"))
            ->address() == std::string("a\0b", 3));
  CHECK(flink::decodeLeaderInformation(payload("\xED\xA0\xBD\xED\xB8\x80"))->address() ==
        "\xF0\x9F\x98\x80");
  CHECK(flink::encodeLeaderInformation(LeaderInformation(kId, "\xF0\x9F\x98\x80")) ==
        payload("\xED\xA0\xBD\xED\xB8\x80"));
  CHECK(flink::encodeLeaderInformation(LeaderInformation(kId, std::string("a\0b", 3))) ==
        payload("a\xC0\x80"
                "b"));

  CHECK_THAT(whyRejected(payload(std::string("a\0b", 3))),
             Catch::Contains("offset 9: invalid modified UTF-8: a raw 0x00 byte"));
  CHECK_THAT(whyRejected(payload("\xC1\x81")), Catch::Contains("overlong two-byte"));
  CHECK_THAT(whyRejected(payload("\xE0\x81\x81")), Catch::Contains("overlong three-byte"));
  CHECK_THAT(whyRejected(payload("\xC3\x28")), Catch::Contains("offset 9: invalid modified UTF-8: "
                                                               "a continuation byte"));
  CHECK_THAT(whyRejected(payload("\xF0\x9F\x98\x80")), Catch::Contains("cannot start"));
  CHECK_THAT(whyRejected(payload("\xC3")), Catch::Contains("cut off"));
  CHECK_THAT(whyRejected(payload("\xED\xB8\x80")), Catch::Contains("low surrogate without"));
  CHECK_THAT(whyRejected(payload("\xED\xA0\xBD"
                                 "a")),
             Catch::Contains("a low surrogate after"));
  CHECK_THAT(whyRejected(payload("\xED\xA0\xBD")), Catch::Contains("a low surrogate after"));
}

TEST_CASE("Flink's connection_info: long addresses are cut in 1024-byte blocks, as the JDK does") {
  for (std::size_t length : {253U, 254U, 1022U, 1023U, 3000U, 65535U}) {
    INFO("address of " << length << " bytes");
    const LeaderInformation info(kId, std::string(length, 'h'));
    const std::string bytes = flink::encodeLeaderInformation(info);
    CHECK(flink::decodeLeaderInformation(bytes) == info);
    const std::size_t data = length + 2;
    const std::size_t blocks = (data + 1023) / 1024;
    const std::size_t last = data - (blocks - 1) * 1024;
    const std::size_t headers = (blocks - 1) * 5 + (last <= 255 ? 2 : 5);
    CHECK(bytes.size() == 4 + headers + data + (87 - 11));
  }
  // The same 300 bytes of block data as two short blocks: Java would read it, the JDK never
  // writes it.
  std::string split = fromHex("ACED0005");
  split += fromHex("7780") + fromHex("012A") + std::string(126, 'h');
  split += fromHex("77AC") + std::string(172, 'h');
  const std::string tail = handChecked();
  split += tail.substr(tail.find('\x73'));
  CHECK_THAT(whyRejected(split), Catch::Contains("offset 134: expected TC_OBJECT (0x73): the JDK "
                                                 "starts a new block only after a full one"));
  // 300 bytes in a TC_BLOCKDATA header cannot happen; 200 in a TC_BLOCKDATALONG must not.
  std::string longHeader = fromHex("ACED0005") + fromHex("7A000000CA") + fromHex("00C8") +
                           std::string(200, 'h') + tail.substr(tail.find('\x73'));
  CHECK_THAT(whyRejected(longHeader), Catch::Contains("offset 4: a block of 202 bytes"));
}

TEST_CASE("Flink's connection_info: what cannot be encoded is refused by name") {
  CHECK_THROWS_WITH(flink::encodeLeaderInformation(LeaderInformation::empty()),
                    Catch::Contains("empty leader information"));
  CHECK_THROWS_WITH(flink::encodeLeaderInformation(LeaderInformation(kId, "a\xFF")),
                    Catch::Contains("byte 1: invalid UTF-8"));
  CHECK_THROWS_WITH(flink::encodeLeaderInformation(LeaderInformation(kId, "\xED\xA0\xBD")),
                    Catch::Contains("surrogate"));
  CHECK_THROWS_WITH(flink::encodeLeaderInformation(LeaderInformation(kId, std::string(65536, 'x'))),
                    Catch::Contains("at most 65535"));
  // U+0800 takes three bytes in modified UTF-8: 21846 of them pass 65535.
  std::string wide;
  for (int k = 0; k < 21846; ++k)
    wide += "\xE0\xA0\x80";
  CHECK_THROWS_WITH(flink::encodeLeaderInformation(LeaderInformation(kId, wide)),
                    Catch::Contains("65538 bytes in modified UTF-8"));
}

TEST_CASE("Flink's connection_info: no data is no leader, as Flink reads it") {
  CHECK(flink::decodeConnectionInfo("") == LeaderInformation::empty());
  CHECK(flink::decodeConnectionInfo(handChecked()) == LeaderInformation(kId, "a:1"));
  std::string why;
  CHECK_FALSE(flink::decodeConnectionInfo("\x01", &why));
  CHECK_THAT(why, Catch::Contains("offset 0"));
}
