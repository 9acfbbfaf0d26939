#include "elect_write.hpp"

#include <charconv>
#include <exception>
#include <sstream>

namespace baton::cli {

// The namespace of the records `baton elect` writes, one per component.
constexpr const char* kAppNamespace = "app";

void fencedWriteCommand(HighAvailabilityServices& services, const std::string& component,
                        const std::optional<FencingToken>& token, const std::string& value,
                        EventPrinter& printer) {
  std::string result;
  if (!token) {
    result = "never granted: no fencing token";
  } else {
    // A value the store refuses (too large, a component it cannot name) or a backend without
    // a store is reported like any other failed write: the session goes on.
    try {
      const std::error_code ec = services.stateStore().put(*token, kAppNamespace, component, value);
      result = ec ? ec.message() : "ok";
    } catch (const std::exception& e) {
      result = e.what();
    }
  }
  Event event{.name = "write", .fields = {{"result", result}, {"value", value}}};
  if (token) {
    event.sessionId = token->sessionId;
    event.fields.emplace_back("epoch", std::to_string(token->epoch));
  }
  printer.print(event);
}

namespace {

// Splits "a b rest of line" into two words and the rest (which may hold spaces).
bool splitArguments(const std::string& line, std::string& first, std::string& second,
                    std::string& rest) {
  std::istringstream in(line);
  if (!(in >> first >> second))
    return false;
  std::getline(in >> std::ws, rest);
  return !rest.empty();
}

void printWrite(EventPrinter& printer, std::string name, const std::optional<FencingToken>& token,
                std::vector<std::pair<std::string, std::string>> fields) {
  Event event{.name = std::move(name), .fields = std::move(fields)};
  if (token) {
    event.sessionId = token->sessionId;
    event.fields.emplace_back("epoch", std::to_string(token->epoch));
  }
  printer.print(event);
}

// Runs write (which returns the store's result) unless there is no token; a refused name or
// value is reported as the result.
template <typename Write>
std::string attempt(const std::optional<FencingToken>& token, Write write) {
  if (!token)
    return "never granted: no fencing token";
  try {
    const std::error_code ec = write(*token);
    return ec ? ec.message() : "ok";
  } catch (const std::exception& e) {
    return e.what();
  }
}

}  // namespace

void storeCommand(HighAvailabilityServices& services, const std::optional<FencingToken>& token,
                  const std::string& arguments, EventPrinter& printer) {
  std::string verb;
  std::string ns;
  std::string keyAndValue;
  std::string key;
  std::string value;
  std::istringstream in(arguments);
  in >> verb;
  std::getline(in >> std::ws, keyAndValue);
  if (verb != "put" || !splitArguments(keyAndValue, ns, key, value)) {
    printWrite(printer, "store-put", std::nullopt, {{"result", "usage: store put NS KEY VALUE"}});
    return;
  }
  std::int64_t version = -1;
  auto result = attempt(token, [&](const FencingToken& t) {
    return services.stateStore().put(t, ns, key, value, WriteExpectation::any(), &version);
  });
  std::vector<std::pair<std::string, std::string>> fields{
      {"result", result}, {"ns", ns}, {"key", key}};
  if (result == "ok")
    fields.emplace_back("version", std::to_string(version));
  printWrite(printer, "store-put", token, std::move(fields));
}

void counterCommand(HighAvailabilityServices& services, const std::optional<FencingToken>& token,
                    const std::string& arguments, EventPrinter& printer) {
  std::string verb;
  std::string rest;
  std::string ns;
  std::string name;
  std::string deltaText;
  std::istringstream in(arguments);
  in >> verb;
  std::getline(in >> std::ws, rest);
  std::int64_t delta = 0;
  bool ok = verb == "add" && splitArguments(rest, ns, name, deltaText);
  if (ok) {
    auto [end, ec] = std::from_chars(deltaText.data(), deltaText.data() + deltaText.size(), delta);
    ok = ec == std::errc{} && end == deltaText.data() + deltaText.size();
  }
  if (!ok) {
    printWrite(printer, "counter-add", std::nullopt,
               {{"result", "usage: counter add NS NAME DELTA (DELTA a whole number >= 1)"}});
    return;
  }
  std::int64_t value = 0;
  auto result = attempt(token, [&](const FencingToken& t) {
    return services.stateStore().addToCounter(t, ns, name, delta, &value);
  });
  std::vector<std::pair<std::string, std::string>> fields{
      {"result", result}, {"ns", ns}, {"name", name}};
  if (result == "ok")
    fields.emplace_back("value", std::to_string(value));
  printWrite(printer, "counter-add", token, std::move(fields));
}

}  // namespace baton::cli
