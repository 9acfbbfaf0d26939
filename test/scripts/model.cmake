# Model check of the ZooKeeper lease (model/lease.pml, docs/model.md): spin, exhaustive search.
# Needs gcc and spin (the script installs Debian's spin when it is missing).
add_test(NAME model_check COMMAND ${CMAKE_SOURCE_DIR}/scripts/model-check.sh)
set_tests_properties(model_check PROPERTIES LABELS model TIMEOUT 900)
