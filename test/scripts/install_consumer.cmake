# find_package(baton) from an install tree: install, build a tiny consumer, run it.
if(NOT BATON_SANITIZE)
  add_test(NAME install_consumer
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/consumer/run.sh ${CMAKE_BINARY_DIR} ${CMAKE_SOURCE_DIR})
  set_tests_properties(install_consumer PROPERTIES LABELS unit TIMEOUT 600)
endif()
