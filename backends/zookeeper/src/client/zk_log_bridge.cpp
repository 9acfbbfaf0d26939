#include "client/zk_log_bridge.hpp"

#include <algorithm>
#include <array>
#include <mutex>
#include <string_view>
#include <utility>

namespace baton::zookeeper::detail {
namespace {

struct Slot {
  std::shared_ptr<spdlog::logger> logger;  // null: free
  int level = 0;                           // the C level its logger wants
};

struct Registry {
  std::mutex mutex;
  std::array<Slot, ZkLogBridge::kSlots> slots;

  // Under mutex: the C client's one global level serves the most verbose live logger.
  void applyLevel() {
    int level = 0;
    for (const auto& slot : slots) {
      if (slot.logger)
        level = std::max(level, slot.level);
    }
    zoo_set_debug_level(static_cast<ZooLogLevel>(level));
  }
};

Registry& registry() {
  static Registry instance;
  return instance;
}

template <std::size_t I>
void logThroughSlot(const char* message) {
  std::shared_ptr<spdlog::logger> logger;
  {
    std::lock_guard lock(registry().mutex);
    logger = registry().slots[I].logger;
  }
  if (!logger || !message)
    return;
  auto line = ZkLogBridge::translate(message);
  logger->log(line.level, "zookeeper C client: {}", line.text);
}

template <std::size_t... I>
constexpr std::array<log_callback_fn, sizeof...(I)> makeCallbacks(std::index_sequence<I...>) {
  return {&logThroughSlot<I>...};
}

constexpr auto kCallbacks = makeCallbacks(std::make_index_sequence<ZkLogBridge::kSlots>{});

}  // namespace

ZkLogBridge::ZkLogBridge(std::shared_ptr<spdlog::logger> logger) : slot_(kSlots) {
  auto& reg = registry();
  std::lock_guard lock(reg.mutex);
  for (std::size_t i = 0; i < kSlots; ++i) {
    if (!reg.slots[i].logger) {
      slot_ = i;
      reg.slots[i].logger = std::move(logger);
      reg.slots[i].level = cLevelFor(*reg.slots[i].logger);
      callback_ = kCallbacks[i];
      break;
    }
  }
  if (slot_ == kSlots && logger) {
    logger->warn(
        "zookeeper: more than {} clients in this process: this one's C client log goes to "
        "stderr",
        kSlots);
  }
  reg.applyLevel();
}

ZkLogBridge::~ZkLogBridge() {
  if (slot_ == kSlots)
    return;
  auto& reg = registry();
  std::lock_guard lock(reg.mutex);
  reg.slots[slot_] = Slot{};
  reg.applyLevel();
}

void ZkLogBridge::refreshLevel() {
  if (slot_ == kSlots)
    return;
  auto& reg = registry();
  std::lock_guard lock(reg.mutex);
  reg.slots[slot_].level = cLevelFor(*reg.slots[slot_].logger);
  reg.applyLevel();
}

int ZkLogBridge::cLevelFor(const spdlog::logger& logger) {
  if (logger.sinks().empty())
    return 0;  // baton's quiet logger: nothing would be written
  if (logger.should_log(spdlog::level::trace))
    return ZOO_LOG_LEVEL_DEBUG;
  if (logger.should_log(spdlog::level::debug))
    return ZOO_LOG_LEVEL_INFO;
  if (logger.should_log(spdlog::level::info))
    return ZOO_LOG_LEVEL_WARN;
  if (logger.should_log(spdlog::level::warn))
    return ZOO_LOG_LEVEL_ERROR;
  return 0;
}

ZkLogBridge::Line ZkLogBridge::translate(const char* message) {
  std::string_view line(message);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r' || line.back() == ' '))
    line.remove_suffix(1);
  // zk_log.c log_message: "%s:%ld:%s@%s@%d: " time, pid, level, function, line; the time
  // contains colons too, so find the level by its prefix.
  static constexpr std::pair<std::string_view, spdlog::level::level_enum> kLevels[] = {
      {":ZOO_ERROR@", spdlog::level::warn},
      {":ZOO_WARN@", spdlog::level::info},
      {":ZOO_INFO@", spdlog::level::debug},
      {":ZOO_DEBUG@", spdlog::level::trace},
  };
  for (const auto& [tag, level] : kLevels) {
    auto at = line.find(tag);
    if (at != std::string_view::npos)
      return {level, std::string(line.substr(at + tag.size()))};
  }
  return {spdlog::level::info, std::string(line)};
}

}  // namespace baton::zookeeper::detail
