#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace baton::test {

// ZooKeeper's wire framing, as much as the fault proxy needs: every packet is a 4-byte
// big-endian length followed by that many bytes. The first packet of a connection is the
// ConnectRequest (client) or ConnectResponse (server); later client packets start with
// RequestHeader {xid:int32, type:int32}, later server packets with ReplyHeader
// {xid:int32, zxid:int64, err:int32}.
namespace zkwire {

inline constexpr std::int32_t kCreate = 1;
inline constexpr std::int32_t kCreate2 = 15;
inline constexpr std::int32_t kCreateContainer = 19;
inline constexpr std::int32_t kCreateTtl = 21;

inline bool isCreate(std::int32_t type) {
  return type == kCreate || type == kCreate2 || type == kCreateContainer || type == kCreateTtl;
}

inline std::int32_t readInt32(const std::string& bytes, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i)
    v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
  return static_cast<std::int32_t>(v);
}

inline void appendInt32(std::string& out, std::int32_t value) {
  auto v = static_cast<std::uint32_t>(value);
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((v >> shift) & 0xff));
}

// A packet with its length prefix.
inline std::string frame(const std::string& body) {
  std::string out;
  appendInt32(out, static_cast<std::int32_t>(body.size()));
  return out + body;
}

// The xid of a request or reply packet (prefix included); nullopt if it is too short.
inline std::optional<std::int32_t> xidOf(const std::string& packet) {
  if (packet.size() < 8)
    return std::nullopt;
  return readInt32(packet, 4);
}

// The operation type of a request packet (prefix included).
inline std::optional<std::int32_t> requestTypeOf(const std::string& packet) {
  if (packet.size() < 12)
    return std::nullopt;
  return readInt32(packet, 8);
}

// The error code of a reply packet (prefix included; ZooKeeper's errors are negative); nullopt
// if it is too short.
inline std::optional<std::int32_t> replyErrorOf(const std::string& packet) {
  if (packet.size() < 4 + 16)
    return std::nullopt;
  return readInt32(packet, 4 + 12);
}

// The created path in a successful create/create2 reply packet (prefix included), "" if none.
inline std::string createdPathOf(const std::string& packet) {
  constexpr std::size_t header = 4 + 16;  // length, xid, zxid, err
  if (packet.size() < header + 4 || readInt32(packet, 4 + 12) != 0)
    return "";
  auto length = readInt32(packet, header);
  if (length <= 0 || packet.size() < header + 4 + static_cast<std::size_t>(length))
    return "";
  return packet.substr(header + 4, static_cast<std::size_t>(length));
}

}  // namespace zkwire

// Cuts a byte stream into whole packets (length prefix included), keeping a partial one for
// the next push. A stream that is not ZooKeeper's (a length above 16 MiB) turns it off for
// good: no more packets, nothing buffered. Not thread-safe.
class FrameSplitter {
 public:
  std::vector<std::string> push(const char* data, std::size_t size) {
    if (off_)
      return {};
    buffer_.append(data, size);
    std::vector<std::string> frames;
    std::size_t at = 0;
    while (buffer_.size() - at >= 4) {
      auto length = static_cast<std::uint32_t>(zkwire::readInt32(buffer_, at));
      if (length > (16u << 20)) {
        off_ = true;
        buffer_.clear();
        return frames;
      }
      if (buffer_.size() - at - 4 < length)
        break;
      frames.push_back(buffer_.substr(at, 4 + length));
      at += 4 + length;
    }
    buffer_.erase(0, at);
    return frames;
  }

 private:
  std::string buffer_;
  bool off_ = false;
};

}  // namespace baton::test
