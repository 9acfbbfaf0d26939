#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "baton/participant.hpp"

#include "baton/leader_information.hpp"

namespace baton::zookeeper {

// The bytes baton stores in znodes (documented in docs/zookeeper.md). Text, one `key=value`
// per line under a versioned header line; values are %-escaped ('%', CR, LF). Readers ignore
// keys they do not know, so later versions can add fields within v1.
//
//   connection_info:   baton.leader.v1 / session=<uuid> / address=<address>
//   latch node:        baton.participant.v1 / id=<participant id> / address=<address>
//
// Decoders never throw: malformed or foreign bytes give nullopt and a reason for the log.

std::string encodeLeaderInformation(const LeaderInformation& info);  // precondition: not empty
std::optional<LeaderInformation> decodeLeaderInformation(std::string_view bytes,
                                                         std::string* whyNot = nullptr);

// The codec stores baton::Participant (participant.hpp).
using ParticipantData = Participant;

std::string encodeParticipant(const ParticipantData& participant);
std::optional<ParticipantData> decodeParticipant(std::string_view bytes,
                                                 std::string* whyNot = nullptr);

}  // namespace baton::zookeeper
