#pragma once

#include <map>
#include <set>
#include <string>

#include "baton/configuration.hpp"

namespace counter {

// "--key value" command-line arguments of the example programs.
struct Args {
  std::map<std::string, std::string> values;
  std::string get(const std::string& key, const std::string& fallback = "") const;
  bool has(const std::string& key) const { return values.count(key) != 0; }
};

// Throws std::invalid_argument naming an unknown option or one without a value.
Args parseArgs(int argc, char** argv, const std::set<std::string>& known);

// The baton configuration of the example: defaults (ha.type = zookeeper, root
// /baton-examples, cluster id "counter", session timeout 4s), then --config FILE, then the
// flags --zk, --cluster-id and --session-timeout, then BATON_* environment overrides.
baton::Configuration haConfiguration(const Args& args);

}  // namespace counter
