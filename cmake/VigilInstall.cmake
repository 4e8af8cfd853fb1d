# Installing libvigil (`cmake --install`, `make package`): each module's static library as the
# imported target vigil::<module> of a CMake package (find_package(Vigil COMPONENTS ...)), its
# public headers, and vigil.pc. This file links and installs each module and records what the
# installed package must find again; cmake/VigilPackage.cmake writes the package files once
# every module is known. Test-only libraries (vigil::storage_testing, the *_testing helpers) are
# not installed.
include(GNUInstallDirs)

# Header-only libraries that modules use inside their sources only: they leave nothing in a
# static library, so the installed package neither links nor looks for them.
set(VIGIL_HEADER_ONLY_DEPS nlohmann_json::nlohmann_json)

# _vigil_record_dependency(TARGET FIND_CODE PKG_CONFIG LIBS): how the installed package finds
# the third-party imported TARGET again (FIND_CODE, run by VigilConfig.cmake) and what vigil.pc
# says for it (a pkg-config module, or plain link flags for a library without one).
function(_vigil_record_dependency target find_code pkg_config libs)
  string(MAKE_C_IDENTIFIER "${target}" id)
  set_property(GLOBAL PROPERTY VIGIL_DEP_FIND_${id} "${find_code}")
  set_property(GLOBAL PROPERTY VIGIL_DEP_PC_${id} "${pkg_config}")
  set_property(GLOBAL PROPERTY VIGIL_DEP_LIBS_${id} "${libs}")
endfunction()

# vigil_find_package(NAME [VERSION] PKG_CONFIG module | LIBS flags): find_package(NAME VERSION
# REQUIRED), remembering for each imported target it makes that VigilConfig.cmake finds it the
# same way and what vigil.pc requires for it.
macro(vigil_find_package name)
  cmake_parse_arguments(_vfp "" "PKG_CONFIG;LIBS" "" ${ARGN})
  get_directory_property(_vfp_before IMPORTED_TARGETS)
  find_package(${name} ${_vfp_UNPARSED_ARGUMENTS} REQUIRED)
  get_directory_property(_vfp_new IMPORTED_TARGETS)
  if(_vfp_before)
    list(REMOVE_ITEM _vfp_new ${_vfp_before})
  endif()
  string(JOIN " " _vfp_args ${name} ${_vfp_UNPARSED_ARGUMENTS} QUIET)
  foreach(_vfp_target IN LISTS _vfp_new)
    _vigil_record_dependency(${_vfp_target} "find_package(${_vfp_args})" "${_vfp_PKG_CONFIG}"
                             "${_vfp_LIBS}")
  endforeach()
endmacro()

# vigil_pkg_check_modules(PREFIX MODULE): the imported target PkgConfig::PREFIX of the required
# pkg-config MODULE, recorded like vigil_find_package's.
macro(vigil_pkg_check_modules prefix module)
  pkg_check_modules(${prefix} REQUIRED IMPORTED_TARGET ${module})
  _vigil_record_dependency(PkgConfig::${prefix}
    "find_package(PkgConfig QUIET)\npkg_check_modules(${prefix} QUIET IMPORTED_TARGET ${module})"
    "${module}" "")
endmacro()

# vigil_link_module(NAME DEPS ... PRIVATE_DEPS ...): links library vigil_<NAME> (DEPS public,
# PRIVATE_DEPS private), installs it with its public headers (but those named in
# UNINSTALLED_HEADERS, relative to include/vigil/<NAME>/) into the export set VigilTargets as
# vigil::<NAME>, and records the Vigil modules and third-party targets it links for
# cmake/VigilPackage.cmake.
function(vigil_link_module name)
  cmake_parse_arguments(ARG "" "" "DEPS;PRIVATE_DEPS;UNINSTALLED_HEADERS" ${ARGN})
  set(_private "")
  set(_uses "")
  set(_links "")
  foreach(d IN LISTS ARG_DEPS ARG_PRIVATE_DEPS)
    if(d IN_LIST ARG_PRIVATE_DEPS AND d IN_LIST VIGIL_HEADER_ONLY_DEPS)
      list(APPEND _private "$<BUILD_INTERFACE:${d}>")
      continue()
    endif()
    if(d IN_LIST ARG_PRIVATE_DEPS)
      list(APPEND _private ${d})
    endif()
    if(d MATCHES "^vigil::(.+)$")
      list(APPEND _uses ${CMAKE_MATCH_1})
    else()
      string(MAKE_C_IDENTIFIER "${d}" id)
      get_property(_known GLOBAL PROPERTY VIGIL_DEP_FIND_${id} SET)
      if(NOT _known)
        message(FATAL_ERROR "vigil::${name} links ${d}, which the installed package would not "
                "know how to find: find it with vigil_find_package or vigil_pkg_check_modules "
                "(cmake/VigilInstall.cmake), or list it in VIGIL_HEADER_ONLY_DEPS")
      endif()
      list(APPEND _links ${d})
    endif()
  endforeach()
  # vigil_flags (warnings, sanitizers) is how this tree builds, not something users link.
  target_link_libraries(vigil_${name} PUBLIC ${ARG_DEPS}
                        PRIVATE $<BUILD_INTERFACE:vigil_flags> ${_private})
  target_compile_features(vigil_${name} PUBLIC cxx_std_20)
  # Code built with sanitizers needs their runtimes in every program that links it.
  foreach(option IN LISTS VIGIL_SANITIZER_LINK_OPTIONS)
    string(REPLACE "," "$<COMMA>" option "${option}")
    target_link_options(vigil_${name} INTERFACE $<INSTALL_INTERFACE:${option}>)
  endforeach()

  file(GLOB_RECURSE _headers CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/include/vigil/${name}/*.h)
  foreach(h IN LISTS ARG_UNINSTALLED_HEADERS)
    list(REMOVE_ITEM _headers ${PROJECT_SOURCE_DIR}/include/vigil/${name}/${h})
  endforeach()
  target_sources(vigil_${name} PUBLIC
    FILE_SET HEADERS BASE_DIRS ${PROJECT_SOURCE_DIR}/include FILES ${_headers})
  set_target_properties(vigil_${name} PROPERTIES EXPORT_NAME ${name})
  install(TARGETS vigil_${name} EXPORT VigilTargets
          ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} FILE_SET HEADERS
          INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

  set_property(GLOBAL APPEND PROPERTY VIGIL_INSTALLED_MODULES ${name})
  set_property(GLOBAL PROPERTY VIGIL_MODULE_USES_${name} ${_uses})
  set_property(GLOBAL PROPERTY VIGIL_MODULE_LINKS_${name} ${_links})
endfunction()
