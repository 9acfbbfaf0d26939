// docs/configuration.md's key table is the declarations' (baton::knownConfigurationOptions(),
// gathered from each backend's ConfigOption declarations): every declared key has exactly the
// row its declaration generates (type, default, backend and doc line), and the page documents
// no ha.* key that baton does not declare.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "baton/known_options.hpp"

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

// The whole table as the declarations generate it, for a failure message to paste from.
std::string expectedTable() {
  std::string table;
  for (const auto& option : baton::knownConfigurationOptions())
    table += option.tableRow() + "\n";
  return table;
}

}  // namespace

TEST_CASE("every declared key has the row its declaration generates") {
  const auto docs = readDocs();
  for (const auto& option : baton::knownConfigurationOptions()) {
    const auto row = option.tableRow();
    INFO("docs/configuration.md lacks this row (the declarations' table:\n"
         << expectedTable() << ")");
    CHECK(docs.find("\n" + row + "\n") != std::string::npos);
    CHECK_THAT(row, Catch::Contains("Example: `"));
  }
}

TEST_CASE("every documented key row names a declared key") {
  const auto docs = readDocs();
  const std::regex row(R"(\n\| `(ha\.[^`]*)` \|)");
  int rows = 0;
  for (std::sregex_iterator it(docs.begin(), docs.end(), row), end; it != end; ++it) {
    ++rows;
    const std::string key = (*it)[1];
    CAPTURE(key);
    bool known = false;
    for (const auto& option : baton::knownConfigurationOptions())
      known |= option.tableRow().starts_with("| `" + key + "` |");
    CHECK(known);
  }
  CHECK(rows == static_cast<int>(baton::knownConfigurationOptions().size()));
}

TEST_CASE("the page states the environment override rule with examples") {
  const auto docs = readDocs();
  for (std::string_view key : {"ha.zookeeper.quorum", "ha.zookeeper.session-timeout"}) {
    CHECK_THAT(docs, Catch::Contains("`" + baton::environmentVariableFor(key) + "`"));
  }
}
