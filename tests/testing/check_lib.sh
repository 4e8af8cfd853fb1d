# The one set of checks for the end-to-end shell tests (source it): each counts into $pass /
# $fail, prints one FAIL line with the evidence when it fails, and the test ends with
# `[[ $fail -eq 0 ]]`. check runs in the current directory: out.txt and err.txt are the last
# command's stdout and stderr.
pass=0; fail=0
check() {  # check NAME EXPECTED_RC COMMAND...   (stdout → out.txt, stderr → err.txt)
  local name=$1 want=$2; shift 2
  "$@" >out.txt 2>err.txt; local rc=$?
  if [[ $rc -eq $want ]]; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL $name: exit $rc, expected $want"; cat out.txt err.txt; fi
}
expect() {  # expect FILE TEXT
  if grep -q -- "$2" "$1"; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL $1 should contain '$2':"; cat "$1"; fi
}
expect_stdout() {  # expect_stdout TEXT: the last check's stdout holds TEXT
  expect out.txt "$1"
}
expect_output() {  # expect_output TEXT: the last check's stdout or stderr holds TEXT
  if grep -q -- "$1" out.txt err.txt; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL output should contain '$1':"; cat out.txt err.txt; fi
}
expect_err() {  # expect_err TEXT: the last check's stderr is ONE line holding TEXT
  if grep -q -- "$1" err.txt && [[ $(wc -l <err.txt) -eq 1 ]]; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL stderr should be one line containing '$1':"; cat err.txt; fi
}
equal() {  # equal NAME GOT WANT
  if [[ "$2" == "$3" ]]; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL $1: got '$2', expected '$3'"; fi
}
node_tool() {  # node_tool SCRIPT ARGS...: a reference validator of tests/tools, with build/node (needs $src)
  VIGIL_NODE_MODULES=$src/build/node/node_modules node "$src/tests/tools/$1" "${@:2}"
}
