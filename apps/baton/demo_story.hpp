#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "baton/leader_session_id.hpp"
#include "event_printer.hpp"

namespace baton::cli {

// What the demo's contenders and watcher report, recorded for the demo's checks and narrated
// as it happens, with milliseconds since the demo started:
//   readable: "    12.3 ms  node-1 granted leadership (session ab12cd34...)"
//   json:     one EventPrinter line per step, the sentence in "text"
//
// It also keeps the safety check: how many contenders lead at once (granted and not yet
// revoked), and the highest number ever seen.
//
// Thread-safety: every method may be called from any thread (callbacks run on the participants'
// callback threads); waits block the calling thread until a deadline.
class DemoStory {
 public:
  static constexpr const char* kComponent = "demo-service";

  struct Grant {
    std::string node;
    std::string address;
    LeaderSessionId session;
    double atMs;
  };
  struct Record {
    std::vector<Grant> grants;  // in the order they happened
    std::optional<std::string> watchedAddress;
    LeaderSessionId watchedSession;
  };

  explicit DemoStory(OutputFormat format);

  // Names the node that serves at address, for the watcher's lines.
  void addNode(const std::string& node, const std::string& address);

  // Contender and watcher reports (callback threads).
  void granted(const std::string& node, const LeaderSessionId& session, const std::string& address);
  void revoked(const std::string& node, const LeaderSessionId& session);
  void watcherSees(const std::string& address, const LeaderSessionId& session);
  void problem(const std::string& node, const std::string& text);

  // Narration from the demo's own thread. event names the step in --json output.
  void tell(const std::string& node, const std::string& event, const std::string& sentence);

  // Waits until predicate holds for the record; false when timeout passed first.
  bool waitUntil(std::chrono::milliseconds timeout,
                 const std::function<bool(const Record&)>& predicate);
  Record snapshot() const;
  double elapsedMs() const;
  int maxConcurrentLeaders() const noexcept { return maxLeading_.load(); }
  std::vector<std::string> problems() const;

 private:
  void emit(const std::string& node, Event event, const std::string& sentence);
  std::string nodeAt(const std::string& address) const;

  const std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  const OutputFormat format_;
  EventPrinter printer_;  // the json output
  std::atomic<int> leading_{0};
  std::atomic<int> maxLeading_{0};

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  Record record_;                                     // guarded
  std::map<std::string, std::string> nodeByAddress_;  // guarded
  std::vector<std::string> problems_;                 // guarded
  std::mutex outputMutex_;                            // orders readable lines
};

}  // namespace baton::cli
