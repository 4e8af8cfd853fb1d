# Third-party dependencies, all from Debian 12 packages (scripts/setup installs them).
# The device modules' dependencies come first; a VIGIL_DEVICE_ONLY build (the arm64 cross build)
# stops there, so the target needs no libraries that only the host tooling uses.
find_package(PkgConfig REQUIRED)
find_package(OpenSSL 3.0 REQUIRED)
find_package(Threads REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(SQLite3 REQUIRED)
pkg_check_modules(ARGON2 REQUIRED IMPORTED_TARGET libargon2)
pkg_check_modules(LIBYAML REQUIRED IMPORTED_TARGET yaml-0.1)  # core/yaml_to_json.cc
pkg_check_modules(OATH REQUIRED IMPORTED_TARGET liboath)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
if(VIGIL_DEVICE_ONLY)
  return()
endif()

find_package(fmt REQUIRED)
find_package(simdjson REQUIRED)  # core's json_fields.h: the readers of SBOMs and advisory feeds
find_package(yaml-cpp REQUIRED)  # bench only: the parse-only floor of the OSV import figure
find_package(ZLIB REQUIRED)  # .gz advisory feeds
find_package(CLI11 REQUIRED)
pkg_check_modules(PQXX IMPORTED_TARGET libpqxx)
