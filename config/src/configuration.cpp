#include "baton/configuration.hpp"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <limits>
#include <string_view>
#include <utility>

#include "baton/config_option.hpp"
#include "baton/error.hpp"

extern char** environ;  // POSIX: the process environment

namespace baton {
namespace {

constexpr std::string_view kWhitespace = " \t\r\n\f\v";
constexpr std::string_view kEnvironmentPrefix = "BATON_";

std::string_view trim(std::string_view text) {
  auto first = text.find_first_not_of(kWhitespace);
  if (first == std::string_view::npos)
    return {};
  auto last = text.find_last_not_of(kWhitespace);
  return text.substr(first, last - first + 1);
}

std::string toLower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

bool isKeyCharacter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

// Keys are what the file syntax can express: [A-Za-z0-9._-]+.
bool isValidKey(std::string_view key) {
  if (key.empty())
    return false;
  for (char c : key) {
    if (!isKeyCharacter(c))
      return false;
  }
  return true;
}

void checkKey(const std::string& key) {
  if (!isValidKey(key)) {
    throw ConfigurationError(key,
                             "not a valid key: keys are non-empty and contain only letters, "
                             "digits, '.', '_' and '-'");
  }
}

// Parses the whole of text as a decimal integer; false on anything else or overflow.
bool parseInt(std::string_view text, std::int64_t& value) {
  if (text.empty())
    return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size();
}

// The key an environment variable (without its value) overrides, or "" when it is not a
// BATON_ variable. Known keys are matched first, so that those containing '-' map back;
// then keys already set (a file's ha.standalone.address.my_component); then the plain rule.
std::string keyForVariable(std::string_view variable, std::span<const OptionDescription> known,
                           const std::map<std::string, std::string>& existing) {
  if (!variable.starts_with(kEnvironmentPrefix) || variable.size() == kEnvironmentPrefix.size()) {
    return {};
  }
  for (const auto& option : known) {
    if (!option.isFamily() && environmentVariableFor(option.key) == variable)
      return option.key;
  }
  for (const auto& [key, value] : existing) {
    if (environmentVariableFor(key) == variable)
      return key;
  }
  std::string key = toLower(variable.substr(kEnvironmentPrefix.size()));
  for (char& c : key) {
    if (c == '_')
      c = '.';
  }
  return key;
}

}  // namespace

Configuration Configuration::fromMap(std::map<std::string, std::string> values) {
  for (const auto& [key, value] : values)
    checkKey(key);
  Configuration configuration;
  configuration.values_ = std::move(values);
  return configuration;
}

Configuration Configuration::fromFile(const std::filesystem::path& path) {
  const std::string file = path.string();
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw ConfigurationError(file, "cannot read the configuration file: it is a directory");
  }
  std::ifstream in(path);
  if (!in) {
    throw ConfigurationError(
        file, std::string("cannot read the configuration file: ") + std::strerror(errno));
  }
  Configuration configuration;
  std::map<std::string, int> firstLine;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    auto where = [&] { return file + ":" + std::to_string(number); };
    std::string_view text = line;
    if (number == 1 && text.starts_with("\xEF\xBB\xBF"))
      text.remove_prefix(3);  // UTF-8 BOM
    text = trim(text);
    if (text.empty() || text.front() == '#')
      continue;
    auto separator = text.find_first_of("=:");
    if (separator == std::string_view::npos) {
      throw ConfigurationError(where(), "malformed line '" + std::string(text) +
                                            "': expected 'key = value' or 'key: value'");
    }
    std::string key(trim(text.substr(0, separator)));
    if (!isValidKey(key)) {
      throw ConfigurationError(where(),
                               "malformed line '" + std::string(text) + "': '" + key +
                                   "' is not a valid key (letters, digits, '.', '_', '-')");
    }
    auto [it, inserted] = firstLine.try_emplace(key, number);
    if (!inserted) {
      throw ConfigurationError(where(), "duplicate key '" + key + "' (first set on line " +
                                            std::to_string(it->second) + ")");
    }
    configuration.values_[key] = std::string(trim(text.substr(separator + 1)));
  }
  if (in.bad()) {
    throw ConfigurationError(
        file, std::string("error reading the configuration file: ") + std::strerror(errno));
  }
  return configuration;
}

Configuration& Configuration::set(const std::string& key, std::string value) {
  checkKey(key);
  values_[key] = std::move(value);
  return *this;
}

