#include "client/zk_settings_check.hpp"

#include <charconv>
#include <string>
#include <string_view>

#include "baton/error.hpp"

namespace baton::zookeeper::detail {
namespace {

void checkServer(std::string_view server, const std::string& quorum) {
  auto fail = [&](const std::string& problem) {
    throw ConfigurationError("ha.zookeeper.quorum",
                             "'" + quorum + "': server '" + std::string(server) + "' " + problem);
  };
  std::size_t colon = server.rfind(':');
  if (colon == std::string_view::npos)
    fail("has no port (expected host:port)");
  std::string_view host = server.substr(0, colon);
  std::string_view port = server.substr(colon + 1);
  if (host.empty() || host == "[]")
    fail("has no host");
  if (host.front() == '[' && host.back() != ']')
    fail("has an unterminated IPv6 address");
  if (host.front() != '[' && host.find(':') != std::string_view::npos) {
    fail("is ambiguous: write IPv6 addresses as [address]:port");
  }
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value == 0 ||
      value > 65535) {
    fail("has an invalid port '" + std::string(port) + "' (1-65535)");
  }
}

}  // namespace

void checkQuorum(const std::string& quorum, Chroot chroot) {
  if (quorum.empty()) {
    throw ConfigurationError("ha.zookeeper.quorum", "is empty (expected host:port,host:port)");
  }
  std::string_view rest(quorum);
  // An optional chroot follows the last server: "a:1,b:2/baton".
  std::size_t slash = rest.find('/');
  if (slash != std::string_view::npos) {
    if (chroot == Chroot::refused) {
      throw ConfigurationError("ha.zookeeper.quorum",
                               "'" + quorum + "' has a chroot; set ha.zookeeper.root instead");
    }
    if (slash + 1 == rest.size()) {
      throw ConfigurationError("ha.zookeeper.quorum", "'" + quorum + "': empty chroot '/'");
    }
    rest = rest.substr(0, slash);
  }
  while (true) {
    std::size_t comma = rest.find(',');
    checkServer(rest.substr(0, comma), quorum);
    if (comma == std::string_view::npos)
      break;
    rest = rest.substr(comma + 1);
  }
}

void checkPositive(const std::string& key, std::chrono::milliseconds value) {
  if (value.count() <= 0) {
    throw ConfigurationError(key, "must be positive, not " + std::to_string(value.count()) + " ms");
  }
}

void checkDigest(const std::string& key, const std::string& digest) {
  std::size_t colon = digest.find(':');
  if (colon == std::string::npos || colon == 0) {
    // The value is a secret: name the key and the expected form, never echo it.
    throw ConfigurationError(key, "must have the form user:password (the value is not shown)");
  }
}

void checkSettings(const ZkSettings& settings) {
  checkQuorum(settings.quorum, Chroot::allowed);
  checkPositive("ha.zookeeper.session-timeout", settings.sessionTimeout);
  checkPositive("ha.zookeeper.connection-timeout", settings.connectionTimeout);
  checkPositive("ha.zookeeper.operation-timeout", settings.operationTimeout);
  if (settings.retry.maxAttempts < 1) {
    throw ConfigurationError(
        "ha.zookeeper.retry.max-attempts",
        "must be at least 1, not " + std::to_string(settings.retry.maxAttempts));
  }
  if (settings.digestCredentials)
    checkDigest("ha.zookeeper.auth.digest", *settings.digestCredentials);
}

}  // namespace baton::zookeeper::detail
