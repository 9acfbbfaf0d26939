# A configure run that cannot find the ZooKeeper C client fails naming the Debian package
# (libzookeeper-st-dev). The library search is re-rooted at a missing directory, which hides
# libzookeeper_st and nothing found in package or include mode.
add_test(NAME configure_names_missing_package
  COMMAND ${CMAKE_COMMAND} --fresh -S ${PROJECT_SOURCE_DIR}
    -B ${CMAKE_BINARY_DIR}/configure-missing-zookeeper -DBATON_BUILD_TESTS=OFF
    -DCMAKE_CXX_COMPILER=${CMAKE_CXX_COMPILER} -DCMAKE_FIND_ROOT_PATH=/nonexistent
    -DCMAKE_FIND_ROOT_PATH_MODE_LIBRARY=ONLY)
set_tests_properties(configure_names_missing_package PROPERTIES LABELS unit TIMEOUT 300
  PASS_REGULAR_EXPRESSION "install the Debian package libzookeeper-st-dev")
