#pragma once

#include <zookeeper/zookeeper.h>

#include <cstddef>
#include <memory>
#include <string>

#include <spdlog/logger.h>

namespace baton::zookeeper::detail {

// Routes the log lines of the C client's handles to baton's logger instead of the C client's
// process-wide stream, each handle to the logger of the client that opened it.
//
// The C client takes a per-handle log callback (zookeeper_init2) but hands it nothing but the
// formatted line: no context pointer. So each bridge takes one of a fixed number of slots, each
// with its own callback function that finds the slot's logger; when every slot is taken (more
// than kSlots clients at once in one process) callback() is null and that client's C-client
// lines go to the C client's stream (stderr), as before baton set one.
//
// Levels, C client -> spdlog: ZOO_ERROR -> warn (the C client logs an error for each failed
// connect or socket and then retries; baton reports at error what it cannot recover from),
// ZOO_WARN -> info, ZOO_INFO -> debug, ZOO_DEBUG -> trace. The C client's level is one global
// (zoo_set_debug_level): it is set to the most verbose level any live bridge's logger wants,
// so lines nobody wants are not even formatted; refreshLevel() follows a changed logger level.
// That global is a plain int the C client reads unsynchronised on every thread that drives a
// handle: baton writes it only under its registry mutex, and any other user of the C client in
// the process shares it.
//
// Thread-safety: construct, refresh and destroy from any thread; the callbacks may run on any
// thread (each client's executor), concurrently. The bridge must outlive its handles.
class ZkLogBridge {
 public:
  static constexpr std::size_t kSlots = 128;

  explicit ZkLogBridge(std::shared_ptr<spdlog::logger> logger);
  ~ZkLogBridge();
  ZkLogBridge(const ZkLogBridge&) = delete;
  ZkLogBridge& operator=(const ZkLogBridge&) = delete;

  // The callback for zookeeper_init2; null when no slot was free.
  log_callback_fn callback() const noexcept { return callback_; }
  // Re-reads the logger's level and sets the C client's global level accordingly.
  void refreshLevel();

  // The spdlog level of a C client line ("<time>:<pid>:ZOO_ERROR@<function>@<line>: <text>")
  // and the text baton logs for it ("<function>@<line>: <text>").
  struct Line {
    spdlog::level::level_enum level;
    std::string text;
  };
  static Line translate(const char* message);
  // The C client level (0: none) that makes it format what logger would keep.
  static int cLevelFor(const spdlog::logger& logger);

 private:
  std::size_t slot_;
  log_callback_fn callback_ = nullptr;
};

}  // namespace baton::zookeeper::detail
