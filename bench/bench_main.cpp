// baton_bench: the benchmarks of docs/performance.md, one subcommand each; bench/run.sh runs
// them all against the ensemble named by BATON_TEST_ZK and renders their output.
//   baton_bench <election|handover|process-handover|failover|herd|retrieval|footprint|
//                components|processes>
//               [--reps N] [--idle-seconds S] [--session-timeout-ms MS]
//               [--failover-timeout-ms MS] [--processes N] [--components N]
//               [--participants N,N,...]
#include <cstdio>
#include <cstring>
#include <exception>
#include <map>
#include <string>

#include "benchmarks.hpp"

namespace {

using namespace baton::bench;

int usage() {
  std::fputs(
      "usage: baton_bench <election|handover|process-handover|failover|herd|retrieval|"
      "footprint|components|processes> [--reps N] [--idle-seconds S] [--session-timeout-ms MS] "
      "[--failover-timeout-ms MS] [--processes N] [--components N] [--participants N,N,...]\n",
      stderr);
  return 2;
}

bool parse(int argc, char** argv, BenchOptions& options) {
  const std::map<std::string, int*> flags{{"--reps", &options.reps},
                                          {"--idle-seconds", &options.idleSeconds},
                                          {"--session-timeout-ms", &options.sessionTimeoutMs},
                                          {"--failover-timeout-ms", &options.failoverTimeoutMs},
                                          {"--processes", &options.processes},
                                          {"--components", &options.components}};
  for (int i = 2; i < argc; i += 2) {
    if (std::strcmp(argv[i], "--participants") == 0 && i + 1 < argc) {
      options.participants = argv[i + 1];
      continue;
    }
    auto flag = flags.find(argv[i]);
    if (flag == flags.end() || i + 1 >= argc)
      return false;
    *flag->second = std::stoi(argv[i + 1]);
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  const std::map<std::string, int (*)(const BenchOptions&)> benchmarks{
      {"election", runElection},
      {"handover", runHandover},
      {"process-handover", runProcessHandover},
      {"failover", runFailover},
      {"herd", runHerd},
      {"retrieval", runRetrieval},
      {"footprint", runFootprint},
      {"components", runComponents},
      {"processes", runProcesses}};
  BenchOptions options;
  if (argc < 2 || !benchmarks.count(argv[1]))
    return usage();
  try {
    if (!parse(argc, argv, options))
      return usage();
    return benchmarks.at(argv[1])(options);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "baton_bench %s: %s\n", argv[1], e.what());
    return 1;
  }
}
