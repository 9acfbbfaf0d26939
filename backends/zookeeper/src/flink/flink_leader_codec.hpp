#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "baton/leader_information.hpp"

namespace baton::zookeeper::flink {

// What Flink's ZooKeeper HA (1.15+, 2.x) stores in <root>/<cluster-id>/leader/<component>/
// connection_info: Java serialization of writeUTF(address) then writeObject(java.util.UUID)
// through a fresh ObjectOutputStream (Flink's ZooKeeperUtils.writeLeaderInformationToZooKeeper),
// laid out byte by byte in docs/flink.md:
//
//   AC ED 00 05                        stream magic and version
//   77 <n> | 7A <n:4>  ...             block data: u16 length, the address in modified UTF-8,
//                                      cut into blocks of 1024 bytes as the JDK does
//   73 72 00 0E "java.util.UUID"       TC_OBJECT, TC_CLASSDESC and the class name
//   BC 99 03 F7 98 6D 85 2F 02 00 02   serialVersionUID, SC_SERIALIZABLE, two fields
//   4A 00 0C "leastSigBits" 4A 00 0B "mostSigBits" 78 70
//   <leastSigBits:8> <mostSigBits:8>   big-endian
//
// The decoder accepts exactly what the JDK writes (so encode(decode(b)) == b for every
// accepted b) and rejects anything else with the offset and what was expected there: Flink
// reads the payload with ObjectInputStream, and a byte stream that deserializes differently
// (a back reference, a subclass, another chunking) is not something a Flink leader wrote.
// Addresses are UTF-8 here and modified UTF-8 (Java's) on the wire; an address that cannot be
// said in both (an unpaired surrogate, invalid UTF-8) is rejected.
//
// Thread-safety: pure functions.

// Throws std::invalid_argument (naming the problem) for empty information, an address that
// is not valid UTF-8, or one longer than writeUTF allows (65535 modified UTF-8 bytes).
std::string encodeLeaderInformation(const LeaderInformation& info);

// nullopt, with the offset and what was expected in *whyNot, for anything but a payload the
// JDK would write. An empty input is rejected too (see decodeConnectionInfo).
std::optional<LeaderInformation> decodeLeaderInformation(std::string_view bytes,
                                                         std::string* whyNot = nullptr);

// For retrieval: Flink clears a connection_info by writing no data (null), which is "no
// leader", not a malformed node; everything else is decodeLeaderInformation.
std::optional<LeaderInformation> decodeConnectionInfo(std::string_view bytes,
                                                      std::string* whyNot = nullptr);

}  // namespace baton::zookeeper::flink
