#include "cli_options.hpp"

#include <unistd.h>

#include <array>
#include <charconv>
#include <climits>

#include "baton/component_id.hpp"
#include "baton/configuration.hpp"
#include "baton/error.hpp"
#include "baton/metrics/http_request.hpp"
#ifdef BATON_HAS_ZOOKEEPER
#include "baton/zookeeper/flink_leader_retrieval.hpp"
#endif

namespace baton::cli {
namespace {

using Apply = void (*)(CliOptions& options, std::string_view value);

struct FlagSpec {
  std::string_view name;
  Flag flag;
  bool takesValue;
  Apply apply;
};

void applyComponent(CliOptions& options, std::string_view value) {
  try {
    validateComponentId(value);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("invalid --component: ") + e.what());
  }
  options.component = value;
}

void applySetting(CliOptions& options, std::string_view value) {
  const auto equals = value.find('=');
  if (equals == std::string_view::npos || equals == 0) {
    throw UsageError("--set expects key=value, got '" + std::string(value) + "'");
  }
  options.settings.emplace_back(value.substr(0, equals), value.substr(equals + 1));
}

void applyContenders(CliOptions& options, std::string_view value) {
  int count = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), count);
  if (ec != std::errc() || end != value.data() + value.size() || count < 1 || count > 64) {
    throw UsageError("--contenders expects a number from 1 to 64, got '" + std::string(value) +
                     "'");
  }
  options.contenders = count;
}

void applyGrace(CliOptions& options, std::string_view value) {
  try {
    options.grace = Configuration().set("grace", std::string(value)).getDuration("grace", {});
  } catch (const ConfigurationError&) {
    throw UsageError("--grace expects a duration such as 5s or 500ms, got '" + std::string(value) +
                     "'");
  }
}

// The address is checked here (a usage error, exit 2); whether it can be bound is known only
// when the command starts listening.
void applyMetrics(CliOptions& options, std::string_view value) {
  try {
    metrics::parseListenAddress(value);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("invalid --metrics: ") + e.what());
  }
  options.metrics = value;
}

void requireNonEmpty(std::string_view flag, std::string_view value) {
  if (value.empty())
    throw UsageError("--" + std::string(flag) + " needs a non-empty value");
}

constexpr std::array kFlags{
    FlagSpec{"component", Flag::component, true, applyComponent},
    FlagSpec{"address", Flag::address, true,
             [](CliOptions& o, std::string_view v) { o.address = v; }},
    FlagSpec{"id", Flag::id, true, [](CliOptions& o, std::string_view v) { o.id = v; }},
    FlagSpec{"json", Flag::json, false, [](CliOptions& o, std::string_view) { o.json = true; }},
    FlagSpec{"ha", Flag::ha, true, [](CliOptions& o, std::string_view v) { o.haType = v; }},
    FlagSpec{"config", Flag::config, true,
             [](CliOptions& o, std::string_view v) { o.configFile = v; }},
    FlagSpec{"set", Flag::set, true, applySetting},
    FlagSpec{"zk", Flag::zk, true, [](CliOptions& o, std::string_view v) { o.zkQuorum = v; }},
    FlagSpec{"contenders", Flag::contenders, true, applyContenders},
    FlagSpec{"flink", Flag::flink, false, [](CliOptions& o, std::string_view) { o.flink = true; }},
    FlagSpec{"ns", Flag::ns, true, [](CliOptions& o, std::string_view v) { o.ns = v; }},
    FlagSpec{"key", Flag::key, true, [](CliOptions& o, std::string_view v) { o.key = v; }},
    FlagSpec{"grace", Flag::grace, true, applyGrace},
    FlagSpec{"restart", Flag::restart, false,
             [](CliOptions& o, std::string_view) { o.restart = true; }},
    FlagSpec{"metrics", Flag::metrics, true, applyMetrics},
};

const FlagSpec* findFlag(std::string_view name, FlagSet accepted) {
  for (const auto& spec : kFlags) {
    if (spec.name == name && has(accepted, spec.flag))
      return &spec;
  }
  return nullptr;
}

}  // namespace

CliOptions parseOptions(std::span<const std::string_view> args, FlagSet accepted) {
  CliOptions options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "--" && has(accepted, Flag::command)) {
      options.command.assign(args.begin() + static_cast<std::ptrdiff_t>(i) + 1, args.end());
      break;
    }
    if (arg == "--help" || arg == "-h") {
      options.help = true;
      continue;
    }
    if (!arg.starts_with("--"))
      throw UsageError("unexpected argument '" + std::string(arg) + "'");
    std::string_view name = arg.substr(2);
    std::optional<std::string_view> inlineValue;
    if (const auto equals = name.find('='); equals != std::string_view::npos) {
      inlineValue = name.substr(equals + 1);
      name = name.substr(0, equals);
    }
    const FlagSpec* spec = findFlag(name, accepted);
    if (spec == nullptr)
      throw UsageError("unknown flag '--" + std::string(name) + "'");
    if (!spec->takesValue) {
      if (inlineValue)
        throw UsageError("--" + std::string(name) + " takes no value");
      spec->apply(options, {});
      continue;
    }
    if (!inlineValue && (i + 1 >= args.size() || args[i + 1].starts_with("--"))) {
      throw UsageError("--" + std::string(name) + " needs a value");
    }
    const std::string_view value = inlineValue ? *inlineValue : args[++i];
    requireNonEmpty(name, value);
    spec->apply(options, value);
  }
  return options;
}

void requireFlags(const CliOptions& options, FlagSet required) {
  if (has(required, Flag::component) && options.component.empty()) {
    throw UsageError("missing --component");
  }
  if (has(required, Flag::address) && options.address.empty()) {
    throw UsageError("missing --address");
  }
#ifdef BATON_HAS_ZOOKEEPER
  if (options.flink) {
    try {
      zookeeper::flinkComponent(options.component);
    } catch (const std::invalid_argument& e) {
      throw UsageError(std::string("invalid --component for --flink: ") + e.what());
    }
  }
#endif
  if (has(required, Flag::ns) && options.ns.empty())
    throw UsageError("missing --ns");
  if (has(required, Flag::key) && options.key.empty())
    throw UsageError("missing --key");
  if (has(required, Flag::command) && options.command.empty()) {
    throw UsageError("missing the command to run: end the flags with -- COMMAND [ARGS...]");
  }
}

}  // namespace baton::cli
