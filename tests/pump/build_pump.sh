#!/usr/bin/env bash
# The pump_build fixture: `cmake --install` of Vigil's build tree into WORK/prefix (emptied
# first, so nothing stale is found), then examples/infusion-pump configured and built in
# WORK/build against that prefix only, as a device maker outside Vigil's tree would.
# Usage: build_pump.sh BUILD_DIR PUMP_SOURCE WORK CXX LAUNCHER CXX_FLAGS
set -u
build=$1 pump_src=$2 work=$3 cxx=$4 launcher=$5 flags=$6
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../testing/check_lib.sh"
mkdir -p "$work" && cd "$work"
rm -rf prefix
check "cmake --install" 0 cmake --install "$build" --prefix "$work/prefix"
check "pump configures" 0 cmake -S "$pump_src" -B build -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
  -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_CXX_COMPILER_LAUNCHER="$launcher" -DCMAKE_CXX_FLAGS="$flags"
expect_stdout "Vigil .* from $work/prefix/"
check "pump builds" 0 cmake --build build
for program in build/pumpd build/pump_tests build/pump_fuzz_drug_library build/pump_fuzz_api_requests; do
  [[ -x $program ]] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL no $program"; }
done
echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
