#pragma once

#include <stdexcept>

#include <catch2/catch.hpp>

#include "baton/error.hpp"

namespace baton::test {

// The ConfigurationError fn throws; fails the test case if it throws none.
template <typename Fn>
ConfigurationError configurationErrorOf(Fn&& fn) {
  try {
    fn();
  } catch (const ConfigurationError& e) {
    return e;
  }
  FAIL("no ConfigurationError thrown");
  throw std::logic_error("unreachable");
}

}  // namespace baton::test
