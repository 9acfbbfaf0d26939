#pragma once

#include "options.hpp"

// One entry point per benchmark (bench_main.cpp dispatches by name). Each prints ROW, TARGET
// and NOTE lines (report.hpp) and returns the process exit status.
namespace baton::bench {

int runElection(const BenchOptions& options);         // election_bench.cpp
int runHandover(const BenchOptions& options);         // handover_bench.cpp
int runProcessHandover(const BenchOptions& options);  // process_handover_bench.cpp
int runFailover(const BenchOptions& options);         // failover_bench.cpp
int runHerd(const BenchOptions& options);             // herd_bench.cpp
int runRetrieval(const BenchOptions& options);        // retrieval_bench.cpp
int runFootprint(const BenchOptions& options);        // footprint_bench.cpp
int runComponents(const BenchOptions& options);       // components_bench.cpp
int runProcesses(const BenchOptions& options);        // processes_bench.cpp

}  // namespace baton::bench
