// baton: the command-line tool. Parses the command name, hands its flags to the command's
// parser and runs it; every error path ends here with a message on stderr and an exit status:
// 0 success, 1 runtime failure, 2 bad arguments or configuration.
#include <cstdio>
#include <exception>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "baton/error.hpp"
#include "cli_options.hpp"
#include "commands.hpp"

namespace {

using namespace baton::cli;

constexpr int kFailure = 1;
constexpr int kUsage = 2;

int usageError(const std::string& problem, const std::string& usageText) {
  std::fprintf(stderr, "baton: %s\n\n%s", problem.c_str(), usageText.c_str());
  return kUsage;
}

int runCommand(const Command& command, std::span<const std::string_view> args) {
  CliOptions options;
  try {
    options = parseOptions(args, command.accepted);
    if (options.help) {
      std::fputs(usage(command).c_str(), stdout);
      return 0;
    }
    requireFlags(options, command.required);
  } catch (const UsageError& e) {
    return usageError(std::string(command.name) + ": " + e.what(), usage(command));
  }
  // Other processes follow the events live: one line at a time, never held in a buffer.
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  try {
    return command.run(options);
  } catch (const baton::ConfigurationError& e) {
    std::fprintf(stderr, "baton %s: configuration error: %s\n", std::string(command.name).c_str(),
                 e.what());
    return kUsage;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "baton %s: error: %s\n", std::string(command.name).c_str(), e.what());
    return kFailure;
  }
}

int dispatch(std::span<const std::string_view> args) {
  if (args.empty())
    return usageError("missing command", usage());
  const std::string_view name = args.front();
  if (name == "--help" || name == "-h" || name == "help") {
    std::fputs(usage().c_str(), stdout);
    return 0;
  }
  // Two-word commands: `store get`, `counter get`, ...
  if ((name == "store" || name == "counter") && args.size() > 1 && !args[1].starts_with("--")) {
    const std::string twoWords = std::string(name) + " " + std::string(args[1]);
    if (const Command* command = findCommand(twoWords))
      return runCommand(*command, args.subspan(2));
    return usageError("unknown command '" + twoWords + "'", usage());
  }
  const Command* command = findCommand(name);
  if (command == nullptr)
    return usageError("unknown command '" + std::string(name) + "'", usage());
  return runCommand(*command, args.subspan(1));
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  return dispatch(args);
}
