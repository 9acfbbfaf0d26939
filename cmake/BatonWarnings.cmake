# baton_target_defaults(<target>): warnings, sanitizers and the C++ standard for every target
# the project compiles, so that a sanitizer build covers all of them.
function(baton_target_defaults target)
  target_compile_features(${target} PUBLIC cxx_std_20)
  # No -Wnull-dereference: with GCC 12 it fires inside Boost.Asio's scheduler at -O2 (false
  # positives) wherever Asio is included.
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
    -Wold-style-cast -Wcast-align -Woverloaded-virtual)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC 12 reports -Wmaybe-uninitialized falsely inside std::variant's copy of a string
    # member (GCC bug 105562/107138); the rest of -Wall stays on.
    target_compile_options(${target} PRIVATE -Wno-maybe-uninitialized)
  endif()
  if(BATON_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(BATON_SANITIZE STREQUAL "address")
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer
      -fno-sanitize-recover=undefined)
    target_link_options(${target} PUBLIC -fsanitize=address,undefined)
  elseif(BATON_SANITIZE STREQUAL "thread")
    target_compile_options(${target} PRIVATE -fsanitize=thread -fno-omit-frame-pointer)
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
      # Boost.Asio uses std::atomic_thread_fence, which GCC warns TSan does not model; the
      # fences sit next to atomics TSan does see.
      target_compile_options(${target} PRIVATE -Wno-tsan)
    endif()
    target_link_options(${target} PUBLIC -fsanitize=thread)
  elseif(NOT BATON_SANITIZE STREQUAL "")
    message(FATAL_ERROR "BATON_SANITIZE must be '', 'address' or 'thread', not '${BATON_SANITIZE}'")
  endif()
endfunction()
