#include "elect_write.hpp"

#include <exception>

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

}  // namespace baton::cli
