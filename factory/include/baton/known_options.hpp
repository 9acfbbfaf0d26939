#pragma once

#include <span>
#include <string_view>

#include "baton/config_option.hpp"

namespace baton {

// Every key the built-in backends declare, gathered from their declarations in documentation
// order: the common ha.* keys (baton/ha_options.hpp), then standalone's, then ZooKeeper's when
// it is built in. docs/configuration.md's table has exactly these rows (factory_docs_test).
// Thread-safe.
std::span<const OptionDescription> knownConfigurationOptions();

// The description of key (a declared key, or the family it belongs to); nullptr if none.
const OptionDescription* findConfigurationOption(std::string_view key);

// configuration.withEnvironmentOverrides(knownConfigurationOptions(), envp): BATON_* variables
// of envp (default: the process environment) applied, mapped back to the built-in keys first.
Configuration applyEnvironmentOverrides(const Configuration& configuration,
                                        const char* const* envp = nullptr);

}  // namespace baton
