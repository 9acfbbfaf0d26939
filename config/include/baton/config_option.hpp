#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "baton/configuration.hpp"

namespace baton {

// A configuration key declared once, with everything said about it (Flink's ConfigOption):
// its name, documented type, default, check and documentation line. Reading (read()), the
// documentation table (docs/configuration.md, checked by factory_docs_test) and the factory's
// unknown-key warning all derive from the declaration, so a default cannot differ between the
// parser and the docs.
//
// T is std::string, std::chrono::milliseconds or std::int64_t. A key ending with '.' declares a
// family (key + <component>), which read() does not accept.
// Thread-safety: an immutable value; declare options as namespace-scope constants.
template <class T>
struct ConfigOption {
  // Throws ConfigurationError naming key when value cannot work; runs only on a set value
  // (defaults are checked once, by config_option_test).
  using Check = void (*)(const std::string& key, const T& value);

  std::string_view key;
  std::string_view type;  // as documented: string, name, duration, int, enum
  T defaultValue{};       // used when the key is absent
  std::string_view doc;   // the "Meaning and example" of the documentation table
  Check check = nullptr;
  bool required = false;  // absent or empty is an error, naming the key
  // The documented default where defaultValue does not say it (computed or conditional
  // defaults), as Markdown; empty: derived from defaultValue.
  std::string_view documentedDefault{};
};

using StringOption = ConfigOption<std::string>;
using DurationOption = ConfigOption<std::chrono::milliseconds>;
using IntOption = ConfigOption<std::int64_t>;

// The value of option in configuration, or its default; throws ConfigurationError naming the
// key for a malformed value, one its check refuses, or a missing required one.
std::string read(const Configuration& configuration, const StringOption& option);
std::chrono::milliseconds read(const Configuration& configuration, const DurationOption& option);
std::int64_t read(const Configuration& configuration, const IntOption& option);

// What the documentation and the unknown-key check know of one declared key.
struct OptionDescription {
  std::string key;  // a family ends with '.'
  std::string type;
  std::string defaultCell;  // Markdown: "`10s`", "none", "none (required)", ...
  std::string backend;      // who reads it: "all", "embedded, zookeeper", "zookeeper", ...
  std::string doc;

  bool isFamily() const { return key.ends_with('.'); }
  bool matches(std::string_view candidate) const;
  // The documentation table's row: "| `key` | type | default | backend | doc |".
  std::string tableRow() const;
};

OptionDescription describe(const StringOption& option, std::string_view backend);
OptionDescription describe(const DurationOption& option, std::string_view backend);
OptionDescription describe(const IntOption& option, std::string_view backend);

// "10s", "500ms", "2min": the largest unit that divides value exactly.
std::string formatDuration(std::chrono::milliseconds value);

// Throws ConfigurationError naming key unless min <= value <= max.
void checkRange(const std::string& key, std::int64_t value, std::int64_t min, std::int64_t max);

}  // namespace baton
