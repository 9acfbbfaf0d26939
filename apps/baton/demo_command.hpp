#pragma once

#include "cli_options.hpp"

namespace baton::cli {

// `baton demo`: --contenders participants of one in-process (embedded) cluster compete for
// "demo-service" while a watcher follows through leader retrieval; the leader hands over until
// the last one leads. Every step is awaited with a deadline, and the demo verifies that no two
// contenders ever led at once. Needs no ZooKeeper. Returns 0 when the story held, 1 otherwise.
int runDemo(const CliOptions& options);

}  // namespace baton::cli
