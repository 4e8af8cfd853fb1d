# Run by cpack (CPACK_PROJECT_CONFIG_FILE, cmake/VigilPackage.cmake) while it packages: the .deb
# depends on the Debian development package of every library vigil.pc requires, as the static
# libraries cannot be linked without them. Each is the package that owns the library's .pc file.
if(NOT CPACK_GENERATOR STREQUAL "DEB")
  return()
endif()
find_program(_vigil_pkg_config pkg-config REQUIRED)
find_program(_vigil_dpkg_query dpkg-query REQUIRED)
separate_arguments(_vigil_modules UNIX_COMMAND "${CPACK_VIGIL_PC_REQUIRES}")
set(_vigil_depends "")
foreach(module IN LISTS _vigil_modules)
  execute_process(COMMAND ${_vigil_pkg_config} --path ${module}
                  OUTPUT_VARIABLE pc_file OUTPUT_STRIP_TRAILING_WHITESPACE COMMAND_ERROR_IS_FATAL ANY)
  file(REAL_PATH "${pc_file}" pc_file)
  execute_process(COMMAND ${_vigil_dpkg_query} --search ${pc_file}
                  OUTPUT_VARIABLE owner OUTPUT_STRIP_TRAILING_WHITESPACE COMMAND_ERROR_IS_FATAL ANY)
  string(REGEX REPLACE "[:,].*" "" owner "${owner}")  # "libyaml-dev:amd64: /usr/lib/…"
  list(APPEND _vigil_depends ${owner})
endforeach()
list(REMOVE_DUPLICATES _vigil_depends)
list(JOIN _vigil_depends ", " CPACK_DEBIAN_PACKAGE_DEPENDS)
