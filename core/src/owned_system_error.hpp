#pragma once

#include <string>
#include <system_error>

namespace baton::detail {

// A std::system_error that owns a private copy of its message. Errors cross from a backend
// thread to a callback thread; copies of a std::system_error share one reference-counted
// message in libstdc++, so each delivery rebuilds its own from (code, text) instead.
class OwnedSystemError : public std::system_error {
 public:
  OwnedSystemError(std::error_code code, std::string text)
      : std::system_error(code), text_(std::move(text)) {}
  const char* what() const noexcept override { return text_.c_str(); }

 private:
  std::string text_;
};

// What a callback needs to rebuild an error on its own thread.
struct ErrorCopy {
  std::error_code code;
  std::string text;
  explicit ErrorCopy(const std::system_error& error) : code(error.code()), text(error.what()) {}
  OwnedSystemError rebuild() const { return OwnedSystemError(code, text); }
};

}  // namespace baton::detail
