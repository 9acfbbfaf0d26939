// ConfigOption: reading with defaults and checks, and the descriptions the documentation and
// the factory derive from the declarations.
#include <catch2/catch.hpp>

#include <unistd.h>

#include "baton/config_option.hpp"
#include "baton/error.hpp"
#include "baton/ha_options.hpp"

using baton::Configuration;
using baton::ConfigurationError;
using namespace std::chrono_literals;

namespace {

void refuseBad(const std::string& key, const std::string& value) {
  if (value == "bad")
    throw ConfigurationError(key, "is bad");
}

const baton::StringOption kText{.key = "test.text",
                                .type = "string",
                                .defaultValue = "fallback",
                                .doc = "Text. Example: `test.text = x`",
                                .check = refuseBad};
const baton::StringOption kRequired{
    .key = "test.required", .type = "string", .doc = "Required.", .required = true};
const baton::DurationOption kWait{
    .key = "test.wait", .type = "duration", .defaultValue = 90s, .doc = "Wait."};
const baton::IntOption kCount{.key = "test.count",
                              .type = "int",
                              .defaultValue = 3,
                              .doc = "Count.",
                              .check = [](const std::string& key, const std::int64_t& value) {
                                baton::checkRange(key, value, 1, 10);
                              }};

}  // namespace

TEST_CASE("read: the default when absent, the value when set, checked only when set") {
  CHECK(read(Configuration(), kText) == "fallback");
  CHECK(read(Configuration().set("test.text", "mine"), kText) == "mine");
  try {
    read(Configuration().set("test.text", "bad"), kText);
    FAIL("the check did not run");
  } catch (const ConfigurationError& e) {
    CHECK(e.key() == "test.text");
  }
  CHECK(read(Configuration(), kWait) == 90s);
  CHECK(read(Configuration().set("test.wait", "2min"), kWait) == 120s);
  CHECK_THROWS_AS(read(Configuration().set("test.wait", "soon"), kWait), ConfigurationError);
  CHECK(read(Configuration(), kCount) == 3);
  CHECK(read(Configuration().set("test.count", "10"), kCount) == 10);
  CHECK_THROWS_AS(read(Configuration().set("test.count", "11"), kCount), ConfigurationError);
}

TEST_CASE("read: a required option names its key when absent or empty") {
  for (const auto& configuration : {Configuration(), Configuration().set("test.required", " ")}) {
    try {
      read(configuration, kRequired);
      FAIL("accepted a missing required option");
    } catch (const ConfigurationError& e) {
      CHECK(e.key() == "test.required");
    }
  }
}

TEST_CASE("describe: the documented default derives from the declared one") {
  CHECK(describe(kText, "all").tableRow() ==
        "| `test.text` | string | `fallback` | all | Text. Example: `test.text = x` |");
  CHECK(describe(kRequired, "x").defaultCell == "none (required)");
  CHECK(describe(kWait, "x").defaultCell == "`90s`");
  CHECK(describe(kCount, "x").defaultCell == "`3`");
  CHECK(describe(baton::kParticipantIdOption, "x").defaultCell == "`<hostname>-<pid>-<counter>`");
}

TEST_CASE("formatDuration: the largest unit that divides exactly") {
  CHECK(baton::formatDuration(0ms) == "0ms");
  CHECK(baton::formatDuration(500ms) == "500ms");
  CHECK(baton::formatDuration(1500ms) == "1500ms");
  CHECK(baton::formatDuration(10s) == "10s");
  CHECK(baton::formatDuration(120s) == "2min");
  CHECK(baton::formatDuration(2h) == "2h");
}

TEST_CASE("defaultParticipantId is a valid ha.participant-id, unique per call") {
  auto first = baton::defaultParticipantId();
  auto second = baton::defaultParticipantId();
  CHECK(first != second);
  CHECK_NOTHROW(baton::checkName("ha.participant-id", first));
  CHECK_THAT(first, Catch::Contains("-" + std::to_string(getpid()) + "-"));
}
