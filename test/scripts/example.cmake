# The replicated counter example (examples/replicated_counter): a unit test of its history
# check, and the end-to-end run with leader kills against the test ensemble (BATON_TEST_ZK).
if(TARGET baton_example_counter_common)
  add_executable(counter_history_test ${CMAKE_CURRENT_LIST_DIR}/../example/counter_history_test.cpp)
  target_link_libraries(counter_history_test PRIVATE baton_test_support baton_example_counter_common)
  baton_target_defaults(counter_history_test)
  add_test(NAME counter_history_test COMMAND counter_history_test)
  set_tests_properties(counter_history_test PROPERTIES LABELS unit TIMEOUT 60)
endif()
if(TARGET baton_example_counter_client)
  # run_local.sh finds the programs under --build; it SIGKILLs only its own servers, by pid.
  add_test(NAME example_replicated_counter
    COMMAND bash ${PROJECT_SOURCE_DIR}/examples/replicated_counter/run_local.sh
      --build ${CMAKE_BINARY_DIR} --writes 300 --kills 3)
  set_tests_properties(example_replicated_counter PROPERTIES LABELS integration TIMEOUT 600
    RESOURCE_LOCK zk_ensemble)
endif()
