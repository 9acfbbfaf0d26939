#pragma once

#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "client/zk_client.hpp"
#include "ha/write_outcome.hpp"

// The decisions behind ZooKeeperHaServices::fencedWrite and readBackWrite, without I/O.
namespace baton::zookeeper::fenced {

// The error a fenced write reports for the answer to its multi (ec, results: the latch check
// first, then the application's ops):
//   {}                      applied
//   Errc::leadership_lost   the servers answered and the latch check failed: nothing applied
//   the servers' error      they answered and an application op failed: nothing applied
//                           (a multi is atomic)
//   Errc::outcome_unknown   no answer from the servers (connection loss, a timeout, closing,
//                           a reply the C client could not match): the multi may have committed
std::error_code classifyMultiAnswer(std::error_code ec, const std::vector<ZkOpResult>& results);

// What one read found at an op's target: nullopt for no node, else the node's data.
using Observed = std::optional<std::string>;

// Compares what the reads found (observed[i] for ops[i]; ignored for checks and sequential
// creates, which a read cannot recognise) with each op's intended effect; see WriteOutcome.
WriteOutcome judgeReadBack(const std::vector<ZkOp>& ops, const std::vector<Observed>& observed);

// Whether the read-back needs to read ops[i]'s target.
bool readable(const ZkOp& op) noexcept;

}  // namespace baton::zookeeper::fenced
