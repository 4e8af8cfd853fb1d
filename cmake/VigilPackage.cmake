# The installed package, written once every module is declared (cmake/VigilInstall.cmake
# recorded what each links): lib/cmake/Vigil/ (VigilConfig.cmake, its version file and the
# exported targets vigil::<module>), lib/pkgconfig/vigil.pc, and CPack's .deb (`make package`).
include(CMakePackageConfigHelpers)

set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "medical device cybersecurity: libvigil and the vigil command")
set(_vigil_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/Vigil)
get_property(VIGIL_INSTALLED_MODULES GLOBAL PROPERTY VIGIL_INSTALLED_MODULES)

# What each module uses and links (VigilConfig.cmake finds only what the modules asked for need),
# and the same for vigil.pc: one -l per module, users before what they use.
set(VIGIL_CONFIG_DECLARATIONS "")
set(_vigil_links "")
set(VIGIL_PC_LIBS "")
set(VIGIL_PC_CFLAGS "")
foreach(m IN LISTS VIGIL_INSTALLED_MODULES)
  get_property(_uses GLOBAL PROPERTY VIGIL_MODULE_USES_${m})
  get_property(_links GLOBAL PROPERTY VIGIL_MODULE_LINKS_${m})
  string(APPEND VIGIL_CONFIG_DECLARATIONS
         "set(_vigil_uses_${m} ${_uses})\nset(_vigil_links_${m} ${_links})\n")
  list(APPEND _vigil_links ${_links})
  string(PREPEND VIGIL_PC_LIBS " -lvigil_${m}")
  get_property(_defs TARGET vigil_${m} PROPERTY INTERFACE_COMPILE_DEFINITIONS)
  foreach(d IN LISTS _defs)
    string(APPEND VIGIL_PC_CFLAGS " -D${d}")
  endforeach()
endforeach()
list(REMOVE_DUPLICATES _vigil_links)
set(VIGIL_PC_REQUIRES "")
foreach(t IN LISTS _vigil_links)
  string(MAKE_C_IDENTIFIER "${t}" _id)
  get_property(_find GLOBAL PROPERTY VIGIL_DEP_FIND_${_id})
  get_property(_pc GLOBAL PROPERTY VIGIL_DEP_PC_${_id})
  get_property(_libs GLOBAL PROPERTY VIGIL_DEP_LIBS_${_id})
  string(APPEND VIGIL_CONFIG_DECLARATIONS "set(_vigil_find_${_id} [=[${_find}]=])\n")
  if(_pc AND NOT _pc IN_LIST VIGIL_PC_REQUIRES)
    list(APPEND VIGIL_PC_REQUIRES ${_pc})
  endif()
  foreach(l IN LISTS _libs)
    string(APPEND VIGIL_PC_LIBS " ${l}")
  endforeach()
endforeach()
foreach(l IN LISTS VIGIL_SANITIZER_LINK_OPTIONS)
  string(APPEND VIGIL_PC_LIBS " ${l}")
endforeach()

install(EXPORT VigilTargets NAMESPACE vigil:: DESTINATION ${_vigil_cmake_dir})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/VigilConfig.cmake.in
  ${PROJECT_BINARY_DIR}/VigilConfig.cmake INSTALL_DESTINATION ${_vigil_cmake_dir})
# Before 1.0 a minor version may change the API, so 0.1 accepts 0.1.x only.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/VigilConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/VigilConfig.cmake ${PROJECT_BINARY_DIR}/VigilConfigVersion.cmake
        DESTINATION ${_vigil_cmake_dir})

# vigil.pc finds the prefix from its own place, so an installed tree can be moved.
file(RELATIVE_PATH VIGIL_PC_PREFIX /p/${CMAKE_INSTALL_LIBDIR}/pkgconfig /p)
string(REGEX REPLACE "/$" "" VIGIL_PC_PREFIX "${VIGIL_PC_PREFIX}")
list(JOIN VIGIL_PC_REQUIRES " " VIGIL_PC_REQUIRES)
configure_file(${PROJECT_SOURCE_DIR}/cmake/vigil.pc.in ${PROJECT_BINARY_DIR}/vigil.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/vigil.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# The .deb: everything above plus the vigil command. Its Depends are the shared libraries the
# command needs (dpkg-shlibdeps) and the development packages of what the static libraries link
# (found at packaging time by cmake/VigilCPackProject.cmake from CPACK_VIGIL_PC_REQUIRES).
set(VIGIL_PACKAGE_MAINTAINER
    "Vigil maintainers <maintainers@users.noreply.r-seed-c4158b8d.example>"
    CACHE STRING "Maintainer of the .deb that `make package` builds")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME vigil)
set(CPACK_PACKAGE_VENDOR Vigil)
set(CPACK_PACKAGE_CONTACT "${VIGIL_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION "\
libvigil gives connected medical device software authentication with a second factor,
least-privilege authorization, classical and post-quantum cryptography, signed
rollback-proof updates, encryption at rest with crypto-erase and a tamper-evident audit
log. This package holds its static libraries and C++20 headers, a CMake package
(find_package(Vigil COMPONENTS ...)), vigil.pc, and the vigil command (SBOM,
vulnerability monitoring, VEX, audit log and update repository tooling).")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_STRIP_FILES ON)  # the command; CMake leaves static libraries unstripped
set(CPACK_VIGIL_PC_REQUIRES "${VIGIL_PC_REQUIRES}")
set(CPACK_PROJECT_CONFIG_FILE ${PROJECT_SOURCE_DIR}/cmake/VigilCPackProject.cmake)
set(CPACK_SOURCE_GENERATOR TGZ)
set(CPACK_SOURCE_IGNORE_FILES "/build/" "/\\\\.git(/|$)")
include(CPack)
