#include "baton/job_result_store.hpp"

#include "baton/error.hpp"

namespace baton {
namespace {

constexpr std::string_view kDirty = "dirty\n";
constexpr std::string_view kClean = "clean\n";

std::optional<JobResultStore::Entry> decode(const StoredRecord& record) {
  std::string_view value = record.value;
  for (auto [prefix, clean] : {std::pair{kDirty, false}, std::pair{kClean, true}}) {
    if (value.substr(0, prefix.size()) == prefix)
      return JobResultStore::Entry{record.key, std::string(value.substr(prefix.size())), clean};
  }
  return std::nullopt;
}

}  // namespace

JobResultStore::JobResultStore(LeaderStateStore& store, std::string ns)
    : store_(store), ns_(std::move(ns)) {
  LeaderStateStore::checkName("namespace", ns_);
}

std::error_code JobResultStore::createDirtyResult(const FencingToken& token, std::string_view jobId,
                                                  std::string_view result) {
  return store_.put(token, ns_, jobId, std::string(kDirty) + std::string(result),
                    WriteExpectation::absent());
}

std::error_code JobResultStore::markResultAsClean(const FencingToken& token,
                                                  std::string_view jobId) {
  auto record = store_.get(ns_, jobId);
  auto current = record ? decode(*record) : std::nullopt;
  if (!current || current->clean)
    return make_error_code(Errc::write_conflict);
  return store_.put(token, ns_, jobId, std::string(kClean) + current->result,
                    WriteExpectation::version(record->version));
}

std::optional<JobResultStore::Entry> JobResultStore::entry(std::string_view jobId) {
  auto record = store_.get(ns_, jobId);
  if (!record)
    return std::nullopt;
  auto decoded = decode(*record);
  if (!decoded)
    throw std::system_error(std::make_error_code(std::errc::invalid_argument),
                            "job result store: record '" + std::string(jobId) + "' of namespace '" +
                                ns_ + "' is not a job result entry");
  return decoded;
}

bool JobResultStore::hasDirtyJobResultEntry(std::string_view jobId) {
  auto found = entry(jobId);
  return found && !found->clean;
}

bool JobResultStore::hasCleanJobResultEntry(std::string_view jobId) {
  auto found = entry(jobId);
  return found && found->clean;
}

std::vector<JobResultStore::Entry> JobResultStore::getDirtyResults() {
  std::vector<Entry> dirty;
  for (const auto& record : store_.list(ns_)) {
    auto decoded = decode(record);
    if (decoded && !decoded->clean)
      dirty.push_back(std::move(*decoded));
  }
  return dirty;
}

}  // namespace baton
