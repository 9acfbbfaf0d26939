#include "flink/flink_leader_codec.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "flink/modified_utf8.hpp"

namespace baton::zookeeper::flink {
namespace {

// java.io.ObjectStreamConstants and what ObjectOutputStream writes for java.util.UUID.
constexpr std::uint8_t kTcBlockData = 0x77;
constexpr std::uint8_t kTcBlockDataLong = 0x7A;
constexpr std::uint8_t kTcObject = 0x73;
constexpr std::size_t kMaxBlock = 1024;  // BlockDataOutputStream.MAX_BLOCK_SIZE
constexpr std::size_t kMaxUtf = 0xFFFF;

constexpr std::string_view kStreamHeader{"\xAC\xED\x00\x05", 4};

// From TC_OBJECT to the first field value. UUID.serialVersionUID is -4856846361193249489L;
// ObjectStreamClass orders the fields primitives first, then by name.
struct Piece {
  std::string_view bytes;
  const char* what;
};
constexpr std::array kUuidPrologue{
    Piece{{"\x73", 1}, "TC_OBJECT (0x73)"},
    Piece{{"\x72", 1}, "TC_CLASSDESC (0x72)"},
    Piece{{"\x00\x0E", 2}, "the class name's length 14"},
    Piece{"java.util.UUID", "the class name java.util.UUID"},
    Piece{"\xBC\x99\x03\xF7\x98\x6D\x85\x2F", "UUID's serialVersionUID 0xbc9903f7986d852f"},
    Piece{"\x02", "the flags SC_SERIALIZABLE (0x02)"},
    Piece{{"\x00\x02", 2}, "a field count of 2"},
    Piece{"J", "field type 'J' (long)"},
    Piece{{"\x00\x0C", 2}, "the field name's length 12"},
    Piece{"leastSigBits", "the field name leastSigBits"},
    Piece{"J", "field type 'J' (long)"},
    Piece{{"\x00\x0B", 2}, "the field name's length 11"},
    Piece{"mostSigBits", "the field name mostSigBits"},
    Piece{"\x78", "TC_ENDBLOCKDATA (0x78) after the class annotation"},
    Piece{"\x70", "TC_NULL (0x70): no superclass descriptor"},
};

std::string hexByte(std::uint8_t b) {
  static constexpr char kDigits[] = "0123456789abcdef";
  return {'0', 'x', kDigits[b >> 4], kDigits[b & 0xF]};
}

void putBigEndian(std::string& out, std::uint64_t value, int bytes) {
  for (int k = bytes - 1; k >= 0; --k)
    out.push_back(static_cast<char>((value >> (8 * k)) & 0xFF));
}

// The block-data stream: the u16 length and the modified UTF-8, cut as the JDK cuts it.
void putBlockData(std::string& out, const std::string& data) {
  for (std::size_t at = 0; at < data.size(); at += kMaxBlock) {
    const std::size_t n = std::min(kMaxBlock, data.size() - at);
    if (n <= 0xFF) {
      out.push_back(static_cast<char>(kTcBlockData));
      putBigEndian(out, n, 1);
    } else {
      out.push_back(static_cast<char>(kTcBlockDataLong));
      putBigEndian(out, n, 4);
    }
    out.append(data, at, n);
  }
}

// A cursor over the payload that records why it stopped.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}

  std::size_t offset() const { return at_; }
  bool atEnd() const { return at_ == bytes_.size(); }

  bool fail(std::size_t offset, const std::string& expected) {
    what_ = "offset " + std::to_string(offset) + ": expected " + expected;
    if (offset >= bytes_.size()) {
      what_ += ", found the end of the data";
    } else {
      what_ += ", found " + hexByte(static_cast<std::uint8_t>(bytes_[offset]));
    }
    return false;
  }
  bool failWith(std::size_t offset, const std::string& message) {
    what_ = "offset " + std::to_string(offset) + ": " + message;
    return false;
  }

  bool expect(std::string_view wanted, const char* what) {
    for (std::size_t k = 0; k < wanted.size(); ++k) {
      if (at_ + k >= bytes_.size() || bytes_[at_ + k] != wanted[k])
        return fail(at_ + k, what);
    }
    at_ += wanted.size();
    return true;
  }

  bool readUnsigned(int bytes, std::uint64_t& value, const char* what) {
    if (bytes_.size() - at_ < static_cast<std::size_t>(bytes))
      return fail(bytes_.size(), what);
    value = 0;
    for (int k = 0; k < bytes; ++k)
      value = (value << 8) | static_cast<std::uint8_t>(bytes_[at_++]);
    return true;
  }

  // n bytes into out; the stream offset of each byte is recorded in offsets.
  bool take(std::size_t n, std::string& out, std::vector<std::size_t>& offsets, const char* what) {
    if (bytes_.size() - at_ < n)
      return fail(bytes_.size(), what);
    for (std::size_t k = 0; k < n; ++k)
      offsets.push_back(at_ + k);
    out.append(bytes_.substr(at_, n));
    at_ += n;
    return true;
  }

  void skip(std::size_t n) { at_ += n; }
  std::uint8_t peek() const { return static_cast<std::uint8_t>(bytes_[at_]); }
  const std::string& why() const { return what_; }

