#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace baton::cli {

// Bad command-line arguments: main prints the message and the command's usage on stderr and
// exits with status 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The flags a command accepts (a bit set, so a command table entry can list them).
enum class Flag : std::uint32_t {
  component = 1U << 0,
  address = 1U << 1,
  id = 1U << 2,
  json = 1U << 3,
  ha = 1U << 4,
  config = 1U << 5,
  set = 1U << 6,
  zk = 1U << 7,
  contenders = 1U << 8,
  flink = 1U << 9,
  ns = 1U << 10,   // a state store namespace (store and counter commands)
  key = 1U << 11,  // a state store record or counter name
  grace = 1U << 12,
  restart = 1U << 13,
  command = 1U << 14,  // `-- COMMAND ARGS...` ends the flags (baton run)
  metrics = 1U << 15,  // --metrics ADDR:PORT serves /metrics and /healthz
};
using FlagSet = std::uint32_t;
constexpr FlagSet operator|(Flag a, Flag b) noexcept {
  return static_cast<FlagSet>(a) | static_cast<FlagSet>(b);
}
constexpr FlagSet operator|(FlagSet a, Flag b) noexcept {
  return a | static_cast<FlagSet>(b);
}
constexpr bool has(FlagSet set, Flag flag) noexcept {
  return (set & static_cast<FlagSet>(flag)) != 0;
}

// The flags that choose and tune the backend (see cli_configuration.hpp).
inline constexpr FlagSet kConfigFlags = Flag::ha | Flag::config | Flag::set | Flag::zk;

// Everything the commands read from the command line. A plain value.
struct CliOptions {
  std::string component;
  std::string address;
  std::string id;  // participant id (see cli_configuration.hpp)
  bool json = false;
  bool help = false;
  std::optional<std::string> haType;
  std::optional<std::string> configFile;
  std::optional<std::string> zkQuorum;
  std::vector<std::pair<std::string, std::string>> settings;  // --set key=value, in order
  int contenders = 3;
  bool flink = false;  // watch a Flink cluster's leader (docs/flink.md)
  std::string ns;
  std::string key;
  std::optional<std::chrono::milliseconds> grace;  // --grace DURATION
  bool restart = false;
  std::vector<std::string> command;    // everything after `--`
  std::optional<std::string> metrics;  // --metrics ADDR:PORT, checked by parseListenAddress
};

// Parses the arguments that follow the command name, accepting only the flags in `accepted`
// (and --help). Both "--flag value" and "--flag=value" work. Throws UsageError naming the
// offending argument: unknown flag, missing or malformed value, stray positional argument.
// Does not check required flags: see requireFlags().
CliOptions parseOptions(std::span<const std::string_view> args, FlagSet accepted);

// Throws UsageError for the first flag of `required` that was not given, for a --component that
// --flink cannot name (not a Flink component or job id), and when Flag::command is required and
// no `-- COMMAND` was given.
void requireFlags(const CliOptions& options, FlagSet required);

}  // namespace baton::cli
