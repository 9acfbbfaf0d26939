# Checks that docker-compose.yml (the containerised test ensemble) is well-formed. Only where
# docker-compose exists; `config -q` parses and validates without a container engine.
find_program(BATON_DOCKER_COMPOSE NAMES docker-compose)
if(BATON_DOCKER_COMPOSE)
  add_test(NAME compose_config
    COMMAND ${BATON_DOCKER_COMPOSE} -f ${PROJECT_SOURCE_DIR}/docker-compose.yml config -q)
  set_tests_properties(compose_config PROPERTIES LABELS unit TIMEOUT 60)
endif()

# The compose ensemble and test/zk/ensemble.sh run the same tickTime, the one the integration
# tests configure as ha.zookeeper.tick-time (test/support/zk_test_env.hpp): a lease told a
# shorter tick than the servers' is unsafe (docs/reliability.md, docs/operations.md).
add_test(NAME compose_tick_time
  COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/compose_tick_time.sh ${PROJECT_SOURCE_DIR})
set_tests_properties(compose_tick_time PROPERTIES LABELS unit TIMEOUT 60)
