# Helpers that keep every module's CMakeLists.txt short and uniform.

# vigil_module(NAME SOURCES ... DEPS ... PRIVATE_DEPS ... [UNINSTALLED_HEADERS ...]): library
# vigil_<NAME>, alias vigil::<NAME>. Public headers come from include/ (a user sees
# include/vigil/<module>/ of the modules it declares); private headers from src/<NAME> only, so
# one module cannot include another's internals. DEPS are what the public headers need (passed on
# to users), PRIVATE_DEPS what only the sources need. scripts/check_walls (ctest `walls`) checks
# every include against these declarations. `cmake --install` installs the library and its public
# headers but the UNINSTALLED_HEADERS (cmake/VigilInstall.cmake).
function(vigil_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS;UNINSTALLED_HEADERS" ${ARGN})
  add_library(vigil_${name} STATIC ${ARG_SOURCES})
  add_library(vigil::${name} ALIAS vigil_${name})
  target_include_directories(vigil_${name}
    PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
    PRIVATE ${PROJECT_SOURCE_DIR}/src/${name})
  vigil_link_module(${name} DEPS ${ARG_DEPS} PRIVATE_DEPS ${ARG_PRIVATE_DEPS}
                    UNINSTALLED_HEADERS ${ARG_UNINSTALLED_HEADERS})
  set_target_properties(vigil_${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  vigil_declare_walls(${name} DEPS ${ARG_DEPS} PRIVATE_DEPS ${ARG_PRIVATE_DEPS})
endfunction()

# vigil_declare_walls(NAME DEPS ... PRIVATE_DEPS ...): records what module or program NAME
# (a folder of src/) declares, for the include-wall check. Written to
# <build>/walls/<NAME>.deps at generate time.
function(vigil_declare_walls name)
  cmake_parse_arguments(ARG "" "" "DEPS;PRIVATE_DEPS" ${ARGN})
  string(REPLACE ";" " " _pub "${ARG_DEPS}")
  string(REPLACE ";" " " _priv "${ARG_PRIVATE_DEPS}")
  file(WRITE ${PROJECT_BINARY_DIR}/walls/${name}.deps "public ${_pub}\nprivate ${_priv}\n")
endfunction()

# The module whose internals a test, fuzz or bench folder may reach: its own folder name, except
# for the folders that test one module under another name.
function(vigil_module_of_folder out folder)
  get_filename_component(_dir ${folder} NAME)
  if(_dir STREQUAL "pq")
    set(_dir crypto)
  elseif(_dir STREQUAL "audit_export")
    set(_dir audit)
  endif()
  set(${out} ${_dir} PARENT_SCOPE)
endfunction()

# Every test's timeout is multiplied by this: the arm64 preset runs the tests under qemu-user,
# which emulates aarch64 several times slower than the host runs x86-64 code.
set(VIGIL_TEST_TIMEOUT_FACTOR 1 CACHE STRING "Multiplier for every vigil_test timeout")

# vigil_test(NAME SOURCES ... DEPS ... LABEL module [TIMEOUT s]): a GoogleTest executable
# registered with ctest under the module's label (a list such as "update;e2e" adds more). Tests find shared data through
# the VIGIL_DATA_DIR environment variable (set here) and the compile definition of the same name.
function(vigil_test name)
  if(NOT VIGIL_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;DEPS;LABEL" ${ARGN})
  if(NOT ARG_LABEL)
    message(FATAL_ERROR "vigil_test(${name}) needs a LABEL naming its module")
  endif()
  add_executable(${name} ${ARG_SOURCES})
  # A module's unit tests (src/<module>/) and its e2e folder (tests/<module>/) see its internals.
  vigil_module_of_folder(_module ${CMAKE_CURRENT_SOURCE_DIR})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/src/${_module}
                             ${PROJECT_SOURCE_DIR}/tests)
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main GTest::gmock vigil_flags)
  # Test code itself is compiled without optimisation in the debug (sanitizer) build: -O1 with
  # ASan doubled the compile time of the large test files (matcher_test.cc: 28 s → 13 s) and
  # test objects were a third of a clean `make test` build. The code under test keeps -O1.
  if(CMAKE_BUILD_TYPE STREQUAL "Debug")
    target_compile_options(${name} PRIVATE -O0)
  endif()
  target_compile_definitions(${name} PRIVATE VIGIL_DATA_DIR="${VIGIL_DATA_DIR}"
    VIGIL_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  add_test(NAME ${name} COMMAND ${name})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 600)
  endif()
  math(EXPR ARG_TIMEOUT "${ARG_TIMEOUT} * ${VIGIL_TEST_TIMEOUT_FACTOR}")
  set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABEL}" TIMEOUT ${ARG_TIMEOUT}
    ENVIRONMENT "VIGIL_DATA_DIR=${VIGIL_DATA_DIR}")
