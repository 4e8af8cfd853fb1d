# Third-party dependencies, all from Debian 12 packages (scripts/setup installs them).
# The device modules' dependencies come first; a VIGIL_DEVICE_ONLY build (the arm64 cross build)
# stops there, so the target needs no libraries that only the host tooling uses.
# What a module links is found with vigil_find_package or vigil_pkg_check_modules
# (cmake/VigilInstall.cmake), so the installed package can find it again.
find_package(PkgConfig REQUIRED)
vigil_find_package(OpenSSL 3.0 PKG_CONFIG openssl)
vigil_find_package(Threads LIBS -pthread)
find_package(nlohmann_json 3 REQUIRED)  # header-only, private to the modules' sources
vigil_find_package(SQLite3 PKG_CONFIG sqlite3)
vigil_pkg_check_modules(ARGON2 libargon2)
vigil_pkg_check_modules(LIBYAML yaml-0.1)  # core/yaml_to_json.cc
vigil_pkg_check_modules(OATH liboath)
vigil_pkg_check_modules(HTTPLIB cpp-httplib)
if(VIGIL_DEVICE_ONLY)
  return()
endif()

find_package(fmt REQUIRED)
vigil_pkg_check_modules(EXPAT expat)  # report/evidence.cc: ctest JUnit XML
vigil_find_package(simdjson PKG_CONFIG simdjson)  # core's json_fields.h: SBOM and feed readers
find_package(yaml-cpp REQUIRED)  # bench only: the parse-only floor of the OSV import figure
vigil_find_package(ZLIB PKG_CONFIG zlib)  # .gz advisory feeds
find_package(CLI11 REQUIRED)
# storage's PostgreSQL engine (the fleet server's database) on libpq's C API: its pipeline mode
# sends a transaction's writes with its COMMIT; the device links no PostgreSQL client. Its
# pkg-config file's --static flags name static libraries Debian does not ship (-lpgcommon, -lpgport), so vigil.pc
# links it as plain -lpq, the shared library.
pkg_check_modules(PQ REQUIRED IMPORTED_TARGET libpq)
_vigil_record_dependency(PkgConfig::PQ
  "find_package(PkgConfig QUIET)\npkg_check_modules(PQ QUIET IMPORTED_TARGET libpq)" "" "-lpq")
