#include "baton/config_option.hpp"

#include <limits>

#include "baton/error.hpp"

namespace baton {
namespace {

std::string documentedDefault(std::string_view documented, bool required, const std::string& text) {
  if (!documented.empty())
    return std::string(documented);
  if (required)
    return "none (required)";
  return text.empty() ? "none" : "`" + text + "`";
}

template <class T>
OptionDescription describeAs(const ConfigOption<T>& option, std::string_view backend,
                             const std::string& defaultText) {
  return OptionDescription{
      std::string(option.key), std::string(option.type),
      documentedDefault(option.documentedDefault, option.required, defaultText),
      std::string(backend), std::string(option.doc)};
}

template <class T>
void checkSet(const ConfigOption<T>& option, const std::string& key, const T& value) {
  if (option.check)
    option.check(key, value);
}

}  // namespace

std::string read(const Configuration& configuration, const StringOption& option) {
  const std::string key(option.key);
  std::optional<std::string> value =
      option.required ? configuration.require(key) : configuration.get(key);
  if (!value)
    return option.defaultValue;
  checkSet(option, key, *value);
  return *value;
}

std::chrono::milliseconds read(const Configuration& configuration, const DurationOption& option) {
  const std::string key(option.key);
  if (option.required)
    configuration.require(key);
  if (!configuration.contains(key))
    return option.defaultValue;
  auto value = configuration.getDuration(key, option.defaultValue);
  checkSet(option, key, value);
  return value;
}

std::int64_t read(const Configuration& configuration, const IntOption& option) {
  const std::string key(option.key);
  if (option.required)
    configuration.require(key);
  if (!configuration.contains(key))
    return option.defaultValue;
  auto value =
      configuration.getInt(key, option.defaultValue, std::numeric_limits<std::int64_t>::min(),
                           std::numeric_limits<std::int64_t>::max());
  checkSet(option, key, value);
  return value;
}

bool OptionDescription::matches(std::string_view candidate) const {
  return isFamily() ? candidate.starts_with(key) && candidate.size() > key.size()
                    : candidate == key;
}

std::string OptionDescription::tableRow() const {
  const std::string shown = isFamily() ? key + "<component>" : key;
  return "| `" + shown + "` | " + type + " | " + defaultCell + " | " + backend + " | " + doc + " |";
}

OptionDescription describe(const StringOption& option, std::string_view backend) {
  return describeAs(option, backend, option.defaultValue);
}

OptionDescription describe(const DurationOption& option, std::string_view backend) {
  return describeAs(option, backend, formatDuration(option.defaultValue));
}

OptionDescription describe(const IntOption& option, std::string_view backend) {
  return describeAs(option, backend, std::to_string(option.defaultValue));
}

std::string formatDuration(std::chrono::milliseconds value) {
  struct Unit {
    std::int64_t ms;
    const char* name;
  };
  constexpr Unit kUnits[] = {{3'600'000, "h"}, {60'000, "min"}, {1000, "s"}};
  const std::int64_t ms = value.count();
  for (const auto& unit : kUnits) {
    if (ms != 0 && ms % unit.ms == 0)
      return std::to_string(ms / unit.ms) + unit.name;
  }
  return std::to_string(ms) + "ms";
}

void checkRange(const std::string& key, std::int64_t value, std::int64_t min, std::int64_t max) {
  if (value < min || value > max) {
    throw ConfigurationError(key, "value " + std::to_string(value) + " is out of range [" +
                                      std::to_string(min) + ", " + std::to_string(max) + "]");
  }
}

}  // namespace baton