endfunction()

# vigil_fuzz(NAME SOURCES ... DEPS ...): a libFuzzer target when VIGIL_FUZZ is on (`make fuzz`,
# clang). In any other build with tests, the same harness is compiled into one program,
# vigil_fuzz_replay (fuzz/replay_main.cc), its entry point renamed to vigil_replay_<NAME>; the ctest
# fuzz_seeds_<NAME> (labels: the module, `fuzz`) runs it on the empty input, on its seeds
# (fuzz/<folder>/seeds/<NAME>/) and on fixed mutations of them, under the sanitizers of the test
# build. So a harness that no longer compiles, or a seed that crashes, fails `make test` and CI, not
# only `make fuzz`.
function(vigil_fuzz name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  vigil_module_of_folder(_module ${CMAKE_CURRENT_SOURCE_DIR})
  if(VIGIL_FUZZ)
    add_executable(${name} ${ARG_SOURCES})
    target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/src/${_module})
    target_link_libraries(${name} PRIVATE ${ARG_DEPS} vigil_flags)
    target_link_options(${name} PRIVATE -fsanitize=fuzzer)
    set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/fuzz)
    return()
  endif()
  if(NOT VIGIL_BUILD_TESTS)
    return()
  endif()
  add_library(${name}_harness OBJECT ${ARG_SOURCES})
  target_include_directories(${name}_harness PRIVATE ${PROJECT_SOURCE_DIR}/src/${_module})
  target_link_libraries(${name}_harness PUBLIC ${ARG_DEPS} vigil_flags)
  target_compile_definitions(${name}_harness PRIVATE LLVMFuzzerTestOneInput=vigil_replay_${name})
  # Like test code, harnesses are compiled without optimisation in the debug build.
  if(CMAKE_BUILD_TYPE STREQUAL "Debug")
    target_compile_options(${name}_harness PRIVATE -O0)
  endif()
  set_property(GLOBAL APPEND PROPERTY VIGIL_FUZZ_HARNESSES ${name})
  get_filename_component(_folder ${CMAKE_CURRENT_SOURCE_DIR} NAME)
  set(_seeds ${CMAKE_CURRENT_SOURCE_DIR}/seeds/${name})
  if(EXISTS ${_seeds})
    add_test(NAME fuzz_seeds_${name} COMMAND vigil_fuzz_replay ${name} ${_seeds})
  else()
    add_test(NAME fuzz_seeds_${name} COMMAND vigil_fuzz_replay ${name})
  endif()
  set(_labels ${_module} fuzz)
  if(NOT _folder STREQUAL _module)
    list(INSERT _labels 1 ${_folder})
  endif()
  math(EXPR _timeout "300 * ${VIGIL_TEST_TIMEOUT_FACTOR}")
  set_tests_properties(fuzz_seeds_${name} PROPERTIES LABELS "${_labels}" TIMEOUT ${_timeout})
endfunction()

# vigil_bench(NAME SOURCES ... DEPS ...): a benchmark executable run by `make bench`.
function(vigil_bench name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  vigil_module_of_folder(_module ${CMAKE_CURRENT_SOURCE_DIR})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/src/${_module}
                             ${PROJECT_SOURCE_DIR}/bench)
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} vigil_bench_support vigil_flags)
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/bench)
endfunction()
