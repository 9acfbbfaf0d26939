#include "baton/leader_state_store.hpp"

#include <future>
#include <stdexcept>

namespace baton {
namespace {

bool isNameCharacter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

// Runs an asynchronous write and waits for its handler.
template <typename Start>
std::error_code awaitWrite(Start start, std::int64_t* newVersion) {
  auto done = std::make_shared<std::promise<std::pair<std::error_code, std::int64_t>>>();
  auto result = done->get_future();
  start([done](std::error_code ec, std::int64_t version) { done->set_value({ec, version}); });
  auto [ec, version] = result.get();
  if (newVersion)
    *newVersion = version;
  return ec;
}

}  // namespace

void LeaderStateStore::checkName(std::string_view what, std::string_view name) {
  std::string problem;
  if (name.empty() || name.size() > 255)
    problem = "must be 1 to 255 characters long";
  else if (name == "." || name == "..")
    problem = "must not be '.' or '..'";
  else
    for (char c : name)
      if (!isNameCharacter(c)) {
        problem = "may hold only A-Z a-z 0-9 . _ -";
        break;
      }
  if (!problem.empty())
    throw std::invalid_argument("state store " + std::string(what) + " '" + std::string(name) +
                                "' " + problem);
}

void LeaderStateStore::checkValue(std::string_view value) {
  if (value.size() > kMaxValueBytes)
    throw std::invalid_argument("state store value of " + std::to_string(value.size()) +
                                " bytes exceeds the limit of " + std::to_string(kMaxValueBytes) +
                                " bytes (LeaderStateStore::kMaxValueBytes)");
}

std::unique_ptr<NamespaceWatch> LeaderStateStore::watchNamespace(std::string_view ns,
                                                                 ChangeListener) {
  checkName("namespace", ns);
  throw std::logic_error("state store: this store cannot watch namespace '" + std::string(ns) +
                         "'");
}

std::error_code LeaderStateStore::put(const FencingToken& token, std::string_view ns,
                                      std::string_view key, std::string_view value,
                                      WriteExpectation expectation, std::int64_t* newVersion) {
  return awaitWrite(
      [&](WriteHandler handler) {
        asyncPut(token, ns, key, value, expectation, std::move(handler));
      },
      newVersion);
}

std::error_code LeaderStateStore::erase(const FencingToken& token, std::string_view ns,
                                        std::string_view key, WriteExpectation expectation) {
  return awaitWrite(
      [&](WriteHandler handler) { asyncErase(token, ns, key, expectation, std::move(handler)); },
      nullptr);
}

std::error_code LeaderStateStore::eraseNamespace(const FencingToken& token, std::string_view ns) {
  return awaitWrite(
      [&](WriteHandler handler) { asyncEraseNamespace(token, ns, std::move(handler)); }, nullptr);
}

}  // namespace baton
