#pragma once

#include <optional>
#include <string>

#include "baton/fencing_token.hpp"
#include "baton/high_availability_services.hpp"
#include "event_printer.hpp"

namespace baton::cli {

// The elect command's `write <value>`: a fenced write of value to the znode
// <root>/<cluster-id>/app/<component> (created, or its data set), under the fencing token of
// the current grant, or of the last one when leadership was revoked since: what a deposed
// leader that does not know it is deposed would do. Prints an event `write` with `result` =
// "ok" or the error's message (e.g. "leadership lost: ..."); the znode changes only on "ok".
//
// Needs ha.type = zookeeper (prints an error event otherwise). Blocking: runs on the command
// loop's thread, never on a callback thread.
void fencedWriteCommand(HighAvailabilityServices& services, const std::string& component,
                        const std::optional<FencingToken>& token, const std::string& value,
                        EventPrinter& printer);

}  // namespace baton::cli
