#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace baton::zookeeper::flink {

// Java's "modified UTF-8" (DataOutput.writeUTF) and standard UTF-8, both ways. Java encodes
// each UTF-16 unit on its own: NUL as C0 80, U+0001..U+007F in one byte, up to U+07FF in two,
// the rest in three, so a character beyond U+FFFF is two three-byte surrogates.
//
// Strict: only the bytes Java's encoder writes are accepted (no overlong form, no raw 0x00, no
// unpaired surrogate, which UTF-8 cannot carry), so the two directions are inverses.
// Thread-safety: pure functions.

struct Utf8Error {
  std::size_t index = 0;  // of the offending byte in the input
  std::string what;
};

std::optional<std::string> modifiedUtf8ToUtf8(std::string_view bytes, Utf8Error* error);
std::optional<std::string> utf8ToModifiedUtf8(std::string_view text, Utf8Error* error);

}  // namespace baton::zookeeper::flink
