// Configuration: the file format, typed getters and every error path, each naming its key.
#include <catch2/catch.hpp>

#include "support/configuration_error_of.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "baton/configuration.hpp"
#include "baton/error.hpp"

using baton::Configuration;
using baton::ConfigurationError;
using baton::test::configurationErrorOf;
using namespace std::chrono_literals;

namespace {

// A file in a fresh temporary directory, removed with the object.
class TempFile {
 public:
  explicit TempFile(const std::string& content) {
    static int counter = 0;
    dir_ =
        std::filesystem::temp_directory_path() /
        ("baton-configuration-test-" + std::to_string(getpid()) + "-" + std::to_string(++counter));
    std::filesystem::create_directories(dir_);
    path_ = dir_ / "baton.conf";
    std::ofstream(path_) << content;
  }
  ~TempFile() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
  std::filesystem::path path_;
};

}  // namespace

TEST_CASE("a file with '=' and ':' lines, comments, blanks and spaces") {
  TempFile file(
      "# baton configuration\n"
      "\n"
      "ha.type = zookeeper\n"
      "  ha.zookeeper.quorum: zk1:2181,zk2:2181  \n"
      "ha.zookeeper.auth.digest=user:pa=ss#word\n"
      "ha.zookeeper.root =\n"
      "   # indented comment\n"
      "ha.standalone.address.rest_server = http://host:8081/a?b=c\r\n");
  auto configuration = Configuration::fromFile(file.path());
  CHECK(configuration.get("ha.type") == "zookeeper");
  CHECK(configuration.get("ha.zookeeper.quorum") == "zk1:2181,zk2:2181");
  CHECK(configuration.get("ha.zookeeper.auth.digest") == "user:pa=ss#word");  // verbatim
  CHECK(configuration.get("ha.zookeeper.root") == "");
  CHECK(configuration.get("ha.standalone.address.rest_server") == "http://host:8081/a?b=c");
  CHECK(configuration.entries().size() == 5);
}

TEST_CASE("a malformed line names <file>:<line>") {
  TempFile file("ha.type = standalone\n# fine\nthis line has no separator\n");
  auto error = configurationErrorOf([&] { Configuration::fromFile(file.path()); });
  const std::string where = file.path().string() + ":3";
  CHECK(error.key() == where);
  CHECK_THAT(error.what(), Catch::Contains(where) && Catch::Contains("this line has no separator"));
}

TEST_CASE("a line without a key or with an invalid key names <file>:<line>") {
  TempFile noKey("ha.type = none\n = value\n");
  CHECK(configurationErrorOf([&] { Configuration::fromFile(noKey.path()); }).key() ==
        noKey.path().string() + ":2");
  TempFile badKey("ha type = none\n");
  auto error = configurationErrorOf([&] { Configuration::fromFile(badKey.path()); });
  CHECK(error.key() == badKey.path().string() + ":1");
  CHECK_THAT(error.what(), Catch::Contains("ha type"));
}

TEST_CASE("a key set twice in one file names the line and the first one") {
  TempFile file("ha.type = none\nha.cluster-id = a\nha.type = embedded\n");
  auto error = configurationErrorOf([&] { Configuration::fromFile(file.path()); });
  CHECK(error.key() == file.path().string() + ":3");
  CHECK_THAT(error.what(), Catch::Contains("duplicate key 'ha.type'") && Catch::Contains("line 1"));
}

TEST_CASE("an unreadable file names the file") {
  TempFile file("");
  auto missing = file.dir() / "missing.conf";
  auto error = configurationErrorOf([&] { Configuration::fromFile(missing); });
  CHECK(error.key() == missing.string());
  CHECK_THAT(error.what(), Catch::Contains(missing.string()));

  auto directory = configurationErrorOf([&] { Configuration::fromFile(file.dir()); });
  CHECK(directory.key() == file.dir().string());
}

TEST_CASE("an empty file is an empty configuration") {
  TempFile file("");
  CHECK(Configuration::fromFile(file.path()).entries().empty());
}

TEST_CASE("set and fromMap reject keys the file syntax cannot express") {
  Configuration configuration;
  CHECK(configurationErrorOf([&] { configuration.set("a b", "x"); }).key() == "a b");
  CHECK(configurationErrorOf([&] { configuration.set("", "x"); }).key().empty());
  CHECK(configurationErrorOf([&] { Configuration::fromMap({{"k=v", "x"}}); }).key() == "k=v");
}

TEST_CASE("get, getString, contains, require") {
  auto configuration = Configuration::fromMap({{"a", "1"}, {"empty", ""}, {"blank", "  "}});
  CHECK(configuration.contains("a"));
  CHECK_FALSE(configuration.contains("b"));
  CHECK(configuration.get("b") == std::nullopt);
  CHECK(configuration.getString("a", "x") == "1");
  CHECK(configuration.getString("b", "x") == "x");
  CHECK(configuration.getString("empty", "x").empty());
  CHECK(configuration.require("a") == "1");
  auto missing = configurationErrorOf([&] { configuration.require("ha.zookeeper.quorum"); });
  CHECK(missing.key() == "ha.zookeeper.quorum");
  CHECK_THAT(missing.what(), Catch::Contains("ha.zookeeper.quorum"));
  CHECK(configurationErrorOf([&] { configuration.require("empty"); }).key() == "empty");
  CHECK(configurationErrorOf([&] { configuration.require("blank"); }).key() == "blank");
}

