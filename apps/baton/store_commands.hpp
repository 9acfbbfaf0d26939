#pragma once

#include "cli_options.hpp"

namespace baton::cli {

// The state store's read-only commands (anyone may run them; writes need a leader session:
// `baton elect`'s stdin commands `store put` and `counter add`, elect_write.hpp):
//   baton store get --ns NS --key KEY    the record: `record` (key, value, version) or
//                                        `no-record`
//   baton store list --ns NS             every record of NS, sorted by key, then `end`
//   baton store watch --ns NS            `relist` then the records, then each change as it
//                                        happens: `record` or `erased` per key (a whole-
//                                        namespace change: `relist` and the records again),
//                                        until quit/EOF/SIGINT/SIGTERM
//   baton counter get --ns NS --key NAME `counter` (name, value) or `no-counter`
// Exit status 1 when the backend cannot answer (the message names the namespace).
int runStoreGet(const CliOptions& options);
int runStoreList(const CliOptions& options);
int runStoreWatch(const CliOptions& options);
int runCounterGet(const CliOptions& options);

}  // namespace baton::cli
