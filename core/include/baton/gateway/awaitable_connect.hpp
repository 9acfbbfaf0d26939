#pragma once

#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <system_error>
#include <utility>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/system/system_error.hpp>

// Asio's coroutine support needs a compiler it knows (GCC >= 10 in C++20 mode; Clang through
// <experimental/coroutine> only in Boost 1.74): without it this helper does not exist.
#if defined(BOOST_ASIO_HAS_CO_AWAIT)

namespace baton::gateway {

// Adapts a coroutine connect function, fn(address, token) -> awaitable<shared_ptr<Gateway>>,
// to the callback form LeaderGatewayRetriever takes: each connect is co_spawned on executor;
// an exception thrown by the coroutine becomes the connect's error (the code of a
// std::system_error or boost::system::system_error, otherwise std::errc::io_error).
// fn is copied; address and token stay alive until the coroutine finishes.
template <typename Gateway, typename Token = std::string, typename Fn>
std::function<void(const std::string&, const Token&,
                   std::function<void(std::error_code, std::shared_ptr<Gateway>)>)>
connectWithCoroutine(boost::asio::any_io_executor executor, Fn fn) {
  using Handler = std::function<void(std::error_code, std::shared_ptr<Gateway>)>;
  return [executor, fn](const std::string& address, const Token& token, Handler handler) {
    boost::asio::co_spawn(
        executor,
        [fn, address, token]() -> boost::asio::awaitable<std::shared_ptr<Gateway>> {
          co_return co_await fn(address, token);
        },
        [handler = std::move(handler)](std::exception_ptr error, std::shared_ptr<Gateway> gateway) {
          if (!error)
            return handler({}, std::move(gateway));
          try {
            std::rethrow_exception(error);
          } catch (const boost::system::system_error& e) {
            handler(e.code(), nullptr);
          } catch (const std::system_error& e) {
            handler(e.code(), nullptr);
          } catch (...) {
            handler(std::make_error_code(std::errc::io_error), nullptr);
          }
        });
  };
}

}  // namespace baton::gateway

#endif  // BOOST_ASIO_HAS_CO_AWAIT
