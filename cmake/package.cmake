# ---- Debian packages: `cpack -G DEB` (scripts/package.sh, docs/packaging.md) --
# Four packages, as Debian splits a library: pathway (the command, its man
# pages, shell completion and documentation), libpathway0 and
# libpathway-runtime0 (one shared library each: Debian names a library's
# package after its SONAME, so that two major versions can be installed side
# by side) and libpathway-dev (headers, static archives, the unversioned .so
# links, pkg-config and CMake files). lintian checks them in ctest
# (tests/package/deb.sh). The SQLite extension is not packaged (component
# sqlite): Debian has no place for SQLite loadable extensions.
set(PATHWAY_PACKAGE_MAINTAINER "Pathway developers <maintainers@pathway.example>"
  CACHE STRING "The Maintainer field of the Debian packages")
set(PATHWAY_PACKAGE_HOMEPAGE "" CACHE STRING "The Homepage field of the Debian packages")

set(PW_SOMAJOR ${PROJECT_VERSION_MAJOR})
set(PW_DEB_CLI pathway)
set(PW_DEB_LIB libpathway${PW_SOMAJOR})
set(PW_DEB_RUNTIME libpathway-runtime${PW_SOMAJOR})
set(PW_DEB_DEV libpathway-dev)

# Every package carries its copyright file and changelog (Debian policy 12.5
# and 12.7), the changelog compressed as policy asks (gzip -9n: no name or
# time stamp, so two builds give the same bytes).
set(PW_DEB_DOCS ${PROJECT_BINARY_DIR}/packaging)
add_custom_command(OUTPUT ${PW_DEB_DOCS}/changelog.gz
  COMMAND ${CMAKE_COMMAND} -E make_directory ${PW_DEB_DOCS}
  COMMAND sh -c "gzip -9n -c \"$0\" >\"$1\"" ${PROJECT_SOURCE_DIR}/packaging/changelog
    ${PW_DEB_DOCS}/changelog.gz
  DEPENDS ${PROJECT_SOURCE_DIR}/packaging/changelog VERBATIM)
add_custom_target(pathway_package_docs ALL DEPENDS ${PW_DEB_DOCS}/changelog.gz)
foreach(pair "cli|${PW_DEB_CLI}" "lib|${PW_DEB_LIB}" "runtime|${PW_DEB_RUNTIME}" "dev|${PW_DEB_DEV}")
  string(REPLACE "|" ";" pair "${pair}")
  list(GET pair 0 component)
  list(GET pair 1 package)
  install(FILES ${PROJECT_SOURCE_DIR}/packaging/copyright ${PW_DEB_DOCS}/changelog.gz
    DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${package} COMPONENT ${component})
endforeach()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME pathway)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${PATHWAY_PACKAGE_MAINTAINER}")
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL cli lib runtime dev)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
if(PATHWAY_PACKAGE_HOMEPAGE)
  set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${PATHWAY_PACKAGE_HOMEPAGE}")
endif()
# Depends from what the binaries link (dpkg-shlibdeps); a shlibs file and
# the ldconfig trigger for the two libraries, so that what links them
# depends on this version or later.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")

# The ldconfig trigger (policy 8.1.1) for the two library packages, and our
# own postinst and postrm in place of CPack's: they run ldconfig too, as
# CPack's would, but not when dpkg installs into another root (the test
# does, and the host's cache is not that root's). lintian's tag for the
# call is overridden, with this reason, in packaging/library.lintian-overrides.in.
foreach(pair "LIB|${PW_DEB_LIB}" "RUNTIME|${PW_DEB_RUNTIME}")
  string(REPLACE "|" ";" pair "${pair}")
  list(GET pair 0 comp)
  list(GET pair 1 package)
  set(CPACK_DEBIAN_${comp}_PACKAGE_CONTROL_EXTRA ${PROJECT_SOURCE_DIR}/packaging/triggers
    ${PROJECT_SOURCE_DIR}/packaging/postinst ${PROJECT_SOURCE_DIR}/packaging/postrm)
  string(TOLOWER ${comp} component)
  configure_file(${PROJECT_SOURCE_DIR}/packaging/library.lintian-overrides.in
    ${PW_DEB_DOCS}/${package} @ONLY)
  install(FILES ${PW_DEB_DOCS}/${package}
    DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides COMPONENT ${component})
endforeach()

set(CPACK_DEBIAN_CLI_PACKAGE_NAME ${PW_DEB_CLI})
set(CPACK_DEBIAN_CLI_PACKAGE_SECTION utils)
set(CPACK_COMPONENT_CLI_DESCRIPTION "rules engine for coaching qualification pathways
Pathway compiles the rules a sports governing body publishes for its
coaching courses (who may enrol in which course) from a small declarative
language to bytecode, and decides coaches' records against them, saying
why. This package holds the pathway command: check, lint, fmt and test for
rule files, eval, explain, when and plan for decisions, and diff and report
for the impact of a rule change.")

set(CPACK_DEBIAN_LIB_PACKAGE_NAME ${PW_DEB_LIB})
set(CPACK_DEBIAN_LIB_PACKAGE_SECTION libs)
set(CPACK_COMPONENT_LIB_DESCRIPTION "rules engine for coaching qualification pathways - library
Pathway compiles eligibility rules to bytecode and evaluates records
against them in a small virtual machine. This package holds the shared
library with the compiler and the runtime (libpathway).")

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME ${PW_DEB_RUNTIME})
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION libs)
set(CPACK_COMPONENT_RUNTIME_DESCRIPTION "rules engine for coaching qualification pathways - runtime library
Pathway compiles eligibility rules to bytecode and evaluates records
against them in a small virtual machine. This package holds the runtime
alone (libpathway_runtime): it loads, verifies and evaluates compiled rules
and cannot compile them.")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME ${PW_DEB_DEV})
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS
  "${PW_DEB_LIB} (= ${PROJECT_VERSION}), ${PW_DEB_RUNTIME} (= ${PROJECT_VERSION}), libcjson-dev, libyajl-dev")
set(CPACK_COMPONENT_DEV_DESCRIPTION "rules engine for coaching qualification pathways - development files
Pathway compiles eligibility rules to bytecode and evaluates records
against them in a small virtual machine. This package holds what building
a program against libpathway or libpathway_runtime needs: the header
pathway.h, the static libraries, pkg-config files (pathway,
pathway-runtime) and the CMake package (find_package(pathway)).")

include(CPack)
