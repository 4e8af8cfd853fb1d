# Compiler flags shared by every Vigil target, attached through the vigil_flags interface target.
add_library(vigil_flags INTERFACE)
target_compile_options(vigil_flags INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough -Wformat=2
  $<$<CXX_COMPILER_ID:GNU>:-Wno-maybe-uninitialized>
  # GCC 12 at -O2 reports "potential null pointer dereference" inside libstdc++ code inlined
  # into ours (std::string moves in CLI11's StringTools.hpp, istreambuf_iterator): hundreds of
  # lines from system headers that SYSTEM include paths cannot silence, as the warning is raised
  # after inlining. The optimised builds drop it for GCC; the test build (-O1, -Werror) and the
  # clang build keep it, so a real null dereference in our code still fails them.
  $<$<AND:$<CXX_COMPILER_ID:GNU>,$<NOT:$<CONFIG:Debug>>>:-Wno-null-dereference>)
if(VIGIL_WERROR)
  target_compile_options(vigil_flags INTERFACE -Werror)
endif()
# What every program linking sanitized code needs: the sanitizers' runtimes. The installed
# libraries pass it on too (cmake/VigilInstall.cmake), as a sanitized libvigil links no other way.
set(VIGIL_SANITIZER_LINK_OPTIONS "")
if(VIGIL_SANITIZE OR VIGIL_FUZZ)
  set(VIGIL_SANITIZER_LINK_OPTIONS -fsanitize=address,undefined)
  target_link_options(vigil_flags INTERFACE ${VIGIL_SANITIZER_LINK_OPTIONS})
endif()
if(VIGIL_SANITIZE)
  target_compile_options(vigil_flags INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  # The sanitized programs are linked as fixed-address (non-PIE) executables: as PIE, `vigil`
  # carries 2.4 million relative relocations (sanitizer metadata), and applying them at every
  # start cost about 50 ms and 16,000 page faults, paid by each of the thousands of CLI runs in
  # the end-to-end tests. Only the test build does this; release programs stay PIE.
  target_link_options(vigil_flags INTERFACE
    $<$<STREQUAL:$<TARGET_PROPERTY:TYPE>,EXECUTABLE>:-no-pie>)
endif()
if(VIGIL_FUZZ)
  target_compile_options(vigil_flags INTERFACE -fsanitize=fuzzer-no-link,address,undefined)
endif()
