#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

namespace baton::zookeeper {

// The latch node that makes this session's participant leader, handed from the election to
// the fenced writer: the latch driver publishes the node when it acquires the latch and
// withdraws it when it releases it; a fenced write asks for the node of the epoch its token
// names and checks that node in its multi-op. Only one latch driver publishes per session
// (one election per services), so the latest publication is the truth.
//
// Thread-safety: none; lives on the connection's I/O executor, where both the latch driver
// and the fenced writer run: publication and reads are ordered by that executor.
class LatchFence {
 public:
  void publish(std::string path, std::int64_t epoch) { held_ = Held{std::move(path), epoch}; }
  void withdraw() noexcept { held_.reset(); }

  // The latch node of the leadership with this epoch, while it is held; nullopt when the
  // latch is released or a different leadership (another epoch) holds it.
  std::optional<std::string> nodeFor(std::int64_t epoch) const {
    if (!held_ || held_->epoch != epoch)
      return std::nullopt;
    return held_->path;
  }

 private:
  struct Held {
    std::string path;
    std::int64_t epoch = 0;
  };
  std::optional<Held> held_;
};

}  // namespace baton::zookeeper