TEST_CASE("durations: ms, s, min, h, bare milliseconds, and the fallback") {
  auto configuration = Configuration::fromMap({{"a", "500ms"},
                                               {"b", "30s"},
                                               {"c", "2min"},
                                               {"d", "1h"},
                                               {"e", "250"},
                                               {"f", " 15 s "},
                                               {"g", "0"}});
  CHECK(configuration.getDuration("a", 1ms) == 500ms);
  CHECK(configuration.getDuration("b", 1ms) == 30s);
  CHECK(configuration.getDuration("c", 1ms) == 2min);
  CHECK(configuration.getDuration("d", 1ms) == 1h);
  CHECK(configuration.getDuration("e", 1ms) == 250ms);
  CHECK(configuration.getDuration("f", 1ms) == 15s);
  CHECK(configuration.getDuration("g", 1ms) == 0ms);
  CHECK(configuration.getDuration("absent", 10s) == 10s);
}

TEST_CASE("a bad duration names the key and the value") {
  for (std::string bad : {"10 seconds", "-5s", "1.5s", "s", "", "ten", "5m", "99999999999999999999",
                          "9223372036854775807h"}) {
    CAPTURE(bad);
    auto configuration = Configuration::fromMap({{"ha.zookeeper.session-timeout", bad}});
    auto error = configurationErrorOf(
        [&] { configuration.getDuration("ha.zookeeper.session-timeout", 10s); });
    CHECK(error.key() == "ha.zookeeper.session-timeout");
    CHECK_THAT(error.what(),
               Catch::Contains("ha.zookeeper.session-timeout") && Catch::Contains("'" + bad));
  }
}

TEST_CASE("integers: in range, out of range, malformed") {
  auto configuration = Configuration::fromMap({{"ok", " 20 "},
                                               {"neg", "-3"},
                                               {"high", "1000"},
                                               {"huge", "99999999999999999999"},
                                               {"text", "twenty"},
                                               {"float", "2.5"},
                                               {"plus", "+5"}});
  CHECK(configuration.getInt("ok", 0, 1, 100) == 20);
  CHECK(configuration.getInt("neg", 0, -10, 10) == -3);
  CHECK(configuration.getInt("absent", 7, 1, 100) == 7);

  auto high = configurationErrorOf([&] { configuration.getInt("high", 0, 1, 100); });
  CHECK(high.key() == "high");
  CHECK_THAT(high.what(), Catch::Contains("1000") && Catch::Contains("[1, 100]"));
  CHECK(configurationErrorOf([&] { configuration.getInt("neg", 0, 0, 10); }).key() == "neg");
  for (std::string key : {"huge", "text", "float", "plus"}) {
    CAPTURE(key);
    auto error = configurationErrorOf([&] { configuration.getInt(key, 0, 0, 100); });
    CHECK(error.key() == key);
    CHECK_THAT(error.what(), Catch::Contains(*configuration.get(key)));
  }
}

TEST_CASE("booleans: true/false/yes/no/1/0 in any case; anything else names key and value") {
  auto configuration = Configuration::fromMap({{"t1", "true"},
                                               {"t2", "YES"},
                                               {"t3", "1"},
                                               {"f1", "False"},
                                               {"f2", "no"},
                                               {"f3", "0"},
                                               {"bad", "maybe"}});
  for (std::string key : {"t1", "t2", "t3"})
    CHECK(configuration.getBool(key, false));
  for (std::string key : {"f1", "f2", "f3"})
    CHECK_FALSE(configuration.getBool(key, true));
  CHECK(configuration.getBool("absent", true));
  auto error = configurationErrorOf([&] { configuration.getBool("bad", true); });
  CHECK(error.key() == "bad");
  CHECK_THAT(error.what(), Catch::Contains("'bad'") && Catch::Contains("maybe"));
}

TEST_CASE("keysWithPrefix lists the keys under a prefix, in order") {
  auto configuration = Configuration::fromMap({{"ha.standalone.address.b", "2"},
                                               {"ha.standalone.address.a", "1"},
                                               {"ha.standalone.addressx", "no"},
                                               {"ha.type", "none"}});
  CHECK(configuration.keysWithPrefix("ha.standalone.address.") ==
        std::vector<std::string>{"ha.standalone.address.a", "ha.standalone.address.b"});
  CHECK(configuration.keysWithPrefix("nothing.").empty());
}

TEST_CASE("mergedWith and set: later values win, the original is unchanged") {
  auto base = Configuration::fromMap({{"a", "1"}, {"b", "2"}});
  auto merged = base.mergedWith(Configuration::fromMap({{"b", "3"}, {"c", "4"}}));
  CHECK(merged.entries() == std::map<std::string, std::string>{{"a", "1"}, {"b", "3"}, {"c", "4"}});
  CHECK(base.get("b") == "2");
  base.set("a", "5").set("d", "6");
  CHECK(base.get("a") == "5");
  CHECK(base.get("d") == "6");
}
