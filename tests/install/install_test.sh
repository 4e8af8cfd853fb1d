#!/usr/bin/env bash
# libvigil installed and used from outside the tree: `cmake --install` of the build tree into a
# scratch prefix, what it holds (and does not), then consumer/ (a device program: SHA-256, a vault
# record, its audit log checked) built and run twice, through find_package(Vigil) and through
# `pkg-config --static vigil`. A sanitized build's libraries carry their -fsanitize link flags in
# the installed package itself, so nothing here adds any.
# Usage: install_test.sh BUILD_DIR SOURCE_DIR CXX LIBDIR VERSION "MODULE;..." HAS_COMMAND(0|1)
set -u
build=$1 src=$2 cxx=$3 libdir=$4 version=$5 modules=${6//;/ } has_command=$7
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../testing/check_lib.sh"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
prefix=$work/prefix
consumer=$src/tests/install/consumer
abc=ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  # SHA-256("abc"), FIPS 180-2

present() {  # present WHAT PATH: PATH exists in the prefix
  if [[ -e $prefix/$2 ]]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $1: no $2"; fi
}
expect_run() {  # expect_run NAME PROGRAM: it runs in an empty folder and reports what main.cc does
  mkdir "$1.run"
  check "$1 runs" 0 "$2" "$1.run"
  expect_stdout "sha256(abc) = $abc"
  expect_stdout "vault record: infusion rate 7 ml/h (version 1)"
  expect_stdout "entries, verified"
}

check "cmake --install" 0 cmake --install "$build" --prefix "$prefix"
for m in $modules; do
  present "module $m" "$libdir/libvigil_$m.a"
  present "headers of $m" "include/vigil/$m"
done
for f in VigilConfig.cmake VigilConfigVersion.cmake VigilTargets.cmake; do
  present "CMake package" "$libdir/cmake/Vigil/$f"
done
present "pkg-config file" "$libdir/pkgconfig/vigil.pc"
if [[ $has_command == 1 ]]; then
  present "the vigil command" bin/vigil
  check "installed vigil runs" 0 "$prefix/bin/vigil" version
  expect_stdout "$version"
  # The report's frameworks are installed, and the installed command finds them from its own
  # place (share/vigil/frameworks beside bin/), not from the source or build tree (issue 16).
  for f in "$src"/report/frameworks/*.yaml; do
    present "framework ${f##*/}" "share/vigil/frameworks/${f##*/}"
  done
  pump=$src/examples/infusion-pump
  echo '<testsuites/>' >junit.xml
  report=("$prefix/bin/vigil" report premarket "$pump/threat-model.yaml" --sbom "$pump/sbom.cdx.json"
          --evidence junit.xml)
  check "installed vigil report" 0 "${report[@]}" --out pkg
  expect_stdout "fda-premarket-appendix-1: .* covered, .* open"
  expect_stdout "imdrf-n60: "
  mv "$prefix/share/vigil/frameworks" moved-frameworks
  check "installed vigil report without its frameworks" 2 "${report[@]}" --out pkg2
  expect_err "no frameworks in $prefix/share/vigil/frameworks .*--framework"
  mv moved-frameworks "$prefix/share/vigil/frameworks"
fi
# Public headers only, each as in include/; no test library, test header or private source.
(cd "$prefix" && find include -type f) | while read -r h; do
  [[ -f $src/$h ]] || echo "$h"
done >stray.txt
equal "installed files under include/ that are not public headers" "$(cat stray.txt)" ""
equal "test-only files installed" "$(cd "$prefix" && find . -name '*testing*' -o -name 'power_loss_vfs.h' -o -name '*.cc')" ""

# CMake: find_package(Vigil 0.1 REQUIRED COMPONENTS audit crypto vault).
check "consumer configures" 0 cmake -S "$consumer" -B cmake-build -G Ninja \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_CXX_COMPILER="$cxx"
expect_stdout "Vigil $version from $prefix/$libdir/cmake/Vigil"
check "consumer builds" 0 cmake --build cmake-build
expect_run cmake cmake-build/vigil_consumer
check "unknown component" 1 cmake -S "$consumer" -B cmake-unknown -G Ninja \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_CXX_COMPILER="$cxx" "-DVIGIL_COMPONENTS=crypto;risc"
expect_output "Vigil has no module 'risc'"
check "missing dependency" 1 cmake -S "$consumer" -B cmake-nosqlite -G Ninja \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_DISABLE_FIND_PACKAGE_SQLite3=ON
expect_output "vigil::vault links libraries that were not found: SQLite::SQLite3"
check "missing dependency, no components named" 1 cmake -S "$consumer" -B cmake-all -G Ninja \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_DISABLE_FIND_PACKAGE_SQLite3=ON \
  -DVIGIL_COMPONENTS=
expect_output "vigil::storage links libraries that were not found: SQLite::SQLite3"
if [[ " $modules " != *" sbom "* ]]; then  # a device-only build
  check "component not built" 1 cmake -S "$consumer" -B cmake-sbom -G Ninja \
    -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_CXX_COMPILER="$cxx" "-DVIGIL_COMPONENTS=crypto;sbom"
  expect_output "module 'sbom' was not built in this installation"
fi

# pkg-config.
export PKG_CONFIG_PATH=$prefix/$libdir/pkgconfig
check "pkg-config --modversion" 0 pkg-config --modversion vigil
equal "vigil.pc version" "$(cat out.txt)" "$version"
check "pkg-config --cflags --libs --static" 0 pkg-config --cflags --libs --static vigil
read -r -a flags <out.txt
check "consumer builds with pkg-config" 0 "$cxx" -std=c++20 "$consumer/main.cc" -o pc_consumer "${flags[@]}"
expect_run pkg-config ./pc_consumer

echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
