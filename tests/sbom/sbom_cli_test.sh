#!/usr/bin/env bash
# vigil sbom validate|convert|diff: success paths, exit codes, one-line errors, and CycloneDX 1.6
# output validated against the official schema with ajv (a missing node is a failure), and the
# verdict on every CycloneDX 1.6 test file of the shared data.
set -u
vigil=$1
src=${2:-}
data=${3:-}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
pass=0; fail=0
source "$src/tests/testing/check_lib.sh"
md=$data/sbom/medical-device
check "validate narrow" 0 "$vigil" sbom validate "$md/narrow.sbom.json"
expect_stdout "CycloneDX 1.4, 55 components"
expect_stdout "fda: components\[0\] (Qualcomm Atheros QCA9563): end of support 'Until hardware support ends' is not a date"
# Issue 19 item 6: FDA field gaps and identifier problems are separate verdicts.
check "validate --fda reports FDA gaps" 1 "$vigil" sbom validate --fda --quiet "$md/narrow.sbom.json"
expect_stdout "0 identifier problems, 56 missing FDA support fields"
check "validate --strict: identifiers only" 0 "$vigil" sbom validate --strict --quiet \
  "$md/narrow.sbom.json"
MD=$md python3 - <<'PY'
import json, os
d = json.load(open(os.environ['MD'] + '/narrow.sbom.json'))
d['components'][0]['purl'] = 'pkg:/no-type'
json.dump(d, open('badpurl.json', 'w'))
PY
check "validate --strict fails on an identifier problem" 1 "$vigil" sbom validate --strict --quiet \
  badpurl.json
expect_stdout "1 identifier problems"
# Every CycloneDX 1.6 test file: valid-* read, invalid-* refused (exit 2), licence ids checked
# against the SPDX list built in from the shared data's CycloneDX schema folder.
right=0; total=0
for f in "$data"/sbom/cyclonedx/tests/*-1.6.json; do
  n=$(basename "$f")
  total=$((total + 1))
  "$vigil" sbom validate --quiet "$f" >/dev/null 2>verdict.err; rc=$?
  if [[ $n == valid-* && $rc -eq 0 ]] || [[ $n == invalid-* && $rc -eq 2 ]]; then
    right=$((right + 1))
  else
    echo "wrong verdict on $n: exit $rc $(cat verdict.err)"
  fi
done
equal "CycloneDX 1.6 test files with the right verdict" "$right of $total" "70 of 70"
check "an invalid SPDX licence id" 2 "$vigil" sbom validate \
  "$data/sbom/cyclonedx/tests/invalid-license-id-1.6.json"
expect_err "license.id: 'Apache-2' is not an SPDX license identifier"
echo '{"enum": ["MIT"]}' >mit-only.json
check "a licence list given" 2 "$vigil" sbom validate --spdx-licenses mit-only.json \
  "$data/sbom/cyclonedx/tests/valid-license-id-1.6.json"
echo '{"hello": 1}' >notalist.json
check "a licence list that is not one" 2 "$vigil" sbom validate --spdx-licenses notalist.json \
  "$data/sbom/cyclonedx/tests/valid-license-id-1.6.json"
expect_err "--spdx-licenses notalist.json"
check "validate invalid" 2 "$vigil" sbom validate "$data/sbom/cyclonedx/tests/invalid-scope-1.6.json"
expect_err "components\[0\].scope: expected required, optional or excluded, got 'foo'"
echo '{"hello": 1}' >other.json
check "not an sbom" 2 "$vigil" sbom validate other.json
expect_err "not a CycloneDX or SPDX JSON document"
check "missing file" 2 "$vigil" sbom validate nope.json
expect_err "nope.json"
check "convert" 0 "$vigil" sbom convert "$md/extended.sbom.json" --out ext16.json
check "convert refuses overwrite" 2 "$vigil" sbom convert "$md/extended.sbom.json" --out ext16.json
check "converted reads back" 0 "$vigil" sbom validate --quiet ext16.json
expect_stdout "CycloneDX 1.6, 65 components"
check "diff same" 0 "$vigil" sbom diff "$md/extended.sbom.json" ext16.json
check "diff narrow extended" 1 "$vigil" sbom diff "$md/narrow.sbom.json" "$md/extended.sbom.json"
expect_stdout "10 added, 0 removed, 0 changed"
expect_stdout "+ EdgeOS@2.0.9-hotfix.7"
check "usage" 2 "$vigil" sbom diff onlyone.json
outputs=(ext16.json)
for f in "$data"/sbom/cyclonedx/tests/valid-*-1.6.json; do
  n=$(basename "$f" .json)
  check "convert $n" 0 "$vigil" sbom convert "$f" --out "$n.out.json"
  outputs+=("$n.out.json")
done
for f in "$data"/sbom/spdx/*.json; do
  n=$(basename "$f" .json)
  check "convert spdx $n" 0 "$vigil" sbom convert "$f" --out "spdx-$n.out.json"
  outputs+=("spdx-$n.out.json")
done
check "validate spdx3" 0 "$vigil" sbom validate --quiet "$data/sbom/spdx/sbom.spdx3.json"
expect_stdout "SPDX 3 3.0.1, 4 components"
if VIGIL_NODE_MODULES=$src/build/node/node_modules node "$src/tests/tools/validate-json-schema.js" \
    "$data/sbom/cyclonedx/bom-1.6.schema.json" "${outputs[@]}" >schema.txt 2>&1; then
  pass=$((pass + 1)); else
  fail=$((fail + 1)); echo "FAIL vigil sbom convert output does not validate against CycloneDX 1.6:"
  grep -v "unknown format" schema.txt | head -20; fi
echo "sbom cli: $pass passed, $fail failed (${#outputs[@]} converted documents schema-checked)"
[[ $fail -eq 0 ]]
