#include "baton/known_options.hpp"

#include <vector>

#include "baton/ha_options.hpp"
#include "baton/standalone/standalone_configuration.hpp"
#ifdef BATON_HAS_ZOOKEEPER
#include "baton/zookeeper/zookeeper_configuration.hpp"
#endif

namespace baton {

std::span<const OptionDescription> knownConfigurationOptions() {
  static const std::vector<OptionDescription> options = [] {
    std::vector<OptionDescription> all;
    auto append = [&all](std::span<const OptionDescription> some) {
      all.insert(all.end(), some.begin(), some.end());
    };
    append(commonHaOptions());
    append(standalone::standaloneOptions());
#ifdef BATON_HAS_ZOOKEEPER
    append(zookeeper::zooKeeperOptions());
#endif
    return all;
  }();
  return options;
}

const OptionDescription* findConfigurationOption(std::string_view key) {
  for (const auto& option : knownConfigurationOptions()) {
    if (option.matches(key))
      return &option;
  }
  return nullptr;
}

Configuration applyEnvironmentOverrides(const Configuration& configuration,
                                        const char* const* envp) {
  return configuration.withEnvironmentOverrides(knownConfigurationOptions(), envp);
}

}  // namespace baton
