#include "leader_info/zk_paths.hpp"

#include "baton/error.hpp"

namespace baton::zookeeper {

void validateZkRoot(const std::string& key, const std::string& path) {
  auto fail = [&](const std::string& rule) {
    throw ConfigurationError(key, "'" + path + "' is not a usable ZooKeeper path: " + rule);
  };
  if (path.empty() || path[0] != '/')
    fail("it must start with '/'");
  if (path == "/")
    return;
  if (path.back() == '/')
    fail("it must not end with '/'");
  std::size_t start = 1;
  while (start <= path.size()) {
    auto end = path.find('/', start);
    auto segment = path.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (segment.empty())
      fail("it has an empty segment ('//')");
    if (segment == "." || segment == "..")
      fail("'.' and '..' segments are not allowed");
    if (segment == "zookeeper" && start == 1)
      fail("/zookeeper is reserved by ZooKeeper");
    for (unsigned char c : segment) {
      if (c < 0x20 || c == 0x7f)
        fail("it contains a control character");
    }
    if (end == std::string::npos)
      break;
    start = end + 1;
  }
}

}  // namespace baton::zookeeper
