# Tests of the `baton` command-line tool: bash scripts in test/cli/ run the built program (the
# target baton_cli, installed as `baton`). They need bash, python3 and coreutils' timeout.
if(TARGET baton_cli)
  foreach(name cli_demo cli_usage_errors cli_elect_json cli_elect_signal cli_standalone cli_store)
    add_test(NAME ${name}
      COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/../cli/${name}.sh $<TARGET_FILE:baton_cli>)
    set_tests_properties(${name} PROPERTIES LABELS unit TIMEOUT 300)
  endforeach()
endif()
