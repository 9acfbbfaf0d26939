#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "counter_log.hpp"

namespace counter {

// An acknowledgement: "write writeId was accepted under session, at position". Clients record
// the ones they received; servers print every one they sent (including those whose reply was
// lost when the server was killed).
struct Ack {
  std::string writeId;
  std::string session;
  std::size_t position = 0;
  std::string source;  // where it was read, for messages
};

// Parses "ACK <write-id> <session> <position> [...]"; nullopt for any other line.
std::optional<Ack> parseAck(const std::string& line, const std::string& source);

struct CheckReport {
  std::vector<std::string> violations;  // empty: the history is correct
  std::size_t sessions = 0;             // distinct leader sessions with entries in the store
};

// Checks the stored log against the acknowledgements:
//  1. durability: every acknowledged write is in the store, at the position it was
//     acknowledged with, under the session that acknowledged it;
//  2. fencing: no leader wrote after its successor: each session's entries are one contiguous
//     run (a session that reappears after another's entries is a deposed leader's write);
//  3. exactly once: no write id appears twice in the store.
CheckReport checkHistory(const CounterLog& store, const std::vector<Ack>& acks);

}  // namespace counter
