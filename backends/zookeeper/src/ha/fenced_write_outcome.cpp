#include "fenced_write_outcome.hpp"

#include <zookeeper/zookeeper.h>

#include "baton/error.hpp"
#include "baton/zookeeper/zk_error.hpp"
#include "client/zk_completions.hpp"

namespace baton::zookeeper::fenced {

std::error_code classifyMultiAnswer(std::error_code ec, const std::vector<ZkOpResult>& results) {
  if (!ec)
    return {};
  // Nothing was sent: the client was never started.
  if (ec == make_error_code(Errc::not_started))
    return ec;
  // Only a code the servers send back for a processed request proves that they decided. The
  // C client answers everything else itself: ZCONNECTIONLOSS for requests in flight when the
  // connection drops (zookeeper.c cleanup_bufs), ZRUNTIMEINCONSISTENCY for a reply it cannot
  // match after a silent reconnect, ZCLOSING on close; baton's own operation timer gives
  // Errc::timed_out. The multi may have committed in each case: the servers never said.
  if (&ec.category() != &zookeeperCategory() || !detail::serverAnswered(ec.value()))
    return make_error_code(Errc::outcome_unknown);
  // The servers answered and rolled back: the failing op carries its error, those before it
  // ZOK, those after it ZRUNTIMEINCONSISTENCY (MultiResponse). The check comes first.
  const auto& check = results.empty() ? ec : results.front().error;
  if (check && check != make_error_code(ZRUNTIMEINCONSISTENCY))
    return make_error_code(Errc::leadership_lost);
  return ec;
}

bool readable(const ZkOp& op) noexcept {
  switch (op.kind) {
    case ZkOp::Kind::create:
      return !op.sequential;  // the created name is in the lost reply
    case ZkOp::Kind::setData:
    case ZkOp::Kind::remove:
      return true;
    case ZkOp::Kind::check:
      return false;  // changes nothing
  }
  return false;
}

WriteOutcome judgeReadBack(const std::vector<ZkOp>& ops, const std::vector<Observed>& observed) {
  int shown = 0;
  int absent = 0;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    const ZkOp& op = ops[i];
    if (!readable(op)) {
      if (op.kind == ZkOp::Kind::check)
        continue;
      return WriteOutcome::cannot_tell;
    }
    if (i >= observed.size())
      return WriteOutcome::cannot_tell;
    const Observed& seen = observed[i];
    bool effect = op.kind == ZkOp::Kind::remove ? !seen.has_value() : seen == op.data;
    ++(effect ? shown : absent);
  }
  if (shown > 0 && absent == 0)
    return WriteOutcome::applied;
  if (absent > 0 && shown == 0)
    return WriteOutcome::not_applied;
  return WriteOutcome::cannot_tell;  // mixed, or nothing to read
}

}  // namespace baton::zookeeper::fenced
