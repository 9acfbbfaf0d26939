#include "demo_story.hpp"

#include <cstdio>

namespace baton::cli {
namespace {

std::string shortSession(const LeaderSessionId& session) {
  return session.toString().substr(0, 8) + "...";
}

}  // namespace

DemoStory::DemoStory(OutputFormat format)
    : format_(format), printer_(stdout, OutputFormat::json, kComponent, "demo") {}

void DemoStory::addNode(const std::string& node, const std::string& address) {
  const std::lock_guard lock(mutex_);
  nodeByAddress_[address] = node;
}

void DemoStory::granted(const std::string& node, const LeaderSessionId& session,
                        const std::string& address) {
  const double atMs = elapsedMs();
  // The check: a grant while another contender still leads means two leaders at once.
  const int leading = ++leading_;
  int highest = maxLeading_.load();
  while (leading > highest && !maxLeading_.compare_exchange_weak(highest, leading)) {
  }
  emit(node, Event{.name = "granted", .sessionId = session, .fields = {{"address", address}}},
       node + " granted leadership (session " + shortSession(session) + "), confirms " + address);
  const std::lock_guard lock(mutex_);
  record_.grants.push_back(Grant{node, address, session, atMs});
  changed_.notify_all();
}

void DemoStory::revoked(const std::string& node, const LeaderSessionId& session) {
  --leading_;
  emit(node, Event{.name = "revoked", .sessionId = session}, node + " revoked");
}

void DemoStory::watcherSees(const std::string& address, const LeaderSessionId& session) {
  // Told before it is recorded: whoever waits for the record prints after this line.
  if (address.empty()) {
    emit("watcher", Event{.name = "no-leader"}, "watcher sees no leader");
  } else {
    emit("watcher", Event{.name = "leader", .sessionId = session, .fields = {{"address", address}}},
         "watcher sees " + nodeAt(address) + " at " + address);
  }
  const std::lock_guard lock(mutex_);
  record_.watchedAddress = address.empty() ? std::nullopt : std::optional(address);
  record_.watchedSession = session;
  changed_.notify_all();
}

std::string DemoStory::nodeAt(const std::string& address) const {
  const std::lock_guard lock(mutex_);
  const auto it = nodeByAddress_.find(address);
  return it == nodeByAddress_.end() ? "an unknown node" : it->second;
}

void DemoStory::problem(const std::string& node, const std::string& text) {
  {
    const std::lock_guard lock(mutex_);
    problems_.push_back(node + ": " + text);
    changed_.notify_all();
  }
  emit(node, Event{.name = "error", .fields = {{"message", text}}}, node + " error: " + text);
}

void DemoStory::tell(const std::string& node, const std::string& event,
                     const std::string& sentence) {
  emit(node, Event{.name = event}, sentence);
}

bool DemoStory::waitUntil(std::chrono::milliseconds timeout,
                          const std::function<bool(const Record&)>& predicate) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return predicate(record_); });
}

DemoStory::Record DemoStory::snapshot() const {
  const std::lock_guard lock(mutex_);
  return record_;
}

double DemoStory::elapsedMs() const {
  const auto elapsed = std::chrono::steady_clock::now() - start_;
  return std::chrono::duration<double, std::milli>(elapsed).count();
}

std::vector<std::string> DemoStory::problems() const {
  const std::lock_guard lock(mutex_);
  return problems_;
}

void DemoStory::emit(const std::string& node, Event event, const std::string& sentence) {
  if (format_ == OutputFormat::json) {
    event.participant = node;
    event.fields.emplace_back("text", sentence);
    printer_.print(event);
    return;
  }
  const std::lock_guard lock(outputMutex_);
  std::printf("%8.1f ms  %s\n", elapsedMs(), sentence.c_str());
  std::fflush(stdout);
}

}  // namespace baton::cli
