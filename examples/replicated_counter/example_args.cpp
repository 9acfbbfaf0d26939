#include "example_args.hpp"

#include <stdexcept>

#include "baton/known_options.hpp"

namespace counter {

std::string Args::get(const std::string& key, const std::string& fallback) const {
  auto it = values.find(key);
  return it == values.end() ? fallback : it->second;
}

Args parseArgs(int argc, char** argv, const std::set<std::string>& known) {
  Args args;
  for (int i = 1; i < argc; ++i) {
    std::string key = argv[i];
    if (key.rfind("--", 0) != 0 || !known.count(key.substr(2))) {
      throw std::invalid_argument("unknown option " + key);
    }
    if (i + 1 >= argc)
      throw std::invalid_argument(key + " needs a value");
    args.values[key.substr(2)] = argv[++i];
  }
  return args;
}

baton::Configuration haConfiguration(const Args& args) {
  auto config = baton::Configuration::fromMap({{"ha.type", "zookeeper"},
                                               {"ha.zookeeper.root", "/baton-examples"},
                                               {"ha.cluster-id", "counter"},
                                               {"ha.zookeeper.session-timeout", "4s"}});
  if (args.has("config")) {
    config = config.mergedWith(baton::Configuration::fromFile(args.get("config")));
  }
  if (args.has("zk"))
    config.set("ha.zookeeper.quorum", args.get("zk"));
  if (args.has("cluster-id"))
    config.set("ha.cluster-id", args.get("cluster-id"));
  if (args.has("session-timeout")) {
    config.set("ha.zookeeper.session-timeout", args.get("session-timeout"));
  }
  return baton::applyEnvironmentOverrides(config);
}

}  // namespace counter
