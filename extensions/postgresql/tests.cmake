# The PostgreSQL extension's tests (extensions/postgresql/tests/run.sh):
# build it with PGXS against libpathway.a, install it, start a server of its
# own and run pg_regress. Skips (77) without PostgreSQL's server and headers,
# fails instead when CI=true.
add_test(NAME postgresql.regress
  COMMAND bash ${PROJECT_SOURCE_DIR}/extensions/postgresql/tests/run.sh
          ${PROJECT_SOURCE_DIR} $<TARGET_FILE:pathway_cli> $<TARGET_FILE:pathway>)
set_tests_properties(postgresql.regress PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300
  RESOURCE_LOCK postgresql_extension_dirs)
