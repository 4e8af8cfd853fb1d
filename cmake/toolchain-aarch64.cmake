# Cross-compiles Vigil for aarch64 Linux with Debian's cross toolchain (crossbuild-essential-arm64)
# against the multiarch :arm64 development packages (scripts/setup --arm64 installs both).
# Used by the `arm64` preset (make arm64).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)

# Multiarch, not a sysroot: the target's headers sit in /usr/include (and
# /usr/include/aarch64-linux-gnu) and its libraries in /usr/lib/aarch64-linux-gnu, both already on
# the cross compiler's search paths. CMake's find_* calls search lib/aarch64-linux-gnu because
# the compiler reports that library architecture, so no CMAKE_FIND_ROOT_PATH is set; the host's
# x86_64 libraries live in lib/x86_64-linux-gnu and are never seen.

# pkg-config: Debian ships no aarch64-linux-gnu-pkg-config wrapper without pkgconf:arm64, so
# point the host pkg-config at the target's .pc files (plus the architecture-independent ones).
set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")

# ctest (and add_test commands naming a target) run the test programs through qemu-user, which
# loads the programs' interpreter /lib/ld-linux-aarch64.so.1 from the host: that is multiarch
# libc6:arm64, the same glibc build as the :arm64 libraries link against. No -L
# /usr/aarch64-linux-gnu: that prefix makes qemu take libc6-arm64-cross's loader while the loader
# still finds libc6:arm64's libc.so.6 through the host's ld.so.cache; the two are different
# Debian builds of glibc 2.36, and a fork() in a program loaded that way never returns in the
# child (the death tests, system() and popen() hung until their timeout).
find_program(VIGIL_QEMU_AARCH64 qemu-aarch64 REQUIRED)
if(NOT EXISTS /lib/ld-linux-aarch64.so.1)
  message(FATAL_ERROR "/lib/ld-linux-aarch64.so.1 is missing: install libc6:arm64 "
                      "(scripts/setup --arm64 does)")
endif()
set(CMAKE_CROSSCOMPILING_EMULATOR "${VIGIL_QEMU_AARCH64}")