 private:
  std::string_view bytes_;
  std::size_t at_ = 0;
  std::string what_;
};

// The block data up to TC_OBJECT, checked to be cut exactly as the JDK cuts it.
bool readBlockData(Reader& in, std::string& data, std::vector<std::size_t>& offsets) {
  for (;;) {
    const std::size_t headerAt = in.offset();
    if (in.atEnd())
      return in.fail(headerAt, "TC_BLOCKDATA (0x77), TC_BLOCKDATALONG (0x7a) or TC_OBJECT (0x73)");
    const std::uint8_t tag = in.peek();
    if (tag == kTcObject && !data.empty())
      return true;
    if (tag != kTcBlockData && tag != kTcBlockDataLong) {
      return in.fail(headerAt, data.empty() ? "TC_BLOCKDATA (0x77) or TC_BLOCKDATALONG (0x7a)"
                                            : "TC_BLOCKDATA, TC_BLOCKDATALONG or TC_OBJECT");
    }
    if (!data.empty() && data.size() % kMaxBlock != 0) {
      return in.fail(headerAt,
                     "TC_OBJECT (0x73): the JDK starts a new block only after a full "
                     "one of 1024 bytes");
    }
    in.skip(1);
    std::uint64_t length = 0;
    if (!in.readUnsigned(tag == kTcBlockData ? 1 : 4, length, "the block's length"))
      return false;
    if (length == 0 || length > kMaxBlock || (tag == kTcBlockDataLong && length <= 0xFF)) {
      return in.failWith(headerAt,
                         "a block of " + std::to_string(length) +
                             " bytes with this header is not what the JDK writes (1 to 255 "
                             "bytes: TC_BLOCKDATA; 256 to 1024: TC_BLOCKDATALONG)");
    }
    if (!in.take(length, data, offsets, "the block's bytes"))
      return false;
  }
}

// The address: a u16 length and that many modified UTF-8 bytes, filling the block data.
bool readAddress(Reader& in, std::string& address) {
  std::string data;
  std::vector<std::size_t> offsets;
  if (!readBlockData(in, data, offsets))
    return false;
  if (data.size() < 2)
    return in.failWith(offsets.front(), "block data too short for writeUTF's length");
  const std::size_t length =
      (static_cast<std::uint8_t>(data[0]) << 8) | static_cast<std::uint8_t>(data[1]);
  if (data.size() != 2 + length) {
    return in.failWith(offsets.front(), "writeUTF's length says " + std::to_string(length) +
                                            " bytes, the block data holds " +
                                            std::to_string(data.size() - 2));
  }
  Utf8Error error;
  auto text = modifiedUtf8ToUtf8(std::string_view(data).substr(2), &error);
  if (!text)
    return in.failWith(offsets[2 + error.index], "invalid modified UTF-8: " + error.what);
  address = std::move(*text);
  return true;
}

}  // namespace

std::string encodeLeaderInformation(const LeaderInformation& info) {
  if (info.isEmpty())
    throw std::invalid_argument("Flink's connection_info cannot carry empty leader information");
  Utf8Error error;
  auto modified = utf8ToModifiedUtf8(info.address(), &error);
  if (!modified) {
    throw std::invalid_argument("the leader address cannot be written as Java's writeUTF: byte " +
                                std::to_string(error.index) + ": " + error.what);
  }
  if (modified->size() > kMaxUtf) {
    throw std::invalid_argument("the leader address takes " + std::to_string(modified->size()) +
                                " bytes in modified UTF-8; writeUTF allows at most 65535");
  }
  std::string utf;
  putBigEndian(utf, modified->size(), 2);
  utf += *modified;

  std::string out(kStreamHeader);
  putBlockData(out, utf);
  for (const auto& piece : kUuidPrologue)
    out += piece.bytes;
  const auto& id = info.sessionId().bytes();  // big-endian: most significant half first
  out.append(reinterpret_cast<const char*>(id.data()) + 8, 8);
  out.append(reinterpret_cast<const char*>(id.data()), 8);
  return out;
}

std::optional<LeaderInformation> decodeLeaderInformation(std::string_view bytes,
                                                         std::string* whyNot) {
  Reader in(bytes);
  std::string address;
  std::uint64_t least = 0;
  std::uint64_t most = 0;
  bool ok = in.expect(kStreamHeader, "the stream header AC ED 00 05") && readAddress(in, address);
  for (std::size_t k = 0; ok && k < kUuidPrologue.size(); ++k)
    ok = in.expect(kUuidPrologue[k].bytes, kUuidPrologue[k].what);
  ok = ok && in.readUnsigned(8, least, "the 8 bytes of leastSigBits") &&
       in.readUnsigned(8, most, "the 8 bytes of mostSigBits");
  if (ok && !in.atEnd()) {
    ok = in.failWith(in.offset(), std::to_string(bytes.size() - in.offset()) +
                                      " bytes after the UUID, where the data should end");
  }
  if (!ok) {
    if (whyNot != nullptr)
      *whyNot = in.why();
    return std::nullopt;
  }
  LeaderSessionId::Bytes id{};
  for (int k = 0; k < 8; ++k) {
    id[k] = static_cast<std::uint8_t>(most >> (56 - 8 * k));
    id[8 + k] = static_cast<std::uint8_t>(least >> (56 - 8 * k));
  }
  return LeaderInformation(LeaderSessionId(id), std::move(address));
}

std::optional<LeaderInformation> decodeConnectionInfo(std::string_view bytes, std::string* whyNot) {
  if (bytes.empty())
    return LeaderInformation::empty();
  return decodeLeaderInformation(bytes, whyNot);
}

}  // namespace baton::zookeeper::flink
