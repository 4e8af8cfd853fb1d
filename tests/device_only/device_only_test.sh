#!/usr/bin/env bash
# Configures SOURCE_DIR with VIGIL_DEVICE_ONLY=ON into BUILD_DIR (unoptimised, no debug info: this
# checks that it configures, not how it runs; `make arm64` builds and runs the device tests),
# builds core (the module every other one includes), and checks that nothing of the host tooling
# was configured and that no link line names simdjson. Building every device module here would
# compile ~150 files on one core of a cold CI machine: `make arm64` does that.
# Usage: device_only_test.sh SOURCE_DIR BUILD_DIR CXX CC LAUNCHER DATA_DIR
set -u
src=$1 build=$2 cxx=$3 cc=$4 launcher=$5 data=$6
source "$src/tests/testing/check_lib.sh"
mkdir -p "$build"
cd "$build"
devices=(core crypto storage audit identity access vault update net)

check "configure with VIGIL_DEVICE_ONLY=ON" 0 cmake -S "$src" -B "$build/tree" -G Ninja \
  -DVIGIL_DEVICE_ONLY=ON -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-O0 \
  -DCMAKE_C_FLAGS_DEBUG=-O0 -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_C_COMPILER="$cc" \
  -DCMAKE_CXX_COMPILER_LAUNCHER="$launcher" -DCMAKE_C_COMPILER_LAUNCHER="$launcher" \
  -DVIGIL_DATA_DIR="$data"
expect_stdout "Generating done"
check "core builds device-only" 0 cmake --build "$build/tree" -j 1 --target vigil_core
[[ -f $build/tree/src/core/libvigil_core.a ]] && pass=$((pass + 1)) ||
  { fail=$((fail + 1)); echo "FAIL no libvigil_core.a"; }
# Every device module and the constant-time harnesses are targets; nothing of the host tooling
# is (no command, no host-only module), and no simdjson anywhere.
check "the targets of the device build" 0 ninja -C "$build/tree" -t targets all
for m in "${devices[@]}"; do expect out.txt "vigil_$m:"; done
expect out.txt "ct_harness_ml_kem:"
for absent in "^vigil:" "^vigil-tuf-client:" "^vigil_sbom:" "^vigil_vuln:" "^e2e_cli_"; do
  if grep -q -- "$absent" out.txt; then fail=$((fail + 1)); echo "FAIL $absent in a device build"
  else pass=$((pass + 1)); fi
done
if grep -rq simdjson "$build/tree/build.ninja"; then fail=$((fail + 1)); echo "FAIL links simdjson"
else pass=$((pass + 1)); fi
echo "device_only_build: $pass passed, $fail failed"
[[ $fail -eq 0 ]]
