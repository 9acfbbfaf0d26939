#include "commands.hpp"

#include <array>
#include <string>

#include "demo_command.hpp"
#include "elect_command.hpp"
#include "inspect_commands.hpp"
#include "run_command.hpp"
#include "store_commands.hpp"
#include "watch_command.hpp"

namespace baton::cli {
namespace {

constexpr std::string_view kConfigHelp =
    "configuration (later wins): --config FILE, then BATON_* environment variables\n"
    "(e.g. BATON_HA_TYPE), then --ha TYPE (ha.type: standalone, embedded, zookeeper),\n"
    "then --zk QUORUM (ha.zookeeper.quorum; implies --ha zookeeper), then --set key=value.\n";

constexpr std::array kCommands{
    Command{"elect",
            "--component NAME --address ADDR [--id ID] [--json] [--metrics ADDR:PORT]\n"
            "      [--ha TYPE] [--config FILE] [--set key=value]... [--zk QUORUM]",
            "Joins the election for a component and prints every event as it happens.\n"
            "Reads commands from stdin, one per line: release (leave the election),\n"
            "rejoin (join again), write VALUE (a fenced write of VALUE to the state store's\n"
            "record app/<component>, on ZooKeeper <root>/<cluster-id>/state/app/<component>,\n"
            "under the current or last grant's fencing token; prints `write` with result ok\n"
            "or the error), store put NS KEY VALUE and counter add NS NAME DELTA (fenced\n"
            "writes of the state store, docs/state.md), quit. EOF, SIGINT and\n"
            "SIGTERM quit gracefully. Prints `joined` (node, position) once its place in the\n"
            "election exists and `position` when it moves up.\n"
            "--metrics ADDR:PORT serves GET /metrics (Prometheus text) and /healthz (200 or\n"
            "503 with the reason) at ADDR:PORT (port 0: any free port; the `metrics` event\n"
            "prints the bound address). See docs/operations.md.",
            Flag::component | Flag::address | Flag::id | Flag::json | Flag::metrics | kConfigFlags,
            Flag::component | Flag::address, runElect},
    Command{
        "run",
        "--component NAME [--grace DURATION] [--restart] [--address ADDR] [--id ID] [--json]\n"
        "      [--metrics ADDR:PORT] [--ha TYPE] [--config FILE] [--set key=value]...\n"
        "      [--zk QUORUM] -- COMMAND [ARGS]...",
        "Runs COMMAND only while this process leads the component: started on grant in its\n"
        "own process group with BATON_LEADER_SESSION_ID, BATON_FENCING_TOKEN, BATON_COMPONENT\n"
        "and BATON_PARTICIPANT_ID set; on revoke SIGTERM, then SIGKILL after --grace (default\n"
        "5s; after a lost lease at most half of ha.lease.safety-margin); leadership is released\n"
        "only once it was reaped. When it exits, leadership is given up and its exit code\n"
        "returned (128+signal if killed), or with --restart the election joined again.\n"
        "SIGINT, SIGTERM and SIGHUP are forwarded to it. --metrics ADDR:PORT serves\n"
        "/metrics and /healthz as for elect. See docs/operations.md.",
        Flag::component | Flag::address | Flag::id | Flag::json | Flag::grace | Flag::restart |
            Flag::command | Flag::metrics | kConfigFlags,
        Flag::component | Flag::command, runRun},
    Command{"watch",
            "--component NAME [--flink] [--id ID] [--json] [--ha TYPE] [--config FILE]\n"
            "      [--set key=value]... [--zk QUORUM]",
            "Prints every leader change of a component seen through leader retrieval.\n"
            "Reads `quit` from stdin; EOF, SIGINT and SIGTERM quit as well.\n"
            "--flink: the leader of a Flink cluster's component (resource_manager, dispatcher,\n"
            "rest_server, or a job id for its JobMaster) from Flink's own ZooKeeper nodes,\n"
            "read-only (docs/flink.md); ha.zookeeper.root defaults to /flink, ha.cluster-id\n"
            "is Flink's high-availability.cluster-id.",
            Flag::component | Flag::flink | Flag::id | Flag::json | kConfigFlags,
            static_cast<FlagSet>(Flag::component), runWatch},
    Command{"demo", "[--contenders N] [--json]",
            "Runs N (default 3) contenders and a watcher on an in-process cluster, hands the\n"
            "leadership over from one to the next and checks there never were two leaders.\n"
            "Exits 1 if a step timed out or two contenders led at once. Needs no ZooKeeper.",
            Flag::contenders | Flag::json, 0, runDemo},
    Command{"leader",
            "--component NAME [--json] [--ha TYPE] [--config FILE] [--set key=value]...\n"
            "      [--zk QUORUM]",
            "Prints the leader a component's stored information names now (any backend).",
            Flag::component | Flag::json | kConfigFlags, static_cast<FlagSet>(Flag::component),
            runLeader},
    Command{"participants",
            "[--json] [--ha TYPE] [--config FILE] [--set key=value]... [--zk QUORUM]",
            "Prints the election's participants in queue order, the leader first (any backend).",
            kConfigFlags | Flag::json, 0, runParticipants},
    Command{"store get",
            "--ns NS --key KEY [--json] [--ha TYPE] [--config FILE] [--set key=value]...\n"
            "      [--zk QUORUM]",
            "Prints a state store record (docs/state.md); writes go through `baton elect`.",
            Flag::ns | Flag::key | Flag::json | kConfigFlags, Flag::ns | Flag::key, runStoreGet},
    Command{"store list",
            "--ns NS [--json] [--ha TYPE] [--config FILE] [--set key=value]... [--zk QUORUM]",
            "Prints every record of a state store namespace, sorted by key, then `end`.",
            Flag::ns | Flag::json | kConfigFlags, static_cast<FlagSet>(Flag::ns), runStoreList},
    Command{"store watch",
            "--ns NS [--json] [--ha TYPE] [--config FILE] [--set key=value]... [--zk QUORUM]",
            "Prints a namespace's records, then every change (record, erased, relist) as it\n"
            "happens. Reads `quit` from stdin; EOF, SIGINT and SIGTERM quit as well.",
            Flag::ns | Flag::json | kConfigFlags, static_cast<FlagSet>(Flag::ns), runStoreWatch},
    Command{"counter get",
            "--ns NS --key NAME [--json] [--ha TYPE] [--config FILE] [--set key=value]...\n"
            "      [--zk QUORUM]",
            "Prints a state store counter's value; adds go through `baton elect`.",
            Flag::ns | Flag::key | Flag::json | kConfigFlags, Flag::ns | Flag::key, runCounterGet},
};

void appendIndented(std::string& out, std::string_view text) {
  while (!text.empty()) {
    const auto newline = text.find('\n');
    out += "    ";
    out += text.substr(0, newline);
    out += '\n';
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
  }
}

}  // namespace

std::span<const Command> commands() {
  return kCommands;
}

const Command* findCommand(std::string_view name) {
  for (const auto& command : kCommands) {
    if (command.name == name)
      return &command;
  }
  return nullptr;
}

std::string usage() {
  std::string text = "usage: baton <command> [options]\n       baton <command> --help\n\n";
  text += "commands:\n";
  for (const auto& command : kCommands) {
    text += "  baton " + std::string(command.name) + " " + std::string(command.synopsis) + "\n";
    appendIndented(text, command.description);
  }
  text += "\n";
  text += kConfigHelp;
  text += "Exit status: 0 success, 1 failure, 2 bad arguments or configuration.\n";
  return text;
}

std::string usage(const Command& command) {
  std::string text =
      "usage: baton " + std::string(command.name) + " " + std::string(command.synopsis) + "\n\n";
  appendIndented(text, command.description);
  if ((command.accepted & kConfigFlags) != 0) {
    text += "\n";
    text += kConfigHelp;
  }
  text += "--json prints one JSON object per line instead of readable lines.\n";
  return text;
}

}  // namespace baton::cli
