# Checks that docker-compose.yml (the containerised test ensemble) is well-formed. Only where
# docker-compose exists; `config -q` parses and validates without a container engine.
find_program(BATON_DOCKER_COMPOSE NAMES docker-compose)
if(BATON_DOCKER_COMPOSE)
  add_test(NAME compose_config
    COMMAND ${BATON_DOCKER_COMPOSE} -f ${PROJECT_SOURCE_DIR}/docker-compose.yml config -q)
  set_tests_properties(compose_config PROPERTIES LABELS unit TIMEOUT 60)
endif()
