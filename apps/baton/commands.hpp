#pragma once

#include <span>
#include <string_view>

#include "cli_options.hpp"

namespace baton::cli {

// One subcommand of `baton`: the extension point for new commands (e.g. `leader` and
// `participants` once the ZooKeeper backend can list them): add a row to the table in
// commands.cpp with its flags and a run function.
struct Command {
  std::string_view name;
  std::string_view synopsis;     // the arguments, as shown in usage
  std::string_view description;  // what it does, one or more lines
  FlagSet accepted;              // flags it parses (--help always)
  FlagSet required;
  int (*run)(const CliOptions& options);  // returns the exit status
};

std::span<const Command> commands();
// nullptr for an unknown name.
const Command* findCommand(std::string_view name);

// Full usage (every command) or one command's usage, as printed by --help and on errors.
std::string usage();
std::string usage(const Command& command);

}  // namespace baton::cli
