#pragma once

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace baton {

// A leader session id: a 128-bit UUID naming one grant of leadership. Every grant issues a
// fresh random one, so an id that is no longer current names a leadership that has been lost.
// The all-zero id is Flink's DEFAULT_LEADER_ID, used where no election happens (standalone).
//
// Thread-safety: a plain value type; distinct objects may be used from any thread.
class LeaderSessionId {
 public:
  using Bytes = std::array<std::uint8_t, 16>;

  // The all-zero default id.
  constexpr LeaderSessionId() noexcept = default;
  constexpr explicit LeaderSessionId(const Bytes& bytes) noexcept : bytes_(bytes) {}

  // A random (version 4) UUID from a per-thread generator seeded by std::random_device.
  static LeaderSessionId random();
  static constexpr LeaderSessionId defaultId() noexcept { return LeaderSessionId(); }

  // Accepts the canonical 8-4-4-4-12 hex form, either case; nullopt for anything else.
  static std::optional<LeaderSessionId> parse(std::string_view text) noexcept;

  // Canonical lower-case 8-4-4-4-12 form.
  std::string toString() const;
  bool isDefault() const noexcept { return *this == LeaderSessionId(); }
  const Bytes& bytes() const noexcept { return bytes_; }

  friend constexpr auto operator<=>(const LeaderSessionId&, const LeaderSessionId&) = default;

 private:
  Bytes bytes_{};
};

}  // namespace baton

template <>
struct std::hash<baton::LeaderSessionId> {
  std::size_t operator()(const baton::LeaderSessionId& id) const noexcept;
};
