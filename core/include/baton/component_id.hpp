#pragma once

#include <string>
#include <string_view>

namespace baton {

// Component ids name stored leader information and, on ZooKeeper, a znode: 1 to 128
// characters from [A-Za-z0-9._-], not "." or "..", and not "latch" (the election's own node).
// Throws std::invalid_argument naming the id and the rule it breaks.
void validateComponentId(std::string_view componentId);

// Well-known components (Flink's names).
inline constexpr std::string_view kResourceManagerComponent = "resourcemanager";
inline constexpr std::string_view kDispatcherComponent = "dispatcher";
inline constexpr std::string_view kRestEndpointComponent = "rest_server";

// "job-<jobId>"; validates the result.
std::string jobManagerComponentId(std::string_view jobId);

}  // namespace baton
