#pragma once

#include <optional>
#include <string>

#include "baton/fencing_token.hpp"
#include "baton/high_availability_services.hpp"
#include "event_printer.hpp"

namespace baton::cli {

// The elect command's `write <value>`: a fenced write of value to the record <component> in
// the namespace "app" of the services' LeaderStateStore (on ZooKeeper under the cluster's
// state path), under the fencing token of the current grant, or of the last one when
// leadership was revoked since: what a deposed leader that does not know it is deposed would
// do. Prints an event `write` with `result` = "ok" or the error's message (e.g. "leadership
// lost: ..."); the record changes only on "ok". Works on every backend.
//
// Blocking: runs on the command loop's thread, never on a callback thread.
void fencedWriteCommand(HighAvailabilityServices& services, const std::string& component,
                        const std::optional<FencingToken>& token, const std::string& value,
                        EventPrinter& printer);

// The elect command's `store put NS KEY VALUE` (any expectation) and `counter add NS NAME
// DELTA`: fenced writes under the same token as `write`. Print `store-put` (result, ns, key,
// version on ok) and `counter-add` (result, ns, name, value on ok); a malformed line prints
// the result "usage: ..." and sends nothing.
void storeCommand(HighAvailabilityServices& services, const std::optional<FencingToken>& token,
                  const std::string& arguments, EventPrinter& printer);
void counterCommand(HighAvailabilityServices& services, const std::optional<FencingToken>& token,
                    const std::string& arguments, EventPrinter& printer);

}  // namespace baton::cli