Configuration Configuration::withEnvironmentOverrides(
    std::span<const OptionDescription> knownOptions, const char* const* envp) const {
  if (envp == nullptr)
    envp = environ;
  Configuration result = *this;
  for (; envp != nullptr && *envp != nullptr; ++envp) {
    std::string_view entry = *envp;
    auto equals = entry.find('=');
    if (equals == std::string_view::npos)
      continue;
    std::string key = keyForVariable(entry.substr(0, equals), knownOptions, values_);
    if (key.empty() || !isValidKey(key))
      continue;  // not ours, or not expressible as a key
    result.values_[key] = std::string(entry.substr(equals + 1));
  }
  return result;
}

Configuration Configuration::mergedWith(const Configuration& other) const {
  Configuration result = *this;
  for (const auto& [key, value] : other.values_)
    result.values_[key] = value;
  return result;
}

bool Configuration::contains(const std::string& key) const {
  return values_.contains(key);
}

std::optional<std::string> Configuration::get(const std::string& key) const {
  auto it = values_.find(key);
  if (it == values_.end())
    return std::nullopt;
  return it->second;
}

std::string Configuration::getString(const std::string& key, const std::string& fallback) const {
  auto it = values_.find(key);
  return it == values_.end() ? fallback : it->second;
}

std::string Configuration::require(const std::string& key) const {
  auto it = values_.find(key);
  if (it == values_.end())
    throw ConfigurationError(key, "is required but not set");
  if (trim(it->second).empty())
    throw ConfigurationError(key, "is required but empty");
  return it->second;
}

std::chrono::milliseconds Configuration::getDuration(const std::string& key,
                                                     std::chrono::milliseconds fallback) const {
  auto it = values_.find(key);
  if (it == values_.end())
    return fallback;
  auto fail = [&]() -> std::chrono::milliseconds {
    throw ConfigurationError(key, "invalid duration '" + it->second +
                                      "': expected a non-negative whole number with a unit "
                                      "ms, s, min or h (e.g. 500ms, 30s); a bare number is ms");
  };
  std::string_view text = trim(it->second);
  auto digits = text.find_first_not_of("0123456789");
  std::int64_t amount = 0;
  if (!parseInt(text.substr(0, digits), amount))
    return fail();
  std::string_view unit = digits == std::string_view::npos ? "" : trim(text.substr(digits));
  std::int64_t factor = 0;
  if (unit.empty() || unit == "ms") {
    factor = 1;
  } else if (unit == "s") {
    factor = 1000;
  } else if (unit == "min") {
    factor = std::int64_t{60} * 1000;
  } else if (unit == "h") {
    factor = std::int64_t{60} * 60 * 1000;
  } else {
    return fail();
  }
  if (amount > std::numeric_limits<std::int64_t>::max() / factor) {
    throw ConfigurationError(key, "duration '" + it->second + "' is too large");
  }
  return std::chrono::milliseconds(amount * factor);
}

std::int64_t Configuration::getInt(const std::string& key, std::int64_t fallback, std::int64_t min,
                                   std::int64_t max) const {
  auto it = values_.find(key);
  if (it == values_.end())
    return fallback;
  std::int64_t value = 0;
  if (!parseInt(trim(it->second), value)) {
    throw ConfigurationError(key, "invalid integer '" + it->second + "'");
  }
  if (value < min || value > max) {
    throw ConfigurationError(key, "value " + it->second + " is out of range [" +
                                      std::to_string(min) + ", " + std::to_string(max) + "]");
  }
  return value;
}

bool Configuration::getBool(const std::string& key, bool fallback) const {
  auto it = values_.find(key);
  if (it == values_.end())
    return fallback;
  std::string value = toLower(trim(it->second));
  if (value == "true" || value == "yes" || value == "1")
    return true;
  if (value == "false" || value == "no" || value == "0")
    return false;
  throw ConfigurationError(
      key, "invalid boolean '" + it->second + "': expected true, false, yes, no, 1 or 0");
}

std::vector<std::string> Configuration::keysWithPrefix(const std::string& prefix) const {
  std::vector<std::string> keys;
  for (auto it = values_.lower_bound(prefix); it != values_.end() && it->first.starts_with(prefix);
       ++it) {
    keys.push_back(it->first);
  }
  return keys;
}

std::string environmentVariableFor(std::string_view key) {
  std::string name(kEnvironmentPrefix);
  for (char c : key) {
    if (c == '.' || c == '-') {
      name += '_';
    } else if (c >= 'a' && c <= 'z') {
      name += static_cast<char>(c - 'a' + 'A');
    } else {
      name += c;
    }
  }
  return name;
}

}  // namespace baton
