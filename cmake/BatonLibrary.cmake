# baton_library(<name> EXPORT_NAME <export> [PUBLIC_INCLUDE <dir>] [PRIVATE_INCLUDE <dir>...]
#               SOURCES <file>... [DEPENDS <target>...] [STATIC] [NO_INSTALL_HEADERS])
# Declares one baton library the same way everywhere: the target baton_<name> and its alias
# baton::<export>, position-independent (so that it links into shared consumers), a public
# include directory that becomes ${CMAKE_INSTALL_INCLUDEDIR} once installed, private include
# directories (src/: internals stay out of the installed API), PUBLIC dependencies, the project's
# warnings and sanitizers (baton_target_defaults), and install + export into batonTargets
# together with the public headers.
function(baton_library name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "STATIC;NO_INSTALL_HEADERS" "EXPORT_NAME;PUBLIC_INCLUDE"
    "SOURCES;DEPENDS;PRIVATE_INCLUDE")
  if(arg_UNPARSED_ARGUMENTS OR NOT arg_EXPORT_NAME OR NOT arg_SOURCES)
    message(FATAL_ERROR "baton_library(${name}): needs EXPORT_NAME and SOURCES; unexpected: "
      "${arg_UNPARSED_ARGUMENTS}")
  endif()
  set(target baton_${name})
  # Without STATIC, BUILD_SHARED_LIBS decides, as for add_library.
  set(kind "")
  if(arg_STATIC)
    set(kind STATIC)
  endif()
  add_library(${target} ${kind} ${arg_SOURCES})
  add_library(baton::${arg_EXPORT_NAME} ALIAS ${target})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${arg_EXPORT_NAME}
    POSITION_INDEPENDENT_CODE ON)
  if(arg_PUBLIC_INCLUDE)
    target_include_directories(${target} PUBLIC $<BUILD_INTERFACE:${arg_PUBLIC_INCLUDE}>
      $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  endif()
  if(arg_PRIVATE_INCLUDE)
    target_include_directories(${target} PRIVATE ${arg_PRIVATE_INCLUDE})
  endif()
  target_link_libraries(${target} PUBLIC ${arg_DEPENDS})
  baton_target_defaults(${target})
  install(TARGETS ${target} EXPORT batonTargets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
  if(arg_PUBLIC_INCLUDE AND NOT arg_NO_INSTALL_HEADERS)
    install(DIRECTORY ${arg_PUBLIC_INCLUDE}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
  endif()
endfunction()
