# Vigil front door. `make demo` and `make test` work on a fresh Debian 12 machine.
SHELL := /bin/bash
JOBS ?= $(shell nproc)
CTEST_ARGS ?=
FUZZ_SECONDS ?= 20
FUZZ_JOBS ?= 1
FUZZ_TARGETS ?= .

.PHONY: all setup build-test build-release test demo bench package fuzz sanitize clang arm64 clean format

all: build-release

setup:
	@scripts/setup

build/test/build.ninja: CMakePresets.json CMakeLists.txt | setup
	@cmake --preset test >/dev/null

build/release/build.ninja: CMakePresets.json CMakeLists.txt | setup
	@cmake --preset release >/dev/null

build-test: setup build/test/build.ninja
	@mkdir -p build && flock build/.test.lock cmake --build build/test -j $(JOBS)

build-release: setup build/release/build.ninja
	@mkdir -p build && flock build/.release.lock cmake --build build/release -j $(JOBS)

## test: debug build with ASan + UBSan, then every ctest test.
test: build-test
	@cd build/test && ctest --output-on-failure -j $(JOBS) $(CTEST_ARGS)

## sanitize: same as test (the test build always carries ASan + UBSan).
sanitize: test

## demo: optimised build of the two programs the demo runs and of the one library module they do
## not link (identity, which the installed package the reference pump builds against needs; not
## the tests and benchmarks), then a short walk through what Vigil does; its outputs stay in
## build/release/demo (the last line says).
demo: setup build/release/build.ninja
	@mkdir -p build && flock build/.release.lock cmake --build build/release -j $(JOBS) --target vigil vigil-tuf-client vigil_identity
	@scripts/demo build/release

## bench: optimised build, then every benchmark beside its peer; JSON in build/release/bench/results.jsonl.
bench: build-release
	@scripts/bench build/release

## package: optimised build, then build/release/vigil_<version>_<arch>.deb (libvigil, headers, CMake package, vigil.pc, the vigil command).
package: build-release
	@cd build/release && cpack

## fuzz: clang-16 + libFuzzer (Vigil's targets and the reference pump's), each target for FUZZ_SECONDS seconds (FUZZ_JOBS at a time, FUZZ_TARGETS a name filter).
fuzz: setup
	@cmake --preset fuzz >/dev/null
	@cmake --build build/fuzz -j $(JOBS)
	@scripts/fuzz_pump build/fuzz
	@FUZZ_JOBS=$(FUZZ_JOBS) FUZZ_TARGETS='$(FUZZ_TARGETS)' scripts/fuzz build/fuzz $(FUZZ_SECONDS)

## clang: build and test with clang-16 (compiler portability).
clang: setup
	@cmake --preset clang >/dev/null
	@cmake --build build/clang -j $(JOBS)
	@cd build/clang && ctest --output-on-failure -j $(JOBS) $(CTEST_ARGS)

## arm64: the device modules cross-built for aarch64, then their tests under qemu-user.
# Not part of `make test`. The arm64 preset carries no sanitizers, as ASan is unreliable under
# qemu-user: its fixed shadow-memory mappings can clash with qemu's own, and LeakSanitizer needs
# ptrace, which qemu-user does not emulate. It keeps assertions (no NDEBUG) and uses -O2, as
# debug code under emulation would make the post-quantum vector runs far slower. No -Werror (as
# in release): at -O2 GCC 12's -Wnull-dereference flags libstdc++'s own istreambuf_iterator;
# make test and make clang keep warnings fatal. Test timeouts are 5x (VIGIL_TEST_TIMEOUT_FACTOR).
# VIGIL_DATA_DIR, when set, overrides where the shared test data is (e.g. from a git worktree).
arm64:
	@scripts/setup --arm64
	@cmake --preset arm64 $(if $(VIGIL_DATA_DIR),-DVIGIL_DATA_DIR=$(VIGIL_DATA_DIR)) >/dev/null
	@mkdir -p build && flock build/.arm64.lock cmake --build build/arm64 -j $(JOBS)
	@cd build/arm64 && ctest --output-on-failure -j $(JOBS) $(CTEST_ARGS)

format:
	@git ls-files '*.h' '*.cc' | xargs clang-format -i

clean:
	rm -rf build
