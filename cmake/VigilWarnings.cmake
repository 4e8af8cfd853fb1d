# Compiler flags shared by every Vigil target, attached through the vigil_flags interface target.
add_library(vigil_flags INTERFACE)
target_compile_options(vigil_flags INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough -Wformat=2
  $<$<CXX_COMPILER_ID:GNU>:-Wno-maybe-uninitialized>)
if(VIGIL_WERROR)
  target_compile_options(vigil_flags INTERFACE -Werror)
endif()
if(VIGIL_SANITIZE)
  target_compile_options(vigil_flags INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_link_options(vigil_flags INTERFACE -fsanitize=address,undefined)
endif()
if(VIGIL_FUZZ)
  target_compile_options(vigil_flags INTERFACE -fsanitize=fuzzer-no-link,address,undefined)
  target_link_options(vigil_flags INTERFACE -fsanitize=address,undefined)
endif()
