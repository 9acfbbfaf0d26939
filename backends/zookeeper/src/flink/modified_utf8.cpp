#include "flink/modified_utf8.hpp"

#include <cstdint>

namespace baton::zookeeper::flink {
namespace {

std::string hexByte(std::uint8_t b) {
  static constexpr char kDigits[] = "0123456789abcdef";
  return {'0', 'x', kDigits[b >> 4], kDigits[b & 0xF]};
}

bool isContinuation(std::uint8_t b) {
  return (b & 0xC0) == 0x80;
}
bool isHighSurrogate(std::uint32_t u) {
  return u >= 0xD800 && u <= 0xDBFF;
}
bool isLowSurrogate(std::uint32_t u) {
  return u >= 0xDC00 && u <= 0xDFFF;
}

void appendUtf8(std::string& out, std::uint32_t cp) {
  auto put = [&](std::uint32_t b) { out.push_back(static_cast<char>(b)); };
  if (cp < 0x80) {
    put(cp);
  } else if (cp < 0x800) {
    put(0xC0 | (cp >> 6));
    put(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    put(0xE0 | (cp >> 12));
    put(0x80 | ((cp >> 6) & 0x3F));
    put(0x80 | (cp & 0x3F));
  } else {
    put(0xF0 | (cp >> 18));
    put(0x80 | ((cp >> 12) & 0x3F));
    put(0x80 | ((cp >> 6) & 0x3F));
    put(0x80 | (cp & 0x3F));
  }
}

// One UTF-16 unit as Java's writeUTF writes it.
void appendJavaUnit(std::string& out, std::uint32_t unit) {
  if (unit == 0) {
    out += "\xC0\x80";
  } else {
    appendUtf8(out, unit);  // below 0x10000, so one to three bytes, as Java's
  }
}

bool fail(Utf8Error* error, std::size_t index, std::string what) {
  if (error != nullptr)
    *error = Utf8Error{index, std::move(what)};
  return false;
}

// Reads one Java-encoded UTF-16 unit at bytes[i]; advances i.
bool readJavaUnit(std::string_view bytes, std::size_t& i, std::uint32_t& unit, Utf8Error* error) {
  const auto at = [&](std::size_t k) { return static_cast<std::uint8_t>(bytes[k]); };
  const std::uint8_t lead = at(i);
  if (lead == 0)
    return fail(error, i, "a raw 0x00 byte (Java writes NUL as C0 80)");
  if (lead < 0x80) {
    unit = lead;
    i += 1;
    return true;
  }
  std::size_t length = (lead & 0xE0) == 0xC0 ? 2 : (lead & 0xF0) == 0xE0 ? 3 : 0;
  if (length == 0) {
    return fail(error, i,
                "byte " + hexByte(lead) + ", which cannot start a modified UTF-8 character");
  }
  if (bytes.size() - i < length)
    return fail(error, i, "a character cut off by the end of the string");
  for (std::size_t k = 1; k < length; ++k) {
    if (!isContinuation(at(i + k)))
      return fail(error, i + k, "a continuation byte (10xxxxxx)");
  }
  if (length == 2) {
    unit = ((lead & 0x1Fu) << 6) | (at(i + 1) & 0x3Fu);
    if (unit != 0 && unit < 0x80)
      return fail(error, i, "an overlong two-byte form (Java writes it in one byte)");
  } else {
    unit = ((lead & 0x0Fu) << 12) | ((at(i + 1) & 0x3Fu) << 6) | (at(i + 2) & 0x3Fu);
    if (unit < 0x800)
      return fail(error, i, "an overlong three-byte form (Java writes it shorter)");
  }
  i += length;
  return true;
}

}  // namespace

std::optional<std::string> modifiedUtf8ToUtf8(std::string_view bytes, Utf8Error* error) {
  std::string out;
  out.reserve(bytes.size());
  std::size_t i = 0;
  while (i < bytes.size()) {
    const std::size_t start = i;
    std::uint32_t unit = 0;
    if (!readJavaUnit(bytes, i, unit, error))
      return std::nullopt;
    if (isLowSurrogate(unit)) {
      fail(error, start, "a low surrogate without a high one before it");
      return std::nullopt;
    }
    if (!isHighSurrogate(unit)) {
      appendUtf8(out, unit);
      continue;
    }
    std::uint32_t low = 0;
    const std::size_t lowStart = i;
    if (i == bytes.size() || !readJavaUnit(bytes, i, low, error) || !isLowSurrogate(low)) {
      fail(error, lowStart < bytes.size() ? lowStart : start,
           "a low surrogate after the high surrogate at index " + std::to_string(start));
      return std::nullopt;
    }
    appendUtf8(out, 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
  }
  return out;
}

std::optional<std::string> utf8ToModifiedUtf8(std::string_view text, Utf8Error* error) {
  const auto at = [&](std::size_t k) { return static_cast<std::uint8_t>(text[k]); };
  std::string out;
  out.reserve(text.size() + 8);
  std::size_t i = 0;
  while (i < text.size()) {
    const std::uint8_t lead = at(i);
    std::size_t length = lead < 0x80             ? 1
                         : (lead & 0xE0) == 0xC0 ? 2
                         : (lead & 0xF0) == 0xE0 ? 3
                         : (lead & 0xF8) == 0xF0 ? 4
                                                 : 0;
    if (length == 0 || text.size() - i < length) {
      fail(error, i, "invalid UTF-8: a bad or cut-off lead byte");
      return std::nullopt;
    }
    std::uint32_t cp = length == 1 ? lead : lead & (0x7Fu >> length);
    for (std::size_t k = 1; k < length; ++k) {
      if (!isContinuation(at(i + k))) {
        fail(error, i + k, "invalid UTF-8: a continuation byte (10xxxxxx) was expected");
        return std::nullopt;
      }
      cp = (cp << 6) | (at(i + k) & 0x3Fu);
    }
    static constexpr std::uint32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMinimum[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      fail(error, i, "invalid UTF-8: an overlong form, a surrogate or beyond U+10FFFF");
      return std::nullopt;
    }
    if (cp < 0x10000) {
      appendJavaUnit(out, cp);
    } else {
      appendJavaUnit(out, 0xD800 + ((cp - 0x10000) >> 10));
      appendJavaUnit(out, 0xDC00 + ((cp - 0x10000) & 0x3FF));
    }
    i += length;
  }
  return out;
}

}  // namespace baton::zookeeper::flink
