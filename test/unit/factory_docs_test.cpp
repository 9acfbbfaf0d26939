// docs/configuration.md documents every known key with its type, default and backend, and
// documents no ha.* key that baton does not know.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "baton/configuration_keys.hpp"

namespace {

std::string readDocs() {
  // This file is test/unit/factory_docs_test.cpp; the page is docs/configuration.md.
  auto path =
      std::filesystem::path(__FILE__).parent_path() / ".." / ".." / "docs" / "configuration.md";
  std::ifstream in(path);
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The table row documenting a key: the line starting with "| `<key>` |".
std::string rowOf(const std::string& docs, const std::string& key) {
  auto start = docs.find("| `" + key + "` |");
  if (start == std::string::npos)
    return {};
  return docs.substr(start, docs.find('\n', start) - start);
}

std::string documentedName(std::string_view name) {
  std::string key(name);
  if (key.ends_with('.'))
    key += "<component>";  // a family of keys
  return key;
}

}  // namespace

TEST_CASE("every known key has a row with its type, default and backend") {
  const auto docs = readDocs();
  for (const auto& known : baton::knownConfigurationKeys()) {
    const auto key = documentedName(known.name);
    CAPTURE(key);
    const auto row = rowOf(docs, key);
    REQUIRE_FALSE(row.empty());
    CHECK_THAT(row, Catch::Contains("| " + std::string(known.type) + " |"));
    CHECK_THAT(row, Catch::Contains(std::string(known.backend) + " |"));
    if (!known.defaultValue.empty()) {
      CHECK_THAT(row, Catch::Contains("`" + std::string(known.defaultValue) + "`"));
    }
    CHECK_THAT(row, Catch::Contains("Example: `"));
  }
}

TEST_CASE("every documented key row names a known key") {
  const auto docs = readDocs();
  const std::regex row(R"(\n\| `(ha\.[^`]*)` \|)");
  int rows = 0;
  for (std::sregex_iterator it(docs.begin(), docs.end(), row), end; it != end; ++it) {
    ++rows;
    const std::string key = (*it)[1];
    CAPTURE(key);
    bool known = false;
    for (const auto& k : baton::knownConfigurationKeys())
      known |= documentedName(k.name) == key;
    CHECK(known);
  }
  CHECK(rows == static_cast<int>(baton::knownConfigurationKeys().size()));
}

TEST_CASE("the page states the environment override rule with examples") {
  const auto docs = readDocs();
  for (std::string_view key : {baton::kZooKeeperQuorumKey, baton::kZooKeeperSessionTimeoutKey}) {
    CHECK_THAT(docs, Catch::Contains("`" + baton::environmentVariableFor(key) + "`"));
  }
}
