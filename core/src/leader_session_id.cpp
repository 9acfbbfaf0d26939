#include "baton/leader_session_id.hpp"

#include <random>

namespace baton {
namespace {

int hexValue(char c) noexcept {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

bool isDashPosition(std::size_t i) noexcept {
  return i == 8 || i == 13 || i == 18 || i == 23;
}

}  // namespace

LeaderSessionId LeaderSessionId::random() {
  // One generator per thread: no lock on the grant path, and seeding from random_device keeps
  // ids unpredictable across processes that start at the same instant.
  thread_local std::mt19937_64 generator{[] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }()};
  Bytes bytes{};
  for (std::size_t i = 0; i < bytes.size(); i += 8) {
    std::uint64_t word = generator();
    for (std::size_t j = 0; j < 8; ++j) {
      bytes[i + j] = static_cast<std::uint8_t>(word >> (8 * j));
    }
  }
  bytes[6] = static_cast<std::uint8_t>((bytes[6] & 0x0F) | 0x40);  // version 4
  bytes[8] = static_cast<std::uint8_t>((bytes[8] & 0x3F) | 0x80);  // RFC 4122 variant
  return LeaderSessionId(bytes);
}

std::optional<LeaderSessionId> LeaderSessionId::parse(std::string_view text) noexcept {
  if (text.size() != 36)
    return std::nullopt;
  Bytes bytes{};
  std::size_t nibble = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (isDashPosition(i)) {
      if (text[i] != '-')
        return std::nullopt;
      continue;
    }
    int value = hexValue(text[i]);
    if (value < 0)
      return std::nullopt;
    auto& byte = bytes[nibble / 2];
    byte = static_cast<std::uint8_t>(nibble % 2 == 0 ? value << 4 : byte | value);
    ++nibble;
  }
  return LeaderSessionId(bytes);
}

std::string LeaderSessionId::toString() const {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < bytes_.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10)
      out.push_back('-');
    out.push_back(kDigits[bytes_[i] >> 4]);
    out.push_back(kDigits[bytes_[i] & 0x0F]);
  }
  return out;
}

}  // namespace baton

std::size_t std::hash<baton::LeaderSessionId>::operator()(
    const baton::LeaderSessionId& id) const noexcept {
  // FNV-1a over the 16 bytes: cheap and spreads every byte.
  std::uint64_t h = 1469598103934665603ULL;
  for (auto b : id.bytes()) {
    h = (h ^ b) * 1099511628211ULL;
  }
  return static_cast<std::size_t>(h);
}
