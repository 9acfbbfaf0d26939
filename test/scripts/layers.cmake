# Who may include whom (scripts/check-layers.sh, docs/architecture.md "Layers").
add_test(NAME layering_check COMMAND bash ${PROJECT_SOURCE_DIR}/scripts/check-layers.sh)
set_tests_properties(layering_check PROPERTIES LABELS unit TIMEOUT 60)
